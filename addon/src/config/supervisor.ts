/**
 * Inside the Home Assistant add-on, the Supervisor knows the MQTT broker (the Mosquitto add-on)
 * and hands out credentials through its services API (`services: [mqtt:need]` in the add-on's
 * config.yaml): GET http://supervisor/services/mqtt with the SUPERVISOR_TOKEN. Used when the
 * user left `mqtt.url` at its default and gave no user name.
 */
import type { Logger, SecretRegistry } from '../core/logger.js';
import type { MonitorConfig } from './types.generated.js';

export const DEFAULT_MQTT_URL = 'mqtt://localhost:1883';

interface ServiceMqtt {
  host: string;
  port: number;
  ssl?: boolean;
  protocol?: string;
  username?: string;
  password?: string;
}

/** The Supervisor's MQTT service, or undefined (not in an add-on, no broker add-on, error). */
export async function fetchSupervisorMqtt(
  env: NodeJS.ProcessEnv,
  log: Logger,
  fetchImpl: typeof fetch = fetch,
): Promise<ServiceMqtt | undefined> {
  const token = env.SUPERVISOR_TOKEN;
  if (!token) return undefined;
  const base = env.MONITOR_SUPERVISOR_URL ?? 'http://supervisor';
  try {
    const res = await fetchImpl(`${base}/services/mqtt`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) {
      log.warn(
        () =>
          `Supervisor has no MQTT service for us (HTTP ${res.status}): is the Mosquitto add-on installed?`,
      );
      return undefined;
    }
    const body = (await res.json()) as { result?: string; data?: ServiceMqtt };
    const d = body.data;
    if (body.result !== 'ok' || !d || typeof d.host !== 'string' || typeof d.port !== 'number') {
      log.warn('Supervisor answered the MQTT service request without a broker');
      return undefined;
    }
    return d;
  } catch (err) {
    log.warn('cannot ask the Supervisor for the MQTT broker', err);
    return undefined;
  }
}

/** Fills `config.mqtt` from the Supervisor when the user did not set a broker. */
export async function applySupervisorMqtt(
  config: MonitorConfig,
  env: NodeJS.ProcessEnv,
  secrets: SecretRegistry,
  log: Logger,
  fetchImpl: typeof fetch = fetch,
): Promise<boolean> {
  if (config.mqtt.url !== DEFAULT_MQTT_URL || config.mqtt.username) return false;
  const s = await fetchSupervisorMqtt(env, log, fetchImpl);
  if (!s) return false;
  if (s.password) secrets.add(s.password);
  config.mqtt.url = `${s.ssl ? 'mqtts' : 'mqtt'}://${s.host}:${s.port}`;
  config.mqtt.username = s.username ?? '';
  config.mqtt.password = s.password ?? '';
  if (s.protocol === '3.1' || s.protocol === '3.1.1') config.mqtt.protocol_version = 4;
  log.info(() => `MQTT broker from the Supervisor: ${config.mqtt.url}`);
  return true;
}
