/**
 * A small HTTP endpoint inside the Home Assistant app: the Supervisor's watchdog
 * (`watchdog: tcp://[HOST]:[PORT:8099]` in config.yaml) restarts the app when it stops
 * answering, and the same port is the seam where the ingress web panel will be served
 * (`ingress_port`). It tells only whether the process runs and MQTT is connected: no config,
 * no secret, nothing a client sends is interpreted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const HEALTH_PORT = 8099;

export interface HealthStatus {
  mqtt: boolean;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/** Listens on `host:port` (the app's container network; 0 picks a free port for tests). */
export async function startHealthServer(
  status: () => HealthStatus,
  port = HEALTH_PORT,
  host = '0.0.0.0',
): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url !== '/health' && req.url !== '/')) {
      res.writeHead(404).end();
      return;
    }
    const s = status();
    res
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify({ status: 'running', mqtt: s.mqtt ? 'connected' : 'disconnected' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
