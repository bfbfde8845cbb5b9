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
import { PingWatchdog } from '../ws-watchdog.js';

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
  private watchdog: PingWatchdog | undefined;

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
          this.watchdog = new PingWatchdog(ws, this.opts.pingMs, () =>
            this.opts.log.debug(() => `${safeUrl(url)}: no pong, dropping the push socket`),
          );
          this.watchdog.start();
          resolve();
          return;
        }
        // A socket callback must never throw: it would escape every handler and stop the process.
        try {
          this.dispatch(msg);
        } catch (err) {
          this.opts.log.error(() => `${safeUrl(url)}: a push message could not be handled`, err);
        }
      });
      ws.on('error', (err) => {
        if (!opened) {
          clearTimeout(timer);
          reject(new Error(`${safeUrl(url)}: ${err.message}`));
        }
      });
      ws.on('close', (code, reason) => {
        clearTimeout(timer);
        this.watchdog?.stop();
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
    this.watchdog?.stop();
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
}

/** A push frame → JSON object, or undefined for garbage (never thrown). */
export function parseMessage(text: string): Record<string, unknown> | undefined {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}
