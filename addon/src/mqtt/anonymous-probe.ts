/**
 * Whether the broker accepts a client without credentials (issue 15: on such a broker anyone
 * on the network can publish commands to Monitor's topics and read its replies). One connect
 * without user name or password, same URL and TLS settings, closed at once; nothing published.
 */
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import { openMqttClient } from './client.js';
import type { MqttSettings } from './connection.js';

export type AnonymousProbe = 'accepted' | 'refused' | 'unreachable';

export function probeAnonymous(s: MqttSettings, timeoutMs = 5000): Promise<AnonymousProbe> {
  const o: IClientOptions = {
    clientId: `monitor_probe_${Math.random().toString(16).slice(2, 10)}`,
    protocolVersion: s.protocolVersion,
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
    clean: true,
  };
  if (s.tls) {
    if (s.tls.ca) o.ca = readFileSync(s.tls.ca);
    o.rejectUnauthorized = s.tls.rejectUnauthorized ?? true;
  }
  return new Promise((resolve) => {
    let done = false;
    const client = openMqttClient(s.url, o);
    const finish = (r: AnonymousProbe) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      client.end(true);
      resolve(r);
    };
    const timer = setTimeout(() => finish('unreachable'), timeoutMs + 500);
    client.once('connect', () => finish('accepted'));
    client.once('error', (err: Error & { code?: number | string }) =>
      finish(typeof err.code === 'number' ? 'refused' : 'unreachable'),
    );
    client.once('close', () => finish('refused'));
  });
}
