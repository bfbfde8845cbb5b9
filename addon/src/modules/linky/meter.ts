/**
 * One TIC line at run time: opens the port (finding speed and mode when asked), decodes,
 * checks indexes with the guard, keeps the daily maximum power, declares the meter's entities
 * and publishes its values. Each meter id seen on the line is its own device; a meter silent
 * for `availability_timeout_s` goes unavailable.
 */
import type { MonitorConfig } from '../../config/types.generated.js';
import { translator } from '../../core/i18n.js';
import type { ModuleContext } from '../../core/module.js';
import { openSerialLine, type SerialLine } from '../../core/serial-line.js';
import type { StateFile } from '../../core/store.js';
import { BAUDS, probe } from './detect.js';
import { localDayOf } from './enedis/time.js';
import { declaration, deviceIdOf, type MeterShape, shapeOf, stateValues } from './entities.js';
import { type GuardSnapshot, IndexGuard } from './guard.js';
import { LINKY_STRINGS } from './i18n.js';
import { MeterIdentity } from './meter-id.js';
import { legacyMeterFile, loadState, meterStateName, savedMeterFiles } from './persist.js';
import { LearnedShape } from './shape.js';
import { type DecoderState, decodeTic, initialDecoderState, type TicFrame } from './tic/decoder.js';
import { type Derived, deriveValues } from './tic/derive.js';

export type LinkyConfig = NonNullable<MonitorConfig['linky']>;
export type MeterConfig = LinkyConfig['meters'][number];

interface KnownMeter {
  shape: LearnedShape;
  guard: IndexGuard;
  silence: NodeJS.Timeout | undefined;
  day: string;
  maxToday: number;
  frames: number;
  badGroups: number;
  groups: number;
}

export const INDEX_LABELS = /^(BASE|HCHC|HCHP|EJPHN|EJPHPM|BBRH[CP]J[BWR]|EAST|EASF\d\d|EAIT)$/;

/** The indexes a historic contract counts: the total is their sum, never that of a subset. */
export const HISTORIC_TOTAL_OF: Partial<Record<MeterShape['contractKind'], string[]>> = {
  base: ['BASE'],
  hchp: ['HCHC', 'HCHP'],
  ejp: ['EJPHN', 'EJPHPM'],
  tempo: ['BBRHCJB', 'BBRHPJB', 'BBRHCJW', 'BBRHPJW', 'BBRHCJR', 'BBRHPJR'],
};

interface SavedMeter {
  guard?: GuardSnapshot;
  day?: string;
  maxToday?: number;
  shape?: MeterShape;
}

/**
 * The TIC as sent: 7 data bits, even parity. A frame every 1 to 2 s needs no byte-by-byte
 * reading: a read every 150 ms gathers what arrived meanwhile (one wake-up instead of one per
 * byte), and a frame's state still leaves well within 250 ms of its ETX (p99 139 ms on a pty
 * at load 1.3; 100 ms gave 88 ms but ~40 % more CPU: 0.30-0.32 % against 0.22 %,
 * bench/linky.ts and linky-live.ts).
 */
export const TIC_READ_PAUSE_MS = 150;

export function openTicLine(port: string, baud: number): SerialLine {
  return openSerialLine({ path: port, baud, dataBits: 7, parity: 'even', readPauseMs: TIC_READ_PAUSE_MS });
}

export class MeterLine {
  private transport: SerialLine | undefined;
  private decoder: DecoderState;
  private readonly meters = new Map<string, KnownMeter>();
  private readonly identity = new MeterIdentity((id) => this.states.has(id));
  private readonly saving = new Set<Promise<void>>();
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly t;
  /** Observers: every decoded frame (bench), and today's Tempo colour per meter (costs). */
  onFrame: ((f: TicFrame, d: Derived) => void) | undefined;
  onTempo: ((day: string, colour: string) => void) | undefined;

  constructor(
    private readonly ctx: ModuleContext<LinkyConfig>,
    private readonly cfg: MeterConfig,
    private readonly now: () => number = Date.now,
    private readonly states: MeterStates = new MeterStates(ctx),
  ) {
    this.decoder = initialDecoderState({ mode: cfg.mode as 'auto' });
    this.t = translator(LINKY_STRINGS, ctx.lang);
  }

  /** Opens the line in the background: finding the speed can take seconds, others need not wait. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.loadState();
    this.connecting = this.connect();
  }

  /** Reads the saved meters (ids known at once, guard baselines, shapes); done by `start()`. */
  loadState(): Promise<void> {
    return this.states.ready();
  }

  /** Resolves when the first connection attempt (speed detection included) is over. */
  connecting: Promise<void> = Promise.resolve();

  async stop(): Promise<void> {
    this.stopped = true;
    this.ctx.timers.clear(this.retry);
    await this.connecting;
    for (const m of this.meters.values()) this.ctx.timers.clear(m.silence);
    for (const [id, m] of this.meters) this.persist(id, m);
    await Promise.all(this.saving);
    await this.transport?.close();
    this.transport = undefined;
  }

  private scheduleReconnect(why: string): void {
    if (this.stopped) return;
    this.ctx.setStatus('degraded', `${this.cfg.port}: ${why}`);
    this.retry = this.ctx.timers.setTimeout(() => this.connect(), 10_000);
  }

  private async connect(): Promise<void> {
    const log = this.ctx.log;
    const fixed =
      this.cfg.baud !== 'auto'
        ? Number(this.cfg.baud)
        : this.cfg.mode !== 'auto'
          ? BAUDS[this.cfg.mode as 'historic']
          : undefined;
    let t: SerialLine;
    try {
      t = openTicLine(this.cfg.port, fixed ?? BAUDS.historic);
      await t.open();
    } catch (err) {
      log.warn(() => `cannot open ${this.cfg.port}, retrying in 10 s`, err);
      this.scheduleReconnect((err as Error).message);
      return;
    }
    this.transport = t;
    // Serial callbacks run isolated: a throw restarts this module, never the process.
    t.onClose(
      this.ctx.isolate((err?: Error) => {
        log.warn(() => `${this.cfg.port} closed, reopening in 10 s`, err);
        this.transport = undefined;
        this.scheduleReconnect('port closed');
      }, `${this.cfg.port} close`),
    );
    if (fixed === undefined) {
      const found = await probe(t, { frames: 1 });
      if (this.stopped) return;
      if (!found) {
        log.warn(() => `${this.cfg.port}: no valid TIC frame at 1200 or 9600 baud; retrying`);
        await t.close();
        this.transport = undefined;
        this.scheduleReconnect('no TIC frame');
        return;
      }
      log.info(() => `${this.cfg.port}: TIC ${found.mode} mode at ${found.baud} baud`);
      for (const f of found.frames) this.handle(f);
    }
    t.onData(this.ctx.isolate((chunk: Buffer) => this.receive(chunk), `${this.cfg.port} data`));
  }

  /** Bytes from the line (public for the benchmarks and tests that feed bytes directly). */
  receive(chunk: Buffer): void {
    const r = decodeTic(this.decoder, chunk);
    this.decoder = r.state;
    for (const f of r.frames) this.handle(f);
  }

  private handle(f: TicFrame): void {
    for (const { meterId, frame } of this.identity.accept(f)) this.handleMeterFrame(meterId, frame);
  }

  private handleMeterFrame(meterId: string, f: TicFrame): void {
    const d = deriveValues(f);
    const now = this.now();
    const m = this.known(meterId, f, d, now);
    if (!m) return;
    m.frames++;
    m.groups += f.groups.length;
    m.badGroups += f.invalid.length;
    const indexes: Record<string, number> = {};
    for (const [label, v] of Object.entries(f.values))
      if (INDEX_LABELS.test(label)) indexes[label] = Number(v.value);
    const maxW = d.subscribed_power_kva !== undefined ? d.subscribed_power_kva * 1000 : undefined;
    const { accepted, held } = m.guard.check(now, indexes, maxW);
    for (const h of held)
      this.ctx.log.warn(() => `${meterId}: ${this.t('held_index', { ...h, reason: h.reason })}`);
    const values = stateValues(f, d, accepted, this.historicTotal(m));
    const day = localDayOf(now, this.ctx.config.timezone);
    if (day !== m.day) {
      m.day = day;
      m.maxToday = 0;
    }
    if (d.apparent_power_va !== undefined) m.maxToday = Math.max(m.maxToday, d.apparent_power_va);
    const maxToday = Math.max(m.maxToday, d.max_power_today_va ?? 0);
    if (maxToday > 0) values.max_power_today = maxToday;
    values.checksum_errors = m.badGroups;
    const id = deviceIdOf(meterId);
    this.ctx.entities.update(id, values);
    // A frame is already a batch: send it now rather than after the coalescing window (only this
    // meter's device: other modules' devices keep their windows).
    this.ctx.entities.flush(id);
    this.ctx.entities.setAvailability(id, true);
    this.ctx.setStatus('ok');
    this.ctx.timers.clear(m.silence);
    m.silence = this.ctx.timers.setTimeout(() => {
      this.ctx.entities.setAvailability(id, false);
      this.ctx.setStatus('degraded', `${meterId}: no frame for ${this.ctx.config.availability_timeout_s} s`);
    }, this.ctx.config.availability_timeout_s * 1000);
    if (d.tempo_today && d.tempo_today !== 'unknown') this.onTempo?.(day, d.tempo_today);
    if (m.frames % 600 === 1) this.persist(meterId, m);
    this.onFrame?.(f, d);
  }

  /**
   * The meter's state, created with its first frame. Its entities are declared from what it has
   * shown so far (never fewer); a frame in another mode than the meter's is not this meter's.
   */
  private known(meterId: string, f: TicFrame, d: Derived, now: number): KnownMeter | undefined {
    let m = this.meters.get(meterId);
    if (!m) {
      const guard = new IndexGuard({ margin: this.ctx.config.index_guard_margin });
      const saved = this.states.get(meterId);
      guard.restore(saved?.guard);
      const day = localDayOf(now, this.ctx.config.timezone);
      const shape = new LearnedShape(saved?.shape?.meterId === meterId ? saved.shape : undefined);
      m = {
        shape,
        guard,
        silence: undefined,
        day,
        maxToday: saved?.day === day ? (saved.maxToday ?? 0) : 0,
        frames: 0,
        badGroups: 0,
        groups: 0,
      };
      this.meters.set(meterId, m);
      if (shape.shape) this.declare(shape.shape);
    }
    if (m.shape.shape && m.shape.shape.mode !== f.mode) return undefined;
    // A short overload frame says nothing about the contract: keep the entities as they are.
    if (!f.short && m.shape.learn(shapeOf(meterId, f, d)) && m.shape.shape) this.declare(m.shape.shape);
    return m;
  }

  private declare(shape: MeterShape): void {
    const cfg = this.ctx.config;
    this.ctx.entities.declare(
      declaration(shape, this.t, this.ctx.lang, this.cfg.name, {
        powerMinIntervalMs: cfg.power_min_interval_s * 1000,
        powerDeadbandVa: cfg.power_deadband_va,
      }),
    );
  }

  /**
   * A historic meter's total: the sum of every index its contract counts, as last accepted by
   * the guard. Undefined until each has been accepted once: the sum of a subset would drop by
   * the missing index (HA reads a drop as a meter reset and counts the whole index again).
   */
  private historicTotal(m: KnownMeter): number | undefined {
    const shape = m.shape.shape;
    if (shape?.mode !== 'historic') return undefined;
    const labels = HISTORIC_TOTAL_OF[shape.contractKind];
    if (!labels) return undefined;
    let total = 0;
    for (const l of labels) {
      const v = m.guard.baseline(l);
      if (v === undefined) return undefined;
      total += v;
    }
    return total;
  }

  private persist(meterId: string, m: KnownMeter): void {
    const saving = this.states
      .save(meterId, { guard: m.guard.snapshot(), day: m.day, maxToday: m.maxToday, shape: m.shape.shape })
      .catch((err) => this.ctx.log.warn(() => `cannot save the state of meter ${meterId}`, err))
      .finally(() => this.saving.delete(saving));
    this.saving.add(saving);
  }
}

/**
 * The saved state of every meter of this installation (ctx.store, `linky-meter-<id>`), read
 * once: a meter seen before is known at its first frame, with its baselines and shape.
 */
export class MeterStates {
  private readonly values = new Map<string, SavedMeter>();
  private readonly files = new Map<string, StateFile<SavedMeter>>();
  private loading: Promise<void> | undefined;

  constructor(private readonly ctx: ModuleContext<LinkyConfig>) {}

  ready(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<void> {
    for (const { meterId } of savedMeterFiles(this.ctx.dataDir)) {
      if (this.files.has(meterId)) continue;
      const { file, outcome } = await loadState<SavedMeter>(
        this.ctx,
        meterStateName(meterId),
        legacyMeterFile(meterId),
      );
      this.files.set(meterId, file);
      if (outcome.value) this.values.set(meterId, outcome.value);
    }
  }

  has(meterId: string): boolean {
    return this.values.has(meterId);
  }

  get(meterId: string): SavedMeter | undefined {
    return this.values.get(meterId);
  }

  save(meterId: string, value: SavedMeter): Promise<void> {
    this.values.set(meterId, value);
    let file = this.files.get(meterId);
    if (!file) {
      file = this.ctx.store.state<SavedMeter>(meterStateName(meterId), { version: 1 });
      this.files.set(meterId, file);
    }
    return file.save(value);
  }
}
