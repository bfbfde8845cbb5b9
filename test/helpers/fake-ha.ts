/**
 * A local fake of Home Assistant's websocket API (`/api/websocket`), built with `ws`, for tests
 * of anything that talks to HA (HaClient, the linky statistics import, the alarm…).
 *
 * It speaks the protocol documented at https://developers.home-assistant.io/docs/api/websocket:
 * - authentication phase: `auth_required` {ha_version} → client `auth` {access_token} →
 *   `auth_ok` {ha_version} or `auth_invalid` {message} and the socket is closed;
 * - command phase: every client message has an integer `id`; the answer is
 *   `{id, type: "result", success: true, result}` or
 *   `{id, type: "result", success: false, error: {code, message}}`;
 *   subscriptions then receive `{id, type: "event", event}`.
 * Commands: supported_features, ping (→ pong), get_states, get_config, get_services,
 * subscribe_events (optionally by event_type), subscribe_entities (the compressed
 * `{a, c, r}` format of HA ≥ 2022.4), unsubscribe_events, call_service, and
 * recorder/import_statistics with the checks HA makes (recorder/websocket_api.py:
 * a `domain:object_id` statistic id whose domain equals `source` for external statistics, an
 * entity id for `source: recorder`, `start` at the top of an hour).
 * Everything received is recorded; tests can push events, change states, make a command fail,
 * or drop every connection to exercise reconnection.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface FakeState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  last_updated: string;
  context: { id: string; parent_id: null; user_id: null };
}

export interface ReceivedMessage {
  /** Which connection (1, 2, … in order of arrival). */
  connection: number;
  msg: Record<string, unknown> & { id?: number; type?: string };
}

export interface ServiceCall {
  domain: string;
  service: string;
  service_data: Record<string, unknown>;
  target: Record<string, unknown> | undefined;
}

export interface ImportedStatistics {
  metadata: Record<string, unknown>;
  stats: Array<Record<string, unknown>>;
}

export interface FakeHaOptions {
  token?: string;
  /** Version announced in auth_required/auth_ok. */
  haVersion?: string;
  port?: number;
  /** `language` of get_config (HA's user-chosen language, e.g. "fr"); default "en". */
  language?: string;
}

type CommandHandler = (
  msg: Record<string, unknown>,
) => unknown | Promise<unknown> | { error: { code: string; message: string } };

interface Subscription {
  id: number;
  kind: 'events' | 'entities';
  eventType?: string;
}

interface Client {
  n: number;
  ws: WebSocket;
  authed: boolean;
  subs: Map<number, Subscription>;
}

class CommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ENTITY_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;
const STATISTIC_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_):(?!_)[\da-z_]+(?<!_)$/;

export class FakeHa {
  readonly token: string;
  readonly haVersion: string;
  private wss: WebSocketServer | undefined;
  private readonly clients = new Set<Client>();
  private connectionCount = 0;
  private waiters: Array<{ pred: (m: ReceivedMessage) => boolean; resolve: (m: ReceivedMessage) => void }> =
    [];
  private readonly handlers = new Map<string, CommandHandler>();
  private readonly failures = new Map<string, { code: string; message: string }>();
  /** Every message received (auth messages included, with the token as sent). */
  readonly received: ReceivedMessage[] = [];
  readonly serviceCalls: ServiceCall[] = [];
  readonly statistics: ImportedStatistics[] = [];
  readonly states = new Map<string, FakeState>();
  /** Number of successful authentications, and refused ones. */
  authOk = 0;
  authInvalid = 0;
  port = 0;

  constructor(private readonly opts: FakeHaOptions = {}) {
    this.token = opts.token ?? 'fake-long-lived-token-0123456789';
    this.haVersion = opts.haVersion ?? '2025.1.0';
  }

  /** `ws://127.0.0.1:PORT/api/websocket` */
  get url(): string {
    return `ws://127.0.0.1:${this.port}/api/websocket`;
  }

  /** `http://127.0.0.1:PORT` (HaClient derives the websocket URL from it). */
  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Live, authenticated connections. */
  get connections(): number {
    return [...this.clients].filter((c) => c.authed).length;
  }

  async start(): Promise<void> {
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: this.opts.port ?? this.port,
      path: '/api/websocket',
    });
    this.wss = wss;
    await once(wss, 'listening');
    this.port = (wss.address() as AddressInfo).port;
    wss.on('connection', (ws) => this.accept(ws));
  }

  /** Stops listening and closes every connection. */
  async stop(): Promise<void> {
    const wss = this.wss;
    this.wss = undefined;
    if (!wss) return;
    for (const c of this.clients) c.ws.terminate();
    this.clients.clear();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  /** Closes every connection abruptly (HA restarting, network cut); the server keeps listening. */
  dropAllConnections(): void {
    for (const c of this.clients) c.ws.terminate();
    this.clients.clear();
  }

  /** Answers `type` with a custom handler (its return value is the result; throw {code,message} to fail). */
  onCommand(type: string, handler: CommandHandler): void {
    this.handlers.set(type, handler);
  }

  /** The next `type` command fails with this error (once). */
  failNext(type: string, code: string, message: string): void {
    this.failures.set(type, { code, message });
  }

  /** Fires an event to the subscribers of `subscribe_events` (all events, or this type). */
  pushEvent(eventType: string, data: Record<string, unknown> = {}): void {
    const event = {
      event_type: eventType,
      data,
      origin: 'LOCAL',
      time_fired: new Date().toISOString(),
      context: { id: ctxId(), parent_id: null, user_id: null },
    };
    for (const c of this.clients) {
      for (const s of c.subs.values()) {
        if (s.kind === 'events' && (!s.eventType || s.eventType === eventType))
          send(c.ws, { id: s.id, type: 'event', event });
      }
    }
  }

  /** Sets an entity's state: subscribers of entities get a diff, of state_changed an event. */
  setState(entityId: string, state: string, attributes: Record<string, unknown> = {}): FakeState {
    const now = new Date().toISOString();
    const old = this.states.get(entityId);
    const next: FakeState = {
      entity_id: entityId,
      state,
      attributes,
      last_changed: old && old.state === state ? old.last_changed : now,
      last_updated: now,
      context: { id: ctxId(), parent_id: null, user_id: null },
    };
    this.states.set(entityId, next);
    for (const c of this.clients) {
      for (const s of c.subs.values()) {
        if (s.kind === 'entities') {
          const diff = old
            ? { c: { [entityId]: { '+': compressChange(next) } } }
            : { a: { [entityId]: compress(next) } };
          send(c.ws, { id: s.id, type: 'event', event: diff });
        }
      }
    }
    this.pushEvent('state_changed', { entity_id: entityId, old_state: old ?? null, new_state: next });
    return next;
  }

  /** Removes an entity (subscribers of entities get `r`). */
  removeState(entityId: string): void {
    const old = this.states.get(entityId);
    if (!old) return;
    this.states.delete(entityId);
    for (const c of this.clients)
      for (const s of c.subs.values())
        if (s.kind === 'entities') send(c.ws, { id: s.id, type: 'event', event: { r: [entityId] } });
    this.pushEvent('state_changed', { entity_id: entityId, old_state: old, new_state: null });
  }

  /** Messages of a given type received so far. */
  messages(type: string): ReceivedMessage[] {
    return this.received.filter((m) => m.msg.type === type);
  }

  /** Resolves with the first received message (past or future) that matches. */
  waitFor(pred: (m: ReceivedMessage) => boolean, timeoutMs = 5000): Promise<ReceivedMessage> {
    const found = this.received.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve: (m: ReceivedMessage) => {
          clearTimeout(t);
          resolve(m);
        },
      };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`fake HA: no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Resolves when a message of this type arrives on a connection numbered ≥ `fromConnection`. */
  waitForType(type: string, fromConnection = 1, timeoutMs = 5000): Promise<ReceivedMessage> {
    return this.waitFor((m) => m.msg.type === type && m.connection >= fromConnection, timeoutMs);
  }

  /** Number of connections opened so far (authenticated or not). */
  get connectionsOpened(): number {
    return this.connectionCount;
  }

  private record(m: ReceivedMessage): void {
    this.received.push(m);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(m)) return true;
      w.resolve(m);
      return false;
    });
  }

  private accept(ws: WebSocket): void {
    const client: Client = { n: ++this.connectionCount, ws, authed: false, subs: new Map() };
    this.clients.add(client);
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => {});
    send(ws, { type: 'auth_required', ha_version: this.haVersion });
    ws.on('message', (data) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(data.toString()) as Record<string, unknown>;
      } catch {
        ws.close(1003, 'not JSON');
        return;
      }
      if (!msg || typeof msg !== 'object' || Array.isArray(msg)) {
        ws.close(1003, 'not an object');
        return;
      }
      this.record({ connection: client.n, msg });
      if (!client.authed) this.authenticate(client, msg);
      else void this.command(client, msg);
    });
  }

  private authenticate(c: Client, msg: Record<string, unknown>): void {
    if (msg.type === 'auth' && msg.access_token === this.token) {
      c.authed = true;
      this.authOk++;
      send(c.ws, { type: 'auth_ok', ha_version: this.haVersion });
      return;
    }
    this.authInvalid++;
    send(c.ws, {
      type: 'auth_invalid',
      message:
        msg.type === 'auth' ? 'Invalid access token or password' : 'Auth message incorrectly formatted',
    });
    c.ws.close();
  }

  private async command(c: Client, msg: Record<string, unknown>): Promise<void> {
    const id = msg.id;
    const type = String(msg.type);
    if (typeof id !== 'number' || !Number.isInteger(id)) {
      send(c.ws, {
        id: null,
        type: 'result',
        success: false,
        error: { code: 'invalid_format', message: 'Message incorrectly formatted.' },
      });
      return;
    }
    if (type === 'ping') {
      send(c.ws, { id, type: 'pong' });
      return;
    }
    const fail = (code: string, message: string) =>
      send(c.ws, { id, type: 'result', success: false, error: { code, message } });
    const forced = this.failures.get(type);
    if (forced) {
      this.failures.delete(type);
      fail(forced.code, forced.message);
      return;
    }
    try {
      const custom = this.handlers.get(type);
      const result = custom ? await custom(msg) : this.builtin(c, id, type, msg);
      send(c.ws, { id, type: 'result', success: true, result: result ?? null });
      if (type === 'subscribe_entities') {
        const all: Record<string, unknown> = {};
        for (const s of this.states.values()) all[s.entity_id] = compress(s);
        send(c.ws, { id, type: 'event', event: { a: all } });
      }
    } catch (err) {
      const e = err as { code?: string; message?: string };
      fail(e.code ?? 'unknown_error', e.message ?? String(err));
    }
  }

  private builtin(c: Client, id: number, type: string, msg: Record<string, unknown>): unknown {
    switch (type) {
      case 'supported_features':
        return null;
      case 'get_states':
        return [...this.states.values()];
      case 'get_config':
        return {
          version: this.haVersion,
          time_zone: 'Europe/Paris',
          language: this.opts.language ?? 'en',
          unit_system: { energy: 'kWh' },
        };
      case 'get_services':
        return {};
      case 'subscribe_events':
        c.subs.set(id, {
          id,
          kind: 'events',
          ...(typeof msg.event_type === 'string' ? { eventType: msg.event_type } : {}),
        });
        return null;
      case 'subscribe_entities':
        c.subs.set(id, { id, kind: 'entities' });
        return null;
      case 'unsubscribe_events': {
        const sub = Number(msg.subscription);
        if (!c.subs.delete(sub)) throw new CommandError('not_found', 'Subscription not found.');
        return null;
      }
      case 'call_service': {
        if (typeof msg.domain !== 'string' || typeof msg.service !== 'string')
          throw new CommandError('invalid_format', 'required key not provided');
        this.serviceCalls.push({
          domain: msg.domain,
          service: msg.service,
          service_data: (msg.service_data as Record<string, unknown>) ?? {},
          target: msg.target as Record<string, unknown> | undefined,
        });
        return { context: { id: ctxId(), parent_id: null, user_id: null }, response: null };
      }
      case 'recorder/import_statistics':
        this.statistics.push(checkImport(msg));
        return null;
      default:
        throw new CommandError('unknown_command', 'Unknown command.');
    }
  }
}

/** The checks of HA's `ws_import_statistics` (voluptuous schema, then the recorder's own). */
function checkImport(msg: Record<string, unknown>): ImportedStatistics {
  const md = msg.metadata as Record<string, unknown> | undefined;
  const stats = msg.stats as Array<Record<string, unknown>> | undefined;
  const bad = (why: string) => new CommandError('invalid_format', why);
  if (!md || typeof md !== 'object') throw bad("required key not provided @ data['metadata']");
  for (const k of ['has_mean', 'has_sum'])
    if (typeof md[k] !== 'boolean')
      throw bad(`expected bool for dictionary value @ data['metadata']['${k}']`);
  for (const k of ['source', 'statistic_id'])
    if (typeof md[k] !== 'string') throw bad(`expected str for dictionary value @ data['metadata']['${k}']`);
  for (const k of ['name', 'unit_of_measurement'])
    if (!(k in md) || (md[k] !== null && typeof md[k] !== 'string'))
      throw bad(`required key not provided @ data['metadata']['${k}']`);
  if (!Array.isArray(stats)) throw bad("required key not provided @ data['stats']");
  for (const [i, s] of stats.entries()) {
    const start = new Date(String(s.start));
    if (Number.isNaN(start.getTime())) throw bad(`invalid datetime @ data['stats'][${i}]['start']`);
    if (start.getUTCMinutes() !== 0 || start.getUTCSeconds() !== 0 || start.getUTCMilliseconds() !== 0)
      throw new CommandError('home_assistant_error', 'Invalid timestamp');
  }
  const id = String(md.statistic_id);
  if (ENTITY_ID.test(id)) {
    if (md.source !== 'recorder') throw new CommandError('home_assistant_error', 'Invalid source');
  } else {
    if (!STATISTIC_ID.test(id)) throw new CommandError('home_assistant_error', 'Invalid statistic_id');
    if (id.split(':')[0] !== md.source) throw new CommandError('home_assistant_error', 'Invalid source');
  }
  return { metadata: md, stats };
}

function send(ws: WebSocket, msg: unknown): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
}

function ctxId(): string {
  return Math.random().toString(36).slice(2).padEnd(26, '0').slice(0, 26).toUpperCase();
}

/** The compressed state of `subscribe_entities` (s, a, c, lc, lu in seconds). */
function compress(s: FakeState): Record<string, unknown> {
  return {
    s: s.state,
    a: s.attributes,
    c: s.context.id,
    lc: Date.parse(s.last_changed) / 1000,
    ...(s.last_updated !== s.last_changed ? { lu: Date.parse(s.last_updated) / 1000 } : {}),
  };
}

function compressChange(s: FakeState): Record<string, unknown> {
  return {
    s: s.state,
    a: s.attributes,
    c: s.context.id,
    lu: Date.parse(s.last_updated) / 1000,
  };
}
