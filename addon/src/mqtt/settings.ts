/** The MQTT connection settings a configuration asks for: one place for the App and the CLI. */
import type { MonitorConfig } from '../config/types.generated.js';
import type { MqttSettings } from './connection.js';

export function mqttSettingsOf(config: MonitorConfig): MqttSettings {
  const m = config.mqtt;
  return {
    url: m.url,
    username: m.username,
    password: m.password,
    clientId: m.client_id || `monitor_${config.node_id}`,
    protocolVersion: m.protocol_version as 4 | 5,
    keepalive: m.keepalive,
    reconnectMaxMs: m.reconnect_max_seconds * 1000,
    statusTopic: `${m.base_topic}/${config.node_id}/status`,
    tls:
      m.tls.ca || m.tls.cert || m.url.startsWith('mqtts')
        ? { ca: m.tls.ca, cert: m.tls.cert, key: m.tls.key, rejectUnauthorized: m.tls.reject_unauthorized }
        : undefined,
  };
}
