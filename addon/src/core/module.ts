/**
 * What a feature module is: a class whose constructor only stores its context, with
 * `start()` and `stop()`. Modules never import each other; they use the bus, the entity
 * registry, RPC and the Home Assistant client given here. Everything registered through the
 * context belongs to the module and is released by the supervisor when it stops (context.ts).
 */
import type { MonitorConfig } from '../config/types.generated.js';
import type { HaClient } from '../ha/websocket.js';
import type { MqttTransport } from '../mqtt/connection.js';
import type {
  Closable,
  ModuleBus,
  ModuleEntities,
  ModuleRpc,
  ModuleTimers,
  ModuleTopics,
} from './context.js';
import type { Lang } from './i18n.js';
import type { Logger, SecretRegistry } from './logger.js';
import type { DurableStore } from './store.js';

export type {
  Closable,
  ModuleBus,
  ModuleEntities,
  ModuleRpc,
  ModuleTimers,
  ModuleTopics,
} from './context.js';

export interface ModuleContext<C = unknown> {
  name: string;
  /** The module's own config section (validated, defaults applied). */
  config: C;
  root: MonitorConfig;
  log: Logger;
  /** Listeners and actions are withdrawn when the module stops. */
  bus: ModuleBus;
  /** Only this module's devices: touching another module's throws. */
  entities: ModuleEntities;
  /** Only this module's methods: a name another module offers throws. */
  rpc: ModuleRpc;
  /**
   * The MQTT transport's own state (`connected` is mqtt.js's, true only while a connection is
   * up): read it here, never keep a copy. What must not be lost is awaited instead
   * (`entities.emitEvent`, `rpc.notify` resolve on the broker's PUBACK).
   */
  mqtt: Pick<MqttTransport, 'connected'>;
  /** Topics under the module's own prefix (absent in contexts built without a broker). */
  topics?: ModuleTopics;
  /**
   * Undefined when no Home Assistant websocket is configured. Subscriptions made here are
   * withdrawn when the module stops and their callbacks are isolated. `ha.ready(ms)` waits
   * (bounded) for the websocket.
   */
  ha: HaClient | undefined;
  /** `<data_dir>/<module>`, created (0700) before start. */
  dataDir: string;
  /** Journals and atomic JSON state files in `dataDir` (core/store.ts). */
  store: DurableStore;
  /** Timers that run isolated and are cleared when the module stops. */
  timers: ModuleTimers;
  /** Closed (close/destroy/end, or called) when the module stops; returns its argument. */
  track<T extends Closable>(x: T): T;
  /**
   * Wraps a callback from a socket, serial port, websocket or timer: a throw or a rejection is
   * logged with the module's name and the module restarted (never the process); after the
   * module stopped, the wrapper does nothing.
   */
  isolate<A extends unknown[]>(fn: (...args: A) => unknown, what?: string): (...args: A) => void;
  /** Aborted when the module stops (give it to fetch, sleep, …). */
  signal: AbortSignal;
  lang: Lang;
  secrets: SecretRegistry;
  version: string;
  /** A failure after start: the module is stopped and restarted with backoff. */
  fail(err: Error): void;
  /** Running but impaired (modem unreachable, meter silent…), or back to ok. */
  setStatus(state: 'ok' | 'degraded', detail?: string): void;
}

export interface MonitorModule {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Makes a module from its context. The build's own factories are asynchronous: they import the
 * module's code only when its section is configured (modules/index.ts); tests may return the
 * instance directly.
 */
export type ModuleFactory<C = never> = (ctx: ModuleContext<C>) => MonitorModule | Promise<MonitorModule>;
