/**
 * OctoPrint's push channel: the raw websocket behind SockJS (`/sockjs/websocket`, plain JSON
 * text frames, no SockJS framing). Protocol (https://docs.octoprint.org/en/master/api/push.html
 * and octoprint/server/util/sockjs.py): the server opens with `connected`; the client sends
 * `{"auth": "user:session"}` (session from a passive login with the API key), then
 * `{"subscribe": …}` and `{"throttle": n}`; the server pushes `history` once, then `current` at
 * most every 0.5 s × throttle, plus `event`s and `reauthRequired`.
 *
 * `ws` is used rather than sockjs-client: the raw endpoint needs no SockJS transport, and `ws`
 * is already a dependency. Pings detect a host that vanished without closing the socket.
 */
import WebSocket from 'ws';
import type { Logger } from '../../../core/logger.js';
import { asObject, safeUrl } from '../http.js';

export interface PushHandlers {
  /** `current` or `history` payload. */
  onState(payload: unknown): void;
  onEvent(type: string, payload: unknown): void;
  /** The server asks to log in again (session expired or user changed). */
  onReauthRequired(reason: string): void;
  /** The socket closed (after having opened); not called after `close()`. */
  onClose(reason: string): void;
}

export interface PushOptions {
  url: URL;
  /** `user:session` from the passive login. */
  auth: string;
  throttle: number;
  timeoutMs: number;
  pingMs: number;
  log: Logger;
}

/** Events worth receiving: state changes arrive before the next rate-limited `current`. */
export const SUBSCRIBED_EVENTS = [
  'PrinterStateChanged',
  'PrintStarted',
  'PrintDone',
  'PrintFailed',
  'PrintCancelled',
  'PrintPaused',
  'PrintResumed',
  'Connected',
  'Disconnected',
  'Error',
];

/** The websocket URL of an OctoPrint base URL (http → ws, https → wss, path kept). */
export function pushUrl(base: string): URL {
  const u = new URL('sockjs/websocket', base.endsWith('/') ? base : `${base}/`);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u;
}

export class OctoPushClient {
  private ws: WebSocket | undefined;
  private closedByUs = false;
  private pingTimer: NodeJS.Timeout | undefined;
  private awaitingPong = false;

  constructor(
    private readonly opts: PushOptions,
    private readonly handlers: PushHandlers,
  ) {}

  /** Resolves once the server said `connected` and auth/subscribe/throttle were sent. */
  connect(): Promise<void> {
    const { url, timeoutMs } = this.opts;
    return new Promise((resolve, reject) => {
      let opened = false;
      const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
      this.ws = ws;
      const timer = setTimeout(() => {
        if (!opened) {
          ws.terminate();
          reject(new Error(`${safeUrl(url)}: no "connected" message within ${timeoutMs} ms`));
        }
      }, timeoutMs);
      ws.on('message', (data) => {
        const msg = parseMessage(data.toString());
        if (!msg) {
          this.opts.log.debug(() => `${safeUrl(url)}: ignored a push frame that is not a JSON object`);
          return;
        }
        if (!opened && 'connected' in msg) {
          opened = true;
          clearTimeout(timer);
          this.sendAuth(this.opts.auth);
          this.send({
            subscribe: { state: { logs: false, messages: false }, events: SUBSCRIBED_EVENTS, plugins: false },
          });
          this.send({ throttle: this.opts.throttle });
          this.startPings();
          resolve();
          return;
        }
        this.dispatch(msg);
      });
      ws.on('pong', () => {
        this.awaitingPong = false;
      });
      ws.on('error', (err) => {
        if (!opened) {
          clearTimeout(timer);
          reject(new Error(`${safeUrl(url)}: ${err.message}`));
        }
      });
      ws.on('close', (code, reason) => {
        clearTimeout(timer);
        this.stopPings();
        if (!opened) {
          reject(new Error(`${safeUrl(url)}: closed before "connected" (${code})`));
          return;
        }
        if (!this.closedByUs) this.handlers.onClose(`closed (${code}${reason.length ? ` ${reason}` : ''})`);
      });
    });
  }

  sendAuth(auth: string): void {
    this.send({ auth });
  }

  close(): void {
    this.closedByUs = true;
    this.stopPings();
    this.ws?.terminate();
  }

  private send(obj: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(obj));
  }

  private dispatch(msg: Record<string, unknown>): void {
    if ('current' in msg) this.handlers.onState(msg.current);
    else if ('history' in msg) this.handlers.onState(msg.history);
    else if ('event' in msg) {
      const e = asObject(msg.event);
      if (typeof e?.type === 'string') this.handlers.onEvent(e.type, e.payload);
    } else if ('reauthRequired' in msg) {
      const reason = asObject(msg.reauthRequired)?.reason;
      this.handlers.onReauthRequired(typeof reason === 'string' ? reason : 'unknown');
    }
  }

  /** A host switched off sends no FIN: an unanswered ping is the only way to notice. */
  private startPings(): void {
    this.pingTimer = setInterval(() => {
      if (this.awaitingPong) {
        this.opts.log.debug(() => `${safeUrl(this.opts.url)}: no pong, dropping the push socket`);
        this.ws?.terminate();
        return;
      }
      this.awaitingPong = true;
      this.ws?.ping();
    }, this.opts.pingMs);
    this.pingTimer.unref();
  }

  private stopPings(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }
}

/** A push frame → JSON object, or undefined for garbage (never thrown). */
export function parseMessage(text: string): Record<string, unknown> | undefined {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}
