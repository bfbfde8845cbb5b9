/**
 * The HTTP + websocket plumbing shared by the fake printer servers: a node:http server on
 * 127.0.0.1, JSON helpers, request counting, and failure injection (slow or silent server,
 * forced status, garbage bodies, refused websockets, dropped websockets).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface Faults {
  /** Delay every HTTP answer by this many ms; `Infinity`: never answer (a hung printer). */
  delayMs?: number;
  /** Answer every API request with this status (401, 403, 500…). */
  status?: number;
  /** Answer 200 with a body that is not JSON. */
  garbage?: boolean;
  /** Refuse websocket upgrades. */
  noPush?: boolean;
}

export type Handler = (req: IncomingMessage, url: URL, body: string) => Promise<Reply> | Reply;
export interface Reply {
  status: number;
  body?: unknown;
  /** Raw body (text or bytes) with its content type. */
  raw?: { type: string; data: string | Buffer };
}

export const json = (body: unknown, status = 200): Reply => ({ status, body });

export class FakeHttpServer {
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<Socket>();
  faults: Faults = {};
  /** Requests served, by `METHOD /path`. */
  readonly hits = new Map<string, number>();
  /** Websocket upgrade requests received, refused ones included. */
  upgrades = 0;
  port = 0;

  constructor(
    private readonly handler: Handler,
    private readonly wsPath: string | undefined,
    private readonly onSocket: (ws: WebSocket, req: IncomingMessage) => void = () => {},
  ) {
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('upgrade', (req, socket, head) => {
      this.upgrades++;
      const url = new URL(req.url ?? '/', 'http://x');
      if (!this.wsPath || url.pathname !== this.wsPath || this.faults.noPush) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, req));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    const a = this.server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
  }

  /** Closes every websocket client (a dropped connection, as when the Pi's Wi-Fi blinks). */
  dropWebsockets(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  /**
   * Stops reading the websocket clients' sockets without closing them: no pong, no frame, no
   * FIN, as when the printer's host loses power or its Wi-Fi.
   */
  freezeWebsockets(): void {
    for (const ws of this.wss.clients) (ws as unknown as { _socket: Socket })._socket.pause();
  }

  get websocketClients(): number {
    return this.wss.clients.size;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = `${req.method} ${url.pathname}`;
    this.hits.set(key, (this.hits.get(key) ?? 0) + 1);
    let body = '';
    for await (const c of req) body += c;
    const f = this.faults;
    if (f.delayMs === Number.POSITIVE_INFINITY) return; // never answers; the socket stays open
    if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
    if (res.destroyed) return;
    if (f.status) return send(res, { status: f.status, body: { error: `forced ${f.status}` } });
    if (f.garbage)
      return send(res, { status: 200, raw: { type: 'application/json', data: '{"state": "Print<html>' } });
    let reply: Reply;
    try {
      reply = await this.handler(req, url, body);
    } catch (err) {
      reply = { status: 500, body: { error: String(err) } };
    }
    send(res, reply);
  }
}

function send(res: ServerResponse, r: Reply): void {
  if (r.raw) {
    res.writeHead(r.status, { 'Content-Type': r.raw.type });
    res.end(r.raw.data);
    return;
  }
  if (r.body === undefined) {
    res.writeHead(r.status);
    res.end();
    return;
  }
  res.writeHead(r.status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(r.body));
}
