/**
 * The daily Enedis sync. Data of a day is published the next day around 08:00, so one sync a
 * day runs at a random minute in the two hours after `sync_hour` (the service asks for spread
 * requests), plus one retry in the early afternoon when yesterday was still missing. Every
 * missing day of the back-fill window is asked again until it arrives: a failed day is never
 * skipped. Then the statistics (consumption, cost, production) are recomputed from the store
 * and imported into Home Assistant; progress shows on an `enedis_<prm>` device and in the log.
 */
import { Backoff } from '../../../core/backoff.js';
import type { ModuleContext } from '../../../core/module.js';
import type { StateFile } from '../../../core/store.js';
import { slugify } from '../../../entities/model.js';
import type { StatisticMetadata } from '../../../ha/websocket.js';
import type { LinkyConfig } from '../meter.js';
import { enedisStateName, LEGACY_TEMPO_FILE, legacyEnedisFile, loadState, TEMPO_STATE } from '../persist.js';
import { ConsoApiError, ConsoClient, type DataType, prmsOfToken } from './client.js';
import { ImportProgress } from './progress.js';
import { nextSyncAt, ranges } from './schedule.js';
import { costPoints, cumulative, curveToHours, energyPoints } from './stats.js';
import { emptyStore, type PrmStore } from './store.js';
import { addDays, daysBetween, localDayOf } from './time.js';

export const SOURCE = 'monitor';
export const statisticId = (prm: string, kind: '' | '_cost' | '_production') =>
  `${SOURCE}:linky_${prm}${kind}`;

const DAILY_CHUNK = 180;
const CURVE_CHUNK = 7;

export interface SyncOptions {
  now?: () => number;
  random?: () => number;
  minIntervalMs?: number;
  userAgent?: string;
  /** Arms the timer of the next sync and returns its cancel (default: the module's own timers). */
  setTimer?: (run: () => void, delayMs: number) => () => void;
  /**
   * How long an import waits for Home Assistant's websocket (the app usually starts before HA);
   * after that the run fails and is retried with backoff.
   */
  haWaitMs?: number;
}

/** Default wait for Home Assistant before an import gives up (HA takes minutes to boot). */
const HA_WAIT_MS = 10 * 60_000;
/** A failed sync is retried after 1 min, 2, 4… at most every hour, until the next daily slot. */
const RETRY = { initialMs: 60_000, maxMs: 3_600_000 };

export class EnedisSync {
  private readonly client: ConsoClient;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly setTimer: NonNullable<SyncOptions['setTimer']>;
  private cancelTimer: (() => void) | undefined;
  /** When the next sync is due (ms since epoch), for the status and the tests. */
  nextRunAt: number | undefined;
  private stopped = false;
  private tempo: Record<string, string> = {};
  private tempoFile: StateFile<Record<string, string>> | undefined;
  private readonly stores = new Map<string, { file: StateFile<PrmStore>; value: PrmStore }>();
  private loaded: Promise<void> | undefined;
  private running: Promise<void> | undefined;
  private readonly progress: ImportProgress;
  private readonly retry: Backoff;
  private readonly haWaitMs: number;
  prms: string[] = [];

  constructor(
    private readonly ctx: ModuleContext<LinkyConfig>,
    opts: SyncOptions = {},
  ) {
    const e = ctx.config.enedis;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    // The module's timers run isolated and are cleared when the module stops.
    this.setTimer =
      opts.setTimer ??
      ((run, delayMs) => {
        const t = ctx.timers.setTimeout(run, delayMs);
        return () => ctx.timers.clear(t);
      });
    this.haWaitMs = opts.haWaitMs ?? HA_WAIT_MS;
    this.retry = new Backoff({ ...RETRY, random: this.random });
    this.client = new ConsoClient({
      baseUrl: e.base_url,
      token: e.token,
      userAgent:
        opts.userAgent ?? `Monitor/${ctx.version} (Home Assistant add-on; github.com/monitor-ha/monitor)`,
      minIntervalMs: opts.minIntervalMs ?? 1000,
    });
    this.progress = new ImportProgress(ctx);
  }

  get requests(): number {
    return this.client.requests;
  }

  async start(): Promise<void> {
    this.stopped = false;
    const e = this.ctx.config.enedis;
    this.prms = e.prms.length ? e.prms : prmsOfToken(e.token);
    if (this.prms.length === 0) {
      this.ctx.log.warn('Enedis: no PRM given and none found in the token; history disabled');
      return;
    }
    // The progress device is declared at the first sync, maybe hours after start: keep it.
    for (const p of this.prms) this.ctx.entities.keepDevice(`enedis_${slugify(p)}`);
    if (!this.ctx.ha)
      this.ctx.log.warn(
        'Enedis: no Home Assistant websocket (homeassistant.*): data is fetched but not imported',
      );
    await this.ensureLoaded();
    for (const p of this.prms) await this.storeOf(p);
    // First start, or yesterday still missing: sync soon (spread over a few minutes).
    const behind = this.yesterdayMissing();
    this.schedule(behind ? 30_000 + this.random() * 270_000 : undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.nextRunAt = undefined;
    await this.running;
  }

  /** Resolves when the sync in progress (if any) is over. */
  async idle(): Promise<void> {
    await this.running;
  }

  recordTempo(day: string, colour: string): void {
    if (this.tempo[day] === colour) return;
    this.tempo[day] = colour;
    this.tempoFile ??= this.ctx.store.state<Record<string, string>>(TEMPO_STATE, { version: 1 });
    this.tempoFile.save(this.tempo).catch((err) => this.ctx.log.warn('cannot save the Tempo colours', err));
  }

  /** Reads the Tempo colours once (the PRM stores are read as they are needed). */
  private ensureLoaded(): Promise<void> {
    this.loaded ??= (async () => {
      const { file, outcome } = await loadState<Record<string, string>>(
        this.ctx,
        TEMPO_STATE,
        LEGACY_TEMPO_FILE,
      );
      this.tempoFile = file;
      // Colours recorded while loading win over the saved ones.
      this.tempo = { ...(outcome.value ?? {}), ...this.tempo };
    })();
    return this.loaded;
  }

  /**
   * What was fetched for a PRM, read once from the store. A file that cannot be read is kept
   * aside and reported by the store; the history is then fetched again, and the log says so.
   */
  private async storeOf(prm: string): Promise<PrmStore> {
    const known = this.stores.get(prm);
    if (known) return known.value;
    const { file, outcome } = await loadState<PrmStore>(
      this.ctx,
      enedisStateName(prm),
      legacyEnedisFile(prm),
    );
    if (outcome.corrupt)
      this.ctx.log.error(
        () =>
          `Enedis ${prm}: the saved history could not be read (${outcome.corrupt}); the last ${this.ctx.config.enedis.backfill_days} days are fetched again`,
      );
    const value = { ...emptyStore(), ...(outcome.value ?? {}) };
    this.stores.set(prm, { file, value });
    return value;
  }

  /** Whether yesterday is missing for a PRM (unknown stores count as missing). */
  private yesterdayMissing(): boolean {
    const yesterday = addDays(localDayOf(this.now(), this.ctx.config.timezone), -1);
    return this.prms.some((p) => this.stores.get(p)?.value.daily[yesterday] === undefined);
  }

  /** Next run: in `inMs` (or the next daily slot if sooner), else the next daily slot (see nextSyncAt). */
  private schedule(inMs?: number): void {
    this.cancelTimer?.();
    // A sync that was running when the module stopped must not arm the next one.
    if (this.stopped) return;
    const now = this.now();
    const tz = this.ctx.config.timezone;
    const slot = nextSyncAt(now, tz, this.ctx.config.enedis.sync_hour, this.yesterdayMissing(), this.random);
    const at = inMs !== undefined ? Math.min(now + inMs, slot) : slot;
    this.nextRunAt = at;
    this.ctx.log.debug(() => `Enedis: next sync at ${new Date(at).toISOString()}`);
    this.cancelTimer = this.setTimer(() => {
      this.cancelTimer = undefined;
      this.running = this.runOnce().then(
        () => {
          this.retry.reset();
          this.schedule();
        },
        (err) => {
          const delay = this.retry.next();
          this.ctx.log.error(() => `Enedis sync failed, retrying in ${Math.round(delay / 1000)} s`, err);
          this.schedule(delay);
        },
      );
    }, at - now);
  }

  /** One sync of every PRM: fetch what is missing, then import the statistics. */
  async runOnce(): Promise<void> {
    await this.ensureLoaded();
    for (const prm of this.prms) await this.syncPrm(prm);
  }

  private async fetchDays(
    prm: string,
    s: PrmStore,
    type: DataType,
    days: string[],
    chunk: number,
    keep: (r: Awaited<ReturnType<ConsoClient['get']>>, from: string, to: string) => void,
    progress: () => void,
  ): Promise<void> {
    for (const [from, to] of ranges(days, chunk)) {
      try {
        const r = await this.client.get(type, prm, from, to);
        keep(r, from, to);
      } catch (err) {
        const e = err as ConsoApiError;
        this.ctx.log.warn(() => `Enedis ${prm} ${type} ${from} → ${to}: ${e.message}`);
        // Before the meter's activation or the history limit: nothing will ever come.
        if (e.code === 'ADAM-ERR0123') s.noDataBefore = to;
        for (const d of daysBetween(from, addDays(to, -1))) s.failed[d] = e.message;
        if (e instanceof ConsoApiError && e.status === 401) throw e;
      }
      progress();
    }
  }

  private async syncPrm(prm: string): Promise<void> {
    const cfg = this.ctx.config;
    const tz = cfg.timezone;
    const s = await this.storeOf(prm);
    const today = localDayOf(this.now(), tz);
    const yesterday = addDays(today, -1);
    const first = addDays(today, -cfg.enedis.backfill_days);
    const window = daysBetween(s.noDataBefore && s.noDataBefore > first ? s.noDataBefore : first, yesterday);
    const hourlyFrom = addDays(today, -cfg.enedis.hourly_days);
    const needDaily = window.filter((d) => s.daily[d] === undefined);
    const needCurve = window.filter((d) => d >= hourlyFrom && s.hourly[d] === undefined);
    const needProd = cfg.enedis.production ? window.filter((d) => s.prodDaily[d] === undefined) : [];
    const total =
      ranges(needDaily, DAILY_CHUNK).length +
      ranges(needCurve, CURVE_CHUNK).length +
      ranges(needProd, DAILY_CHUNK).length +
      1;
    let done = 0;
    const progress = () => {
      done++;
      this.progress.publish(prm, s, window, Math.min(99, Math.round((100 * done) / total)));
    };
    this.ctx.log.info(
      () =>
        `Enedis ${prm}: ${needDaily.length} day(s) of consumption and ${needCurve.length} of load curve to fetch (${window[0] ?? '-'} → ${yesterday})`,
    );
    const keepDaily =
      (target: Record<string, number>) => (r: { points: Array<{ date: string; value: number | null }> }) => {
        for (const p of r.points) {
          const day = p.date.slice(0, 10);
          if (p.value === null) continue;
          target[day] = p.value;
          delete s.failed[day];
        }
      };
    try {
      await this.fetchDays(
        prm,
        s,
        'consommation_quotidienne',
        needDaily,
        DAILY_CHUNK,
        keepDaily(s.daily),
        progress,
      );
      await this.fetchDays(
        prm,
        s,
        'courbe_de_charge_consommation',
        needCurve,
        CURVE_CHUNK,
        (r) => Object.assign(s.hourly, curveToHours(r.points, tz)),
        progress,
      );
      if (cfg.enedis.production)
        await this.fetchDays(
          prm,
          s,
          'production_quotidienne',
          needProd,
          DAILY_CHUNK,
          keepDaily(s.prodDaily),
          progress,
        );
      await this.fetchDays(
        prm,
        s,
        'puissance_conso_max_quotidienne',
        daysBetween(addDays(today, -7), yesterday),
        7,
        (r) => {
          for (const p of r.points)
            if (p.value !== null) s.maxPower[p.date.slice(0, 10)] = { va: p.value, at: p.date };
        },
        () => {},
      );
    } finally {
      for (const d of Object.keys(s.failed))
        if (s.daily[d] !== undefined && (d < hourlyFrom || s.hourly[d])) delete s.failed[d];
      s.lastSync = new Date(this.now()).toISOString();
      await this.stores.get(prm)?.file.save(s);
    }
    await this.importStatistics(prm, s);
    this.progress.publish(prm, s, window, 100);
    const missing = window.filter((d) => s.daily[d] === undefined);
    this.ctx.log.info(
      () =>
        `Enedis ${prm}: ${window.length - missing.length}/${window.length} days imported${missing.length ? `, ${missing.length} still missing (retried next sync)` : ''}`,
    );
  }

  private async importStatistics(prm: string, s: PrmStore): Promise<void> {
    const ha = this.ctx.ha;
    if (!ha) return;
    // The app usually starts before Home Assistant: wait for it (bounded) rather than fail.
    if (!ha.connected)
      this.ctx.log.info(() => `Enedis ${prm}: waiting for Home Assistant to import the statistics`);
    await ha.ready(this.haWaitMs, this.ctx.signal);
    const cfg = this.ctx.config;
    const tz = cfg.timezone;
    const points = energyPoints(s.daily, s.hourly, tz);
    const meta = (id: string, name: string, unit: string, unitClass: string | null): StatisticMetadata => ({
      statistic_id: id,
      source: SOURCE,
      name,
      unit_of_measurement: unit,
      has_mean: false,
      has_sum: true,
      mean_type: 0,
      unit_class: unitClass,
    });
    const send = async (m: StatisticMetadata, rows: ReturnType<typeof cumulative>) => {
      for (let i = 0; i < rows.length; i += 1000) await ha.importStatistics(m, rows.slice(i, i + 1000));
    };
    await send(
      meta(statisticId(prm, ''), `Linky ${prm}`, 'Wh', 'energy'),
      cumulative(points.map((p) => ({ start: p.start, value: p.wh }))),
    );
    if (cfg.prices.length) {
      const cost = costPoints(points, cfg.prices, cfg.offpeak_hours, this.tempo);
      if (cost.unknownColourDays.length)
        this.ctx.log.info(
          () =>
            `Enedis ${prm}: ${cost.unknownColourDays.length} Tempo day(s) without a known colour, priced as blue`,
        );
      await send(
        meta(statisticId(prm, '_cost'), `Linky ${prm} cost`, 'EUR', null),
        cumulative(cost.points, 4),
      );
    }
    if (cfg.enedis.production) {
      const prod = energyPoints(s.prodDaily, s.prodHourly, tz);
      await send(
        meta(statisticId(prm, '_production'), `Linky ${prm} production`, 'Wh', 'energy'),
        cumulative(prod.map((p) => ({ start: p.start, value: p.wh }))),
      );
    }
  }
}
