/**
 * A fake Home Assistant Supervisor, as an app sees it at http://supervisor (developers docs,
 * "Supervisor API" and "App communication"; supervisor/api/proxy.py for the websocket proxy):
 * - every REST call needs `Authorization: Bearer <SUPERVISOR_TOKEN>` (401 otherwise) and answers
 *   `{"result": "ok", "data": …}`;
 * - GET /services/mqtt: the broker the Mosquitto app provides (`host`, `port`, `ssl`,
 *   `protocol`, `username`, `password`, `addon`);
 * - GET /addons/self/info: the app's own info (name, slug, version, state…);
 * - /core/websocket: Home Assistant's websocket API through the Supervisor's proxy: the proxy
 *   sends `auth_required`, checks the app's token itself, authenticates to Home Assistant with
 *   its own credentials, answers `auth_ok` (or `auth_invalid` and closes), then relays every
 *   message both ways.
 * It listens on port 80 of a loopback address of its own, which the app's /etc/hosts names
 * `supervisor`, so the app uses its real URLs.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import type { FakeHa } from '../helpers/fake-ha.js';

export interface SupervisorMqtt {
  host: string;
  port: number;
  username: string;
  password: string;
}

export class FakeSupervisor {
  /** Every request: method, path and whether it carried the right token. */
  readonly requests: Array<{ method: string; path: string; authorized: boolean }> = [];
  /** Tokens the app sent in the websocket `auth` message. */
  readonly wsAuthTokens: string[] = [];
  private server: Server | undefined;
  private readonly wss = new WebSocketServer({ noServer: true });

  constructor(
    readonly host: string,
    readonly token: string,
    private readonly mqtt: SupervisorMqtt,
    private readonly ha: FakeHa,
  ) {}

  private authorized(req: IncomingMessage): boolean {
    return req.headers.authorization === `Bearer ${this.token}`;
  }

  async start(port = 80): Promise<void> {
    const server = createServer((req, res) => {
      const authorized = this.authorized(req);
      this.requests.push({ method: req.method ?? '', path: req.url ?? '', authorized });
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (!authorized) return send(401, { result: 'error', message: 'Unauthorized' });
      if (req.method === 'GET' && req.url === '/services/mqtt')
        return send(200, {
          result: 'ok',
          data: { addon: 'core_mosquitto', ssl: false, protocol: '3.1.1', ...this.mqtt },
        });
      if (req.method === 'GET' && req.url === '/addons/self/info')
        return send(200, {
          result: 'ok',
          data: { name: 'Monitor', slug: 'local_monitor', version: '0.1.0', state: 'started', arch: 'amd64' },
        });
      return send(404, { result: 'error', message: 'Not found' });
    });
    server.on('upgrade', (req, socket, head) => {
      this.requests.push({ method: 'GET', path: req.url ?? '', authorized: false });
      if (req.url !== '/core/websocket') return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (client) => this.proxy(client));
    });
    this.server = server;
    server.listen(port, this.host);
    await once(server, 'listening');
  }

  private proxy(client: WebSocket): void {
    client.send(JSON.stringify({ type: 'auth_required', ha_version: this.ha.haVersion }));
    client.once('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { type?: string; access_token?: string };
      this.wsAuthTokens.push(msg.access_token ?? '');
      if (msg.type !== 'auth' || msg.access_token !== this.token) {
        client.send(JSON.stringify({ type: 'auth_invalid', message: 'Invalid access' }));
        client.close();
        return;
      }
      const core = new WebSocket(this.ha.url);
      const pending: string[] = [];
      let ready = false;
      client.on('message', (m) => (ready ? core.send(String(m)) : pending.push(String(m))));
      client.on('close', () => core.close());
      core.on('close', () => client.close());
      core.on('error', () => client.close());
      core.on('message', (m) => {
        const data = JSON.parse(String(m)) as { type?: string };
        if (!ready && data.type === 'auth_required') {
          core.send(JSON.stringify({ type: 'auth', access_token: this.ha.token }));
          return;
        }
        if (!ready && data.type === 'auth_ok') {
          ready = true;
          client.send(JSON.stringify({ type: 'auth_ok', ha_version: this.ha.haVersion }));
          for (const p of pending.splice(0)) core.send(p);
          return;
        }
        client.send(String(m));
      });
    });
  }

  async stop(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
