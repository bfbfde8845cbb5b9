/**
 * Inside the Home Assistant add-on, the Supervisor provides the MQTT broker's address and
 * credentials (services API). Used when the user left `mqtt.url` at its default.
 */
import type { MonitorConfig } from './types.generated.js';

export interface SupervisorMqtt {
  host: string;
  port: number;
  ssl: boolean;
  username?: string;
  password?: string;
}

export async function supervisorMqtt(
  env: NodeJS.ProcessEnv,
  fetchImpl: typeof fetch = fetch,
  base = 'http://supervisor',
): Promise<SupervisorMqtt | undefined> {
  const token = env.SUPERVISOR_TOKEN;
  if (!token) return undefined;
  const res = await fetchImpl(`${base}/services/mqtt`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) return undefined;
  const body = (await res.json()) as { data?: SupervisorMqtt };
  return body.data;
}

/** Fills the MQTT section from the Supervisor when the user did not set a broker. */
export function applySupervisorMqtt(config: MonitorConfig, s: SupervisorMqtt | undefined): void {
  if (!s || config.mqtt.url !== 'mqtt://localhost:1883') return;
  config.mqtt.url = `${s.ssl ? 'mqtts' : 'mqtt'}://${s.host}:${s.port}`;
  if (!config.mqtt.username && s.username) config.mqtt.username = s.username;
  if (!config.mqtt.password && s.password) config.mqtt.password = s.password;
}
