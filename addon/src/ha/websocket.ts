/**
 * Home Assistant's websocket API on `home-assistant-js-websocket` (reconnection and
 * re-subscription come from it) with `ws` as the transport, since Node 20 has no global
 * WebSocket. Connects through the Supervisor (`SUPERVISOR_TOKEN`, inside the add-on) or a URL
 * and a long-lived token. A typed wrapper offers what the modules need.
 *
 * Reconnection: the library reconnects a lost connection itself (1 s, 2 s, … capped at 5 s)
 * and re-sends every subscription; `start()` adds what it lacks, retrying the FIRST
 * connection with capped backoff (Home Assistant may boot after the add-on). Subscriptions
 * asked for before the first connection wait for it instead of failing.
 */
import {
  type Connection,
  createConnection,
  ERR_CANNOT_CONNECT,
  ERR_CONNECTION_LOST,
  ERR_INVALID_AUTH,
  type HassEntities,
  type HassEvent,
  type MessageBase,
  subscribeEntities,
} from 'home-assistant-js-websocket';
import WebSocket from 'ws';
import { Backoff, sleep } from '../core/backoff.js';
import type { Logger } from '../core/logger.js';
import { type StatisticMetadata, statisticMetadataFor } from './statistics.js';

export interface HaSettings {
  /** http(s)://host:8123 or ws(s)://…/api/websocket */
  url: string;
  token: string;
}

export const SUPERVISOR_WS_URL = 'ws://supervisor/core/websocket';

/** Where to connect: explicit settings, else the Supervisor inside the add-on, else none. */
export function resolveHaSettings(
  cfg: { url: string; token: string },
  env: NodeJS.ProcessEnv = process.env,
): HaSettings | undefined {
  if (cfg.url) return { url: cfg.url, token: cfg.token || env.SUPERVISOR_TOKEN || '' };
  if (env.SUPERVISOR_TOKEN) return { url: SUPERVISOR_WS_URL, token: env.SUPERVISOR_TOKEN };
  return undefined;
}

export function websocketUrl(url: string): string {
  if (/^wss?:\/\//.test(url)) return url;
  return `${url.replace(/^http/, 'ws').replace(/\/+$/, '')}/api/websocket`;
}

/** One statistic's metadata for `recorder/import_statistics` (see statistics.ts). */
export type { StatisticMetadata } from './statistics.js';

export interface StatisticPoint {
  /** ISO 8601 at the top of an hour. */
  start: string;
  sum?: number;
  state?: number;
  mean?: number;
  min?: number;
  max?: number;
}

export class HaError extends Error {
  constructor(
    readonly code: number | string,
    message: string,
  ) {
    super(message);
  }
}

/** What `auth_ok` announces; the library reads it on the socket to pick its protocol variants. */
type HaSocket = WebSocket & { haVersion?: string };

/** `2022.9.0` ≥ `2022.9`? (as the library's own check) */
function atLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split('.').map(Number);
  return (a ?? 0) > major || ((a ?? 0) === major && (b ?? 0) >= minor);
}

/** Opens the socket and authenticates, as the library's createSocket contract expects. */
function socketFactory(settings: HaSettings, log: Logger, wsOptions?: WebSocket.ClientOptions) {
  return () =>
    new Promise<never>((resolve, reject) => {
      const url = websocketUrl(settings.url);
      const ws: HaSocket = new WebSocket(url, wsOptions);
      let done = false;
      const fail = (code: number, why: string) => {
        if (done) return;
        done = true;
        log.debug(() => `Home Assistant websocket ${url}: ${why}`);
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.terminate();
        reject(code);
      };
      ws.on('error', (err) => fail(ERR_CANNOT_CONNECT, err.message));
      ws.on('close', () => fail(ERR_CANNOT_CONNECT, 'closed during authentication'));
      ws.on('message', (data) => {
        let msg: { type?: string; message?: string; ha_version?: string };
        try {
          msg = JSON.parse(data.toString());
        } catch {
          fail(ERR_CANNOT_CONNECT, 'not JSON');
          return;
        }
        if (msg.type === 'auth_required')
          ws.send(JSON.stringify({ type: 'auth', access_token: settings.token }));
        else if (msg.type === 'auth_invalid')
          fail(ERR_INVALID_AUTH, `authentication refused (${msg.message ?? ''})`);
        else if (msg.type === 'auth_ok') {
          done = true;
          ws.removeAllListeners('message');
          ws.removeAllListeners('close');
          ws.removeAllListeners('error');
          // The library reads the version on the socket (subscribe_entities needs ≥ 2022.4;
          // without it, it would crash on `undefined.split`).
          ws.haVersion = msg.ha_version ?? '0.0.0';
          if (atLeast(ws.haVersion, 2022, 9))
            ws.send(
              JSON.stringify({ type: 'supported_features', id: 1, features: { coalesce_messages: 1 } }),
            );
          // `ws` throws on an 'error' event nobody listens to; the library only listens to 'close'.
          ws.on('error', (err) => log.debug(() => `Home Assistant websocket error: ${err.message}`));
          // The library drives a browser-like WebSocket; `ws` offers the same interface.
          resolve(ws as never);
        }
      });
    });
}

export interface HaClientOptions {
  wsOptions?: WebSocket.ClientOptions;
  /** Backoff of the first connection (`start()`). */
  retryInitialMs?: number;
  retryMaxMs?: number;
}

export class HaClient {
  private conn: Connection | undefined;
  private readonly waiting = new Set<(c: Connection | undefined) => void>();
  /** ready() callers: settled when the socket is up (first connection or a reconnection). */
  private readonly readyWaiters = new Set<(err?: HaError) => void>();
  /** The token was refused: ready() fails at once instead of waiting for nothing. */
  private refused: HaError | undefined;
  private readonly abort = new AbortController();
  private readonly wsOptions: WebSocket.ClientOptions | undefined;
  private readonly opts: HaClientOptions;

  constructor(
    private readonly settings: HaSettings,
    private readonly log: Logger,
    options?: WebSocket.ClientOptions | HaClientOptions,
  ) {
    // Kept compatible with the first signature (third argument: ws options).
    const o = (options ?? {}) as HaClientOptions;
    const isClientOptions = 'wsOptions' in o || 'retryInitialMs' in o || 'retryMaxMs' in o;
    this.opts = isClientOptions ? o : {};
    this.wsOptions = isClientOptions ? o.wsOptions : (options as WebSocket.ClientOptions | undefined);
  }

  get connected(): boolean {
    return this.conn?.connected ?? false;
  }

  /** One attempt; rejects with HaError (code ERR_CANNOT_CONNECT or ERR_INVALID_AUTH). */
  async connect(): Promise<void> {
    let conn: Connection;
    try {
      conn = await createConnection({
        createSocket: socketFactory(this.settings, this.log, this.wsOptions),
      });
    } catch (code) {
      throw new HaError(
        code as number,
        code === ERR_INVALID_AUTH ? 'Home Assistant refused the token' : 'cannot connect to Home Assistant',
      );
    }
    if (this.abort.signal.aborted) {
      conn.close();
      return;
    }
    this.conn = conn;
    conn.addEventListener('disconnected', () => this.log.warn('Home Assistant websocket lost, reconnecting'));
    conn.addEventListener('ready', () => {
      this.log.info('Home Assistant websocket ready');
      this.settleReady();
    });
    conn.addEventListener('reconnect-error', () => {
      this.log.error('Home Assistant refused the token on reconnection: giving up');
      this.refused = new HaError(ERR_INVALID_AUTH, 'Home Assistant refused the token');
      this.settleReady(this.refused);
    });
    this.log.info(() => `connected to Home Assistant ${conn.haVersion ?? ''}`);
    for (const w of [...this.waiting]) w(conn);
    this.waiting.clear();
    this.settleReady();
  }

  /**
   * Connects in the background, retrying with capped backoff until connected, the token is
   * refused (no point retrying: the configuration must change), or `close()`.
   */
  async start(): Promise<void> {
    const backoff = new Backoff({
      initialMs: this.opts.retryInitialMs ?? 1000,
      maxMs: this.opts.retryMaxMs ?? 60_000,
    });
    while (!this.abort.signal.aborted) {
      try {
        await this.connect();
        return;
      } catch (err) {
        if (err instanceof HaError && err.code === ERR_INVALID_AUTH) {
          this.log.error('Home Assistant refused the token: check homeassistant.token');
          this.refused = err;
          this.settleReady(err);
          for (const w of [...this.waiting]) w(undefined);
          this.waiting.clear();
          throw err;
        }
        const delay = backoff.next();
        this.log.warn(() => `Home Assistant not reachable, retry in ${Math.round(delay / 1000)} s`);
        await sleep(delay, this.abort.signal);
      }
    }
  }

  private settleReady(err?: HaError): void {
    for (const w of [...this.readyWaiters]) w(err);
  }

  /**
   * Waits, bounded, until the websocket is connected now (at once if it is): what needs Home
   * Assistant (the Enedis import at boot, when the app starts before HA) waits here instead of
   * failing. Rejects with HaError code `not_connected` after `timeoutMs` (0: no limit), `closed`
   * when the client is closed, ERR_INVALID_AUTH when the token was refused (no point waiting),
   * `aborted` when `signal` aborts (give `ctx.signal`: a stopping module stops waiting).
   * A connection that drops and comes back (HA restarting) is waited for too.
   */
  ready(timeoutMs = 30_000, signal?: AbortSignal): Promise<void> {
    if (this.conn?.connected) return Promise.resolve();
    if (this.refused) return Promise.reject(this.refused);
    if (this.abort.signal.aborted)
      return Promise.reject(new HaError('closed', 'Home Assistant client closed'));
    if (signal?.aborted) return Promise.reject(new HaError('aborted', 'wait for Home Assistant aborted'));
    return new Promise((resolve, reject) => {
      const done = (err?: HaError) => {
        this.readyWaiters.delete(done);
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const onAbort = () => done(new HaError('aborted', 'wait for Home Assistant aborted'));
      const timer =
        timeoutMs > 0
          ? setTimeout(
              () =>
                done(
                  new HaError(
                    'not_connected',
                    `Home Assistant websocket not connected after ${timeoutMs} ms`,
                  ),
                ),
              timeoutMs,
            )
          : undefined;
      signal?.addEventListener('abort', onAbort, { once: true });
      this.readyWaiters.add(done);
    });
  }

  private whenConnected(timeoutMs = 0): Promise<Connection> {
    if (this.conn) return Promise.resolve(this.conn);
    if (this.abort.signal.aborted)
      return Promise.reject(new HaError('closed', 'Home Assistant client closed'));
    return new Promise((resolve, reject) => {
      const t =
        timeoutMs > 0
          ? setTimeout(() => {
              this.waiting.delete(w);
              reject(new HaError('not_connected', 'Home Assistant websocket not connected'));
            }, timeoutMs)
          : undefined;
      const w = (c: Connection | undefined) => {
        if (t) clearTimeout(t);
        if (c) resolve(c);
        else reject(new HaError('not_connected', 'Home Assistant websocket not connected'));
      };
      this.waiting.add(w);
    });
  }

  private get c(): Connection {
    if (!this.conn) throw new HaError('not_connected', 'Home Assistant websocket not connected');
    return this.conn;
  }

  get haVersion(): string | undefined {
    return this.conn?.haVersion;
  }

  /** A command and its result. Rejects with HaError {code, message} as HA sent them. */
  async send<T = unknown>(message: MessageBase): Promise<T> {
    try {
      return await this.c.sendMessagePromise<T>(message);
    } catch (err) {
      if (err instanceof HaError) throw err;
      if (err === ERR_CONNECTION_LOST)
        throw new HaError('connection_lost', 'Home Assistant websocket connection lost');
      const e = err as { code?: string | number; message?: string };
      throw new HaError(e.code ?? 'unknown', e.message ?? String(err));
    }
  }

  callService(
    domain: string,
    service: string,
    data?: Record<string, unknown>,
    target?: { entity_id?: string | string[]; device_id?: string | string[]; area_id?: string | string[] },
  ): Promise<unknown> {
    const msg: MessageBase = { type: 'call_service', domain, service };
    if (data) msg.service_data = data;
    if (target) msg.target = target;
    return this.send(msg);
  }

  /**
   * Subscribes to events (all, or one type); re-subscribed by the library after a
   * reconnection. Asked before the first connection, it waits for it.
   */
  async subscribeEvents<T = HassEvent>(
    eventType: string | undefined,
    cb: (ev: T) => void,
  ): Promise<() => Promise<void>> {
    const conn = await this.whenConnected();
    return conn.subscribeMessage<T>(
      cb,
      eventType ? { type: 'subscribe_events', event_type: eventType } : { type: 'subscribe_events' },
    );
  }

  /** Every entity's state, then each change (re-subscribed after a reconnection). */
  subscribeEntities(cb: (entities: HassEntities) => void): () => void {
    if (this.conn) return subscribeEntities(this.conn, cb);
    let unsub: (() => void) | undefined;
    let cancelled = false;
    this.whenConnected().then(
      (conn) => {
        if (!cancelled) unsub = subscribeEntities(conn, cb);
      },
      () => {},
    );
    return () => {
      cancelled = true;
      unsub?.();
    };
  }

  importStatistics(metadata: StatisticMetadata, stats: StatisticPoint[]): Promise<unknown> {
    // Metadata completed and shaped for the connected HA version (statistics.ts).
    return this.send({
      type: 'recorder/import_statistics',
      metadata: statisticMetadataFor(metadata, this.haVersion),
      stats,
    });
  }

  close(): void {
    this.abort.abort();
    this.settleReady(new HaError('closed', 'Home Assistant client closed'));
    for (const w of [...this.waiting]) w(undefined);
    this.waiting.clear();
    this.conn?.close();
    this.conn = undefined;
  }
}
