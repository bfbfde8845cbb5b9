/**
 * Starts the modules and keeps them running: a module that fails to start, or reports a
 * failure later, is logged, marked degraded/error, stopped and restarted with capped backoff
 * while the others keep running.
 */
import { Backoff } from './backoff.js';
import type { EventBus, ModuleState } from './bus.js';
import type { Logger } from './logger.js';
import type { ModuleContext, ModuleFactory, MonitorModule } from './module.js';

/**
 * A module's context and how to release what it registered (core/context.ts `ModuleScope`).
 * A bare context (tests) has nothing to release.
 */
export interface ScopedContext {
  context: ModuleContext<unknown>;
  release(restarting: boolean): Promise<void>;
}

type MakeContext = (
  hooks: Pick<ModuleContext, 'fail' | 'setStatus'>,
) => ModuleContext<unknown> | ScopedContext;

interface Slot {
  name: string;
  factory: ModuleFactory<unknown>;
  makeContext: MakeContext;
  instance: MonitorModule | undefined;
  /** Releases what the running instance registered; set at each start. */
  release: ((restarting: boolean) => Promise<void>) | undefined;
  state: ModuleState;
  detail: string | undefined;
  backoff: Backoff;
  timer: NodeJS.Timeout | undefined;
  /** Resets the backoff once the module has run long enough to be called stable. */
  stableTimer: NodeJS.Timeout | undefined;
  generation: number;
  restarts: number;
}

export interface SupervisorOptions {
  restartInitialMs?: number;
  restartMaxMs?: number;
  stopTimeoutMs?: number;
  /**
   * A module that keeps running this long after a start is stable: its restart backoff starts
   * over. (Resetting right after start() would restart a module that fails at once, every
   * `restartInitialMs`, forever.)
   */
  stableAfterMs?: number;
}

export class Supervisor {
  private readonly slots = new Map<string, Slot>();
  private stopping = false;

  constructor(
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly opts: SupervisorOptions = {},
  ) {}

  add(name: string, factory: ModuleFactory<unknown>, makeContext: MakeContext): void {
    this.slots.set(name, {
      name,
      factory,
      makeContext,
      instance: undefined,
      release: undefined,
      state: 'stopped',
      detail: undefined,
      backoff: new Backoff({
        initialMs: this.opts.restartInitialMs ?? 2000,
        maxMs: this.opts.restartMaxMs ?? 300_000,
      }),
      timer: undefined,
      stableTimer: undefined,
      generation: 0,
      restarts: 0,
    });
  }

  statuses(): Record<string, { state: ModuleState; detail?: string; restarts: number }> {
    const out: Record<string, { state: ModuleState; detail?: string; restarts: number }> = {};
    for (const s of this.slots.values())
      out[s.name] = { state: s.state, ...(s.detail ? { detail: s.detail } : {}), restarts: s.restarts };
    return out;
  }

  async startAll(): Promise<void> {
    await Promise.all([...this.slots.values()].map((s) => this.startSlot(s)));
  }

  private setState(s: Slot, state: ModuleState, detail?: string): void {
    if (s.state === state && s.detail === detail) return;
    s.state = state;
    s.detail = detail;
    this.bus.emit('moduleStatus', { module: s.name, state, ...(detail ? { error: detail } : {}) });
  }

  private async startSlot(s: Slot): Promise<void> {
    if (this.stopping) return;
    const gen = ++s.generation;
    this.setState(s, 'starting');
    const made = s.makeContext({
      fail: (err) => {
        if (gen === s.generation) void this.onFailure(s, err);
      },
      setStatus: (state, detail) => {
        if (gen === s.generation && s.state !== 'error') this.setState(s, state, detail);
      },
    });
    const scoped = 'context' in made && 'release' in made ? made : undefined;
    const ctx = scoped ? scoped.context : (made as ModuleContext<unknown>);
    s.release = scoped ? (restarting) => scoped.release(restarting) : undefined;
    try {
      // Factories load their module's code on demand (modules/index.ts): a stop during the
      // import leaves nothing to start.
      const instance = await s.factory(ctx);
      if (gen !== s.generation) return;
      s.instance = instance;
      await instance.start();
      if (gen !== s.generation) return;
      if (s.state === 'starting') this.setState(s, 'ok');
      if (s.stableTimer) clearTimeout(s.stableTimer);
      s.stableTimer = setTimeout(() => {
        s.stableTimer = undefined;
        if (gen === s.generation) s.backoff.reset();
      }, this.opts.stableAfterMs ?? 60_000);
      s.stableTimer.unref();
      this.log.info(() => `module ${s.name} started`);
    } catch (err) {
      if (gen === s.generation) await this.onFailure(s, err instanceof Error ? err : new Error(String(err)));
    }
  }

  private async onFailure(s: Slot, err: Error): Promise<void> {
    if (this.stopping) return;
    s.generation++;
    if (s.stableTimer) clearTimeout(s.stableTimer);
    s.stableTimer = undefined;
    const delay = s.backoff.next();
    this.log.error(() => `module ${s.name} failed, restart in ${Math.round(delay / 1000)} s`, err);
    this.setState(s, s.backoff.attempts > 3 ? 'error' : 'degraded', err.message);
    await this.stopInstance(s, true);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      s.restarts++;
      void this.startSlot(s);
    }, delay);
  }

  /** Stops the instance (bounded), then releases everything it registered. */
  private async stopInstance(s: Slot, restarting: boolean): Promise<void> {
    const inst = s.instance;
    s.instance = undefined;
    try {
      if (inst) await this.stopBounded(s, inst);
    } finally {
      const release = s.release;
      s.release = undefined;
      if (release) {
        try {
          await release(restarting);
        } catch (err) {
          this.log.error(() => `releasing what module ${s.name} registered failed`, err);
        }
      }
    }
  }

  private async stopBounded(s: Slot, inst: MonitorModule): Promise<void> {
    const timeout = this.opts.stopTimeoutMs ?? 10_000;
    let t: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        inst.stop(),
        new Promise((_, reject) => {
          t = setTimeout(() => reject(new Error(`stop took more than ${timeout} ms`)), timeout);
        }),
      ]);
    } catch (err) {
      this.log.warn(() => `module ${s.name} did not stop cleanly`, err);
    } finally {
      if (t) clearTimeout(t);
    }
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.slots.values()].map(async (s) => {
        if (s.timer) clearTimeout(s.timer);
        if (s.stableTimer) clearTimeout(s.stableTimer);
        s.generation++;
        await this.stopInstance(s, false);
        this.setState(s, 'stopped');
      }),
    );
  }
}
