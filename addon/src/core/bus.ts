/**
 * Typed event bus shared by the core and the modules. Modules never import each other: they
 * talk through events and named actions here. A listener that throws is logged and isolated;
 * the other listeners still run.
 */
import type { Logger } from './logger.js';

export type ModuleState = 'starting' | 'ok' | 'degraded' | 'error' | 'stopped';

export interface BusEvents {
  /** A module changed state (the supervisor emits it). */
  moduleStatus: { module: string; state: ModuleState; error?: string };
  /** MQTT connection went up or down. */
  mqttConnection: { connected: boolean };
  /** Home Assistant announced itself (`homeassistant/status` = online). */
  haOnline: Record<string, never>;
  /** An incoming SMS (journaled and published). Issued by the sms module. */
  smsReceived: { from: string; text: string; timestamp: string; incomplete?: boolean };
  /** A request to send an SMS, from any module (the alarm, for instance). */
  smsSend: { to: string[]; text: string; flash?: boolean; origin?: string };
  /** A store file could not be read back: kept aside, shown by the gateway (core/store.ts). */
  storeCorrupt: { module: string; file: string; movedTo: string; reason: string };
  /** Free-form notification that other modules may observe. */
  notification: { source: string; title?: string; message: string };
}

type Listener<T> = (payload: T) => void | Promise<void>;

/** Result of an action offered on the bus (for instance `alarm.arm_away`). */
export interface ActionResult {
  ok: boolean;
  /** Human-readable outcome, used as the SMS reply. */
  message: string;
  data?: unknown;
}
export interface ActionContext {
  /** Who asks: 'sms:+33…', 'mqtt', 'rpc', 'ha'. */
  origin: string;
  user?: string;
}
export type ActionHandler = (args: Record<string, unknown>, ctx: ActionContext) => Promise<ActionResult>;

export class EventBus {
  private readonly listeners = new Map<keyof BusEvents, Set<Listener<never>>>();
  private readonly actions = new Map<string, { owner: string; handler: ActionHandler }>();

  constructor(private readonly log: Logger) {}

  on<K extends keyof BusEvents>(event: K, listener: Listener<BusEvents[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  emit<K extends keyof BusEvents>(event: K, payload: BusEvents[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const l of [...set]) {
      try {
        const r = (l as Listener<BusEvents[K]>)(payload);
        if (r && typeof (r as Promise<void>).catch === 'function') {
          (r as Promise<void>).catch((err) =>
            this.log.error(() => `listener of ${String(event)} failed`, err),
          );
        }
      } catch (err) {
        this.log.error(() => `listener of ${String(event)} failed`, err);
      }
    }
  }

  /**
   * Offer a named action (e.g. `alarm.arm_away`). Returns a function that withdraws it. An
   * action another owner offers is an error (a module never replaces another's action).
   */
  registerAction(name: string, owner: string, handler: ActionHandler): () => void {
    const taken = this.actions.get(name);
    if (taken && taken.owner !== owner)
      throw new Error(`action ${name} is already offered by ${taken.owner}`);
    this.actions.set(name, { owner, handler });
    return () => {
      if (this.actions.get(name)?.handler === handler) this.actions.delete(name);
    };
  }

  /** Withdraws every action of an owner (its module stopped). */
  releaseActions(owner: string): void {
    for (const [name, a] of [...this.actions]) if (a.owner === owner) this.actions.delete(name);
  }

  /** Number of listeners of an event (diagnostics, tests of what a stopped module left). */
  listenerCount(event: keyof BusEvents): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  hasAction(name: string): boolean {
    return this.actions.has(name);
  }

  listActions(): string[] {
    return [...this.actions.keys()].sort();
  }

  async callAction(name: string, args: Record<string, unknown>, ctx: ActionContext): Promise<ActionResult> {
    const a = this.actions.get(name);
    if (!a) return { ok: false, message: `unknown action ${name}` };
    try {
      return await a.handler(args, ctx);
    } catch (err) {
      this.log.error(() => `action ${name} failed`, err);
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  }
}
