/**
 * Home Assistant's websocket API on `home-assistant-js-websocket` (reconnection and
 * re-subscription come from it) with `ws` as the transport, since Node 20 has no global
 * WebSocket. Connects through the Supervisor (`SUPERVISOR_TOKEN`, inside the add-on) or a URL
 * and a long-lived token. A typed wrapper offers what the modules need.
 */
import {
  type Connection,
  createConnection,
  ERR_CANNOT_CONNECT,
  ERR_INVALID_AUTH,
  type HassEntities,
  type HassEvent,
  type MessageBase,
  subscribeEntities,
} from 'home-assistant-js-websocket';
import WebSocket from 'ws';
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

/** Opens the socket and authenticates, as the library's createSocket contract expects. */
function socketFactory(settings: HaSettings, log: Logger, wsOptions?: WebSocket.ClientOptions) {
  return () =>
    new Promise<never>((resolve, reject) => {
      const url = websocketUrl(settings.url);
      const ws = new WebSocket(url, wsOptions);
      let done = false;
      const fail = (code: number, why: string) => {
        if (done) return;
        done = true;
        log.warn(() => `Home Assistant websocket ${url}: ${why}`);
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.terminate();
        reject(code);
      };
      ws.on('error', (err) => fail(ERR_CANNOT_CONNECT, err.message));
      ws.on('close', () => fail(ERR_CANNOT_CONNECT, 'closed during authentication'));
      ws.on('message', (data) => {
        let msg: { type?: string; message?: string };
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
          // The library drives a browser-like WebSocket; `ws` offers the same interface.
          resolve(ws as never);
        }
      });
    });
}

export class HaClient {
  private conn: Connection | undefined;

  constructor(
    private readonly settings: HaSettings,
    private readonly log: Logger,
    private readonly wsOptions?: WebSocket.ClientOptions,
  ) {}

  get connected(): boolean {
    return this.conn?.connected ?? false;
  }

  async connect(): Promise<void> {
    try {
      this.conn = await createConnection({
        createSocket: socketFactory(this.settings, this.log, this.wsOptions),
      });
    } catch (code) {
      throw new HaError(
        code as number,
        code === ERR_INVALID_AUTH ? 'Home Assistant refused the token' : 'cannot connect to Home Assistant',
      );
    }
    this.conn.addEventListener('disconnected', () =>
      this.log.warn('Home Assistant websocket lost, reconnecting'),
    );
    this.conn.addEventListener('ready', () => this.log.info('Home Assistant websocket ready'));
    this.log.info(() => `connected to Home Assistant ${this.conn?.haVersion ?? ''}`);
  }

  private get c(): Connection {
    if (!this.conn) throw new HaError('not_connected', 'Home Assistant websocket not connected');
    return this.conn;
  }

  get haVersion(): string | undefined {
    return this.conn?.haVersion;
  }

  async send<T = unknown>(message: MessageBase): Promise<T> {
    try {
      return await this.c.sendMessagePromise<T>(message);
    } catch (err) {
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

  /** Resubscribed by the library after a reconnection. */
  subscribeEvents<T = HassEvent>(
    eventType: string | undefined,
    cb: (ev: T) => void,
  ): Promise<() => Promise<void>> {
    return this.c.subscribeMessage<T>(
      cb,
      eventType ? { type: 'subscribe_events', event_type: eventType } : { type: 'subscribe_events' },
    );
  }

  subscribeEntities(cb: (entities: HassEntities) => void): () => void {
    return subscribeEntities(this.c, cb);
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
    this.conn?.close();
    this.conn = undefined;
  }
}
