/**
 * What a module registers belongs to the module: `ModuleScope` builds its `ModuleContext` and
 * keeps a list of everything registered through it (devices and entities, RPC methods, bus
 * listeners and actions, Home Assistant subscriptions, timers, sockets and other closables).
 * `release()` — called by the supervisor after the module's `stop()`, on every stop and
 * restart — undoes all of it, so that a stopped module leaves nothing behind: its RPC methods
 * answer "not available", its devices go offline and leave the registry, its timers and
 * sockets are closed, its late callbacks do nothing.
 *
 * Ownership: a module declares, updates or removes only devices it declared (or kept), and
 * registers only RPC methods and actions nobody else offers; anything else throws.
 *
 * Isolation: `isolate(fn)` wraps a callback (socket, serial port, websocket, timer); an
 * exception or a rejected promise is logged with the module's name and reported through
 * `fail()`: the supervisor restarts that module, the process and the other modules go on.
 */
import type { MonitorConfig } from '../config/types.generated.js';
import type { NodeContext } from '../entities/discovery.js';
import type { DeviceDeclaration } from '../entities/model.js';
import type { EntityRegistry } from '../entities/registry.js';
import type { HaClient } from '../ha/websocket.js';
import type { MqttTransport } from '../mqtt/connection.js';
import type { RpcHandler, RpcServer } from '../mqtt/rpc.js';
import type { ActionContext, ActionHandler, ActionResult, BusEvents, EventBus } from './bus.js';
import type { Lang } from './i18n.js';
import type { Logger, SecretRegistry } from './logger.js';
import type { ModuleContext } from './module.js';
import { DurableStore } from './store.js';

/** The entity registry as a module sees it: only its own devices. */
export interface ModuleEntities {
  readonly node: NodeContext;
  declare(decl: DeviceDeclaration): void;
  update(deviceId: string, values: Record<string, unknown>): void;
  flush(deviceId: string): void;
  setAvailability(deviceId: string, online: boolean): void;
  setEntityAvailability(deviceId: string, key: string, online: boolean): void;
  emitEvent(
    deviceId: string,
    key: string,
    eventType: string,
    attributes?: Record<string, unknown>,
  ): Promise<void>;
  publishOwnState(deviceId: string, key: string, payload: string): Promise<void>;
  remove(deviceId: string): void;
  keepDevice(deviceId: string): void;
  hasDevice(deviceId: string): boolean;
  keepsDevice(deviceId: string): boolean;
}

/** RPC as a module sees it: its own methods, notifications (QoS 1, resolved on PUBACK). */
export interface ModuleRpc {
  register(method: string, handler: RpcHandler): () => void;
  notify(name: string, payload: Record<string, unknown>): Promise<void>;
}

type Listener<T> = (payload: T) => void | Promise<void>;

/** The bus as a module sees it; listeners and actions are withdrawn when the module stops. */
export interface ModuleBus {
  on<K extends keyof BusEvents>(event: K, listener: Listener<BusEvents[K]>): () => void;
  emit<K extends keyof BusEvents>(event: K, payload: BusEvents[K]): void;
  /** `owner` is kept for compatibility; the module's name is used whatever it says. */
  registerAction(name: string, owner: string, handler: ActionHandler): () => void;
  hasAction(name: string): boolean;
  listActions(): string[];
  callAction(name: string, args: Record<string, unknown>, ctx: ActionContext): Promise<ActionResult>;
}

/** Timers that run isolated and are cleared when the module stops. */
export interface ModuleTimers {
  setTimeout(fn: () => unknown, ms: number): NodeJS.Timeout;
  setInterval(fn: () => unknown, ms: number): NodeJS.Timeout;
  clear(timer: NodeJS.Timeout | undefined): void;
  /** true after `ms`, false at once when the module stops (never rejects). */
  sleep(ms: number): Promise<boolean>;
}

/** Something `track()` closes when the module stops. */
export type Closable = { close(): unknown } | { destroy(): unknown } | { end(): unknown } | (() => unknown);

export interface ModuleResourcesOptions {
  name: string;
  log: Logger;
  dataDir: string;
  /** Reports a failure to the supervisor (restart with backoff). */
  fail: (err: Error) => void;
  /** A store file read back corrupt (the app emits `storeCorrupt` for the gateway). */
  onCorrupt?: (c: { file: string; movedTo: string; reason: string }) => void;
}

/** What a module may close or withdraw: closes it, bounded, never throws. */
async function closeOne(x: Closable, log: Logger): Promise<void> {
  try {
    let r: unknown;
    if (typeof x === 'function') r = x();
    else if ('close' in x) r = x.close();
    else if ('destroy' in x) r = x.destroy();
    else r = x.end();
    if (r && typeof (r as Promise<unknown>).then === 'function') {
      let t: NodeJS.Timeout | undefined;
      await Promise.race([
        r as Promise<unknown>,
        new Promise((resolve) => {
          t = setTimeout(resolve, 2000);
        }),
      ]).finally(() => clearTimeout(t));
    }
  } catch (err) {
    log.warn('closing a resource of the stopped module failed', err);
  }
}

/**
 * The parts of a module context that need nothing but the module's name, log and data
 * directory: store, timers, track, isolate, signal. Tests that build a context by hand use
 * `parts()`; `ModuleScope` adds the registry, RPC, bus and HA on top.
 */
export class ModuleResources {
  readonly store: DurableStore;
  private readonly abort = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly closables: Closable[] = [];
  private released = false;

  constructor(private readonly o: ModuleResourcesOptions) {
    this.store = new DurableStore(o.dataDir, {
      log: o.log.child('store'),
      ...(o.onCorrupt ? { onCorrupt: o.onCorrupt } : {}),
    });
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** A failure inside the module: logged with its name, then the supervisor restarts it. */
  private crash(err: unknown, what: string): void {
    if (this.released) return;
    const e = err instanceof Error ? err : new Error(String(err));
    this.o.log.error(() => `module ${this.o.name}: ${what} failed, restarting the module`, e);
    this.o.fail(e);
  }

  isolate<A extends unknown[]>(fn: (...args: A) => unknown, what = 'callback'): (...args: A) => void {
    return (...args: A) => {
      if (this.released) return;
      try {
        const r = fn(...args);
        if (r && typeof (r as Promise<unknown>).then === 'function')
          (r as Promise<unknown>).then(undefined, (err) => this.crash(err, what));
      } catch (err) {
        this.crash(err, what);
      }
    };
  }

  track<T extends Closable>(x: T): T {
    if (this.released) void closeOne(x, this.o.log);
    else this.closables.push(x);
    return x;
  }

  readonly timerApi: ModuleTimers = {
    setTimeout: (fn, ms) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.isolate(fn, 'timer')();
      }, ms);
      if (this.released) clearTimeout(t);
      else this.timers.add(t);
      return t;
    },
    setInterval: (fn, ms) => {
      const t = setInterval(this.isolate(fn, 'interval'), ms);
      if (this.released) clearInterval(t);
      else this.timers.add(t);
      return t;
    },
    clear: (t) => {
      if (!t) return;
      clearTimeout(t);
      this.timers.delete(t);
    },
    sleep: (ms) =>
      new Promise<boolean>((resolve) => {
        if (this.released) return resolve(false);
        const onAbort = () => {
          clearTimeout(t);
          resolve(false);
        };
        const t = setTimeout(() => {
          this.abort.signal.removeEventListener('abort', onAbort);
          resolve(true);
        }, ms);
        this.abort.signal.addEventListener('abort', onAbort, { once: true });
      }),
  };

  /** The fields of ModuleContext this provides, as plain bound values. */
  parts(): Pick<ModuleContext, 'store' | 'timers' | 'track' | 'isolate' | 'signal'> {
    return {
      store: this.store,
      timers: this.timerApi,
      track: (x) => this.track(x),
      isolate: (fn, what) => this.isolate(fn, what),
      signal: this.abort.signal,
    };
  }

  /** Clears timers, aborts the signal, closes what was tracked (last first). */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.abort.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.closables.splice(0).reverse()) await closeOne(c, this.o.log);
  }
}

export interface ModuleScopeOptions {
  name: string;
  config: unknown;
  root: MonitorConfig;
  log: Logger;
  bus: EventBus;
  registry: EntityRegistry;
  rpc: RpcServer;
  mqtt: Pick<MqttTransport, 'connected'>;
  ha: HaClient | undefined;
  dataDir: string;
  lang: Lang;
  secrets: SecretRegistry;
  version: string;
  fail: (err: Error) => void;
  setStatus: ModuleContext['setStatus'];
}

/** One run of one module: its context, and `release()` of everything registered through it. */
export class ModuleScope {
  readonly context: ModuleContext<unknown>;
  private readonly resources: ModuleResources;
  private readonly unsubscribers: Array<() => unknown> = [];

  constructor(private readonly o: ModuleScopeOptions) {
    const { name, registry, rpc, bus } = o;
    this.resources = new ModuleResources({
      name,
      log: o.log,
      dataDir: o.dataDir,
      fail: o.fail,
      onCorrupt: (c) => bus.emit('storeCorrupt', { module: name, ...c }),
    });
    const mine = (deviceId: string, what: string) => registry.assertOwner(deviceId, name, what);
    const entities: ModuleEntities = {
      node: registry.node,
      declare: (decl) => registry.declare(decl, name),
      update: (id, values) => {
        mine(id, 'update');
        registry.update(id, values);
      },
      flush: (id) => {
        mine(id, 'flush');
        registry.flush(id);
      },
      setAvailability: (id, online) => {
        mine(id, 'set the availability of');
        registry.setAvailability(id, online);
      },
      setEntityAvailability: (id, key, online) => {
        mine(id, 'set the availability of');
        registry.setEntityAvailability(id, key, online);
      },
      emitEvent: (id, key, type, attributes) => {
        mine(id, 'emit an event of');
        return registry.emitEvent(id, key, type, attributes);
      },
      publishOwnState: (id, key, payload) => {
        mine(id, 'publish a state of');
        return registry.publishOwnState(id, key, payload);
      },
      remove: (id) => registry.remove(id, name),
      keepDevice: (id) => registry.keepDevice(id, name),
      hasDevice: (id) => registry.hasDevice(id),
      keepsDevice: (id) => registry.keepsDevice(id),
    };
    const moduleRpc: ModuleRpc = {
      register: (method, handler) => rpc.register(method, handler, name),
      notify: (n, payload) => rpc.notify(n, payload),
    };
    const moduleBus: ModuleBus = {
      on: (event, listener) => this.own(bus.on(event, listener)),
      emit: (event, payload) => bus.emit(event, payload),
      registerAction: (action, _owner, handler) => this.own(bus.registerAction(action, name, handler)),
      hasAction: (a) => bus.hasAction(a),
      listActions: () => bus.listActions(),
      callAction: (a, args, c) => bus.callAction(a, args, c),
    };
    this.context = {
      name,
      config: o.config,
      root: o.root,
      log: o.log,
      bus: moduleBus,
      entities,
      rpc: moduleRpc,
      mqtt: o.mqtt,
      ha: o.ha ? this.ownedHa(o.ha) : undefined,
      dataDir: o.dataDir,
      lang: o.lang,
      secrets: o.secrets,
      version: o.version,
      ...this.resources.parts(),
      fail: o.fail,
      setStatus: o.setStatus,
    };
  }

  private own<F extends () => unknown>(off: F): F {
    this.unsubscribers.push(off);
    return off;
  }

  /**
   * The HA client with the module's subscriptions tracked (withdrawn on release) and their
   * callbacks isolated. Everything else is the client itself.
   */
  private ownedHa(ha: HaClient): HaClient {
    const isolate = <A extends unknown[]>(fn: (...a: A) => unknown, what: string) =>
      this.resources.isolate(fn, what);
    return new Proxy(ha, {
      get: (target, prop, receiver) => {
        if (prop === 'subscribeEvents') {
          return async <T>(eventType: string | undefined, cb: (ev: T) => void) => {
            const off = await target.subscribeEvents<T>(
              eventType,
              isolate(cb, `HA event ${eventType ?? '*'}`),
            );
            if (this.resources.isReleased) {
              await off();
              return off;
            }
            return this.own(off);
          };
        }
        if (prop === 'subscribeEntities') {
          return (cb: Parameters<HaClient['subscribeEntities']>[0]) =>
            this.own(target.subscribeEntities(isolate(cb, 'HA entities')));
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  }

  /**
   * After the module's `stop()`: withdraws and closes everything it registered. `restarting`:
   * its devices are kept from the orphan sweep (it will declare them again).
   */
  async release(restarting: boolean): Promise<void> {
    const { name, registry, rpc, bus } = this.o;
    // First what lets work in (requests, commands, actions), synchronously, so that nothing
    // reaches the module while its sockets close; then timers and sockets; then HA.
    rpc.release(name);
    bus.releaseActions(name);
    registry.release(name, restarting);
    const pending: Array<Promise<unknown>> = [];
    for (const off of this.unsubscribers.splice(0)) {
      try {
        const r = off();
        if (r && typeof (r as Promise<unknown>).then === 'function') pending.push(r as Promise<unknown>);
      } catch (err) {
        this.o.log.warn('withdrawing a subscription of the stopped module failed', err);
      }
    }
    await this.resources.release();
    for (const r of await Promise.allSettled(pending))
      if (r.status === 'rejected')
        this.o.log.warn('withdrawing a subscription of the stopped module failed', r.reason);
  }
}
