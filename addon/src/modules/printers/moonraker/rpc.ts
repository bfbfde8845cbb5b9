/**
 * Moonraker's websocket (`/websocket`): JSON-RPC 2.0 requests with ids, and notifications
 * without (`notify_status_update`, `notify_klippy_ready`, …), as in Moonraker's
 * docs/external_api/introduction.md and jsonrpc_notifications.md. The API key goes in the
 * upgrade request's X-Api-Key header and in `server.connection.identify`.
 */
import WebSocket from 'ws';
import { asObject, safeUrl } from '../http.js';
import { PingWatchdog } from '../ws-watchdog.js';

export interface RpcHandlers {
  onNotification(method: string, params: unknown[]): void;
  /** The socket closed after having opened; not called after `close()`. */
  onClose(reason: string): void;
  /** A handler threw on a message: logged by the source, the socket goes on. */
  onError(err: unknown): void;
}

export function websocketUrl(base: string): URL {
  const u = new URL('websocket', base.endsWith('/') ? base : `${base}/`);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u;
}

export class MoonrakerRpc {
  private ws: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  private closedByUs = false;
  private watchdog: PingWatchdog | undefined;

  constructor(
    private readonly url: URL,
    private readonly apiKey: string,
    private readonly timeoutMs: number,
    private readonly pingMs: number,
    private readonly handlers: RpcHandlers,
  ) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      if (this.apiKey) headers['X-Api-Key'] = this.apiKey;
      const ws = new WebSocket(this.url, {
        headers,
        handshakeTimeout: this.timeoutMs,
        perMessageDeflate: false,
      });
      this.ws = ws;
      let opened = false;
      ws.on('open', () => {
        opened = true;
        this.watchdog = new PingWatchdog(ws, this.pingMs);
        this.watchdog.start();
        resolve();
      });
      // A socket callback must never throw: it would escape every handler and stop the process.
      ws.on('message', (data) => {
        try {
          this.onMessage(data.toString());
        } catch (err) {
          this.handlers.onError(err);
        }
      });
      ws.on('error', (err) => {
        if (!opened) reject(new Error(`${safeUrl(this.url)}: ${err.message}`));
      });
      ws.on('close', (code) => {
        this.watchdog?.stop();
        for (const p of this.pending.values()) {
          clearTimeout(p.timer);
          p.reject(new Error('websocket closed'));
        }
        this.pending.clear();
        if (!opened) reject(new Error(`${safeUrl(this.url)}: closed (${code})`));
        else if (!this.closedByUs) this.handlers.onClose(`closed (${code})`);
      });
    });
  }

  call(method: string, params?: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.ws?.readyState !== WebSocket.OPEN) {
        reject(new Error('websocket not open'));
        return;
      }
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', method, ...(params ? { params } : {}), id }));
    });
  }

  close(): void {
    this.closedByUs = true;
    this.watchdog?.stop();
    this.ws?.terminate();
  }

  private onMessage(text: string): void {
    let msg: Record<string, unknown> | undefined;
    try {
      msg = asObject(JSON.parse(text));
    } catch {
      return; // garbage frame: ignored
    }
    if (!msg) return;
    if (typeof msg.id === 'number' && this.pending.has(msg.id)) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (!p) return;
      clearTimeout(p.timer);
      const err = asObject(msg.error);
      if (err) p.reject(new Error(`${textOf(err.message, 'error')} (${textOf(err.code, '?')})`));
      else p.resolve(msg.result);
      return;
    }
    if (typeof msg.method === 'string') {
      this.handlers.onNotification(msg.method, Array.isArray(msg.params) ? msg.params : []);
    }
  }
}

/** A string or number from a peer's error, as text; anything else is `fallback`. */
function textOf(v: unknown, fallback: string): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : fallback;
}
