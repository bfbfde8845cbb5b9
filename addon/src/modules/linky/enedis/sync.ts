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
import { slugify } from '../../../entities/model.js';
import type { StatisticMetadata } from '../../../ha/websocket.js';
import type { LinkyConfig } from '../meter.js';
import { ConsoApiError, ConsoClient, type DataType, prmsOfToken } from './client.js';
import { ImportProgress } from './progress.js';
import { nextSyncAt, ranges } from './schedule.js';
import { costPoints, cumulative, curveToHours, energyPoints } from './stats.js';
import { loadStore, loadTempo, type PrmStore, saveStore, saveTempo } from './store.js';
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
  /** Arms the timer of the next sync and returns its cancel (default: an unref'd setTimeout). */
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

const defaultTimer = (run: () => void, delayMs: number) => {
  const t = setTimeout(run, delayMs);
  t.unref();
  return () => clearTimeout(t);
};

export class EnedisSync {
  private readonly client: ConsoClient;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly setTimer: NonNullable<SyncOptions['setTimer']>;
  private cancelTimer: (() => void) | undefined;
  /** When the next sync is due (ms since epoch), for the status and the tests. */
  nextRunAt: number | undefined;
  private stopped = false;
  private tempo: Record<string, string>;
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
    this.setTimer = opts.setTimer ?? defaultTimer;
    this.haWaitMs = opts.haWaitMs ?? HA_WAIT_MS;
    this.retry = new Backoff({ ...RETRY, random: this.random });
    this.client = new ConsoClient({
      baseUrl: e.base_url,
      token: e.token,
      userAgent:
        opts.userAgent ?? `Monitor/${ctx.version} (Home Assistant add-on; github.com/monitor-ha/monitor)`,
      minIntervalMs: opts.minIntervalMs ?? 1000,
    });
    this.tempo = loadTempo(ctx.dataDir);
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
    // First start, or yesterday still missing: sync soon (spread over a few minutes).
    const yesterday = addDays(localDayOf(this.now(), this.ctx.config.timezone), -1);
    const behind = this.prms.some((p) => loadStore(this.ctx.dataDir, p).daily[yesterday] === undefined);
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
    saveTempo(this.ctx.dataDir, this.tempo);
  }

  /** Next run: in `inMs` (or the next daily slot if sooner), else the next daily slot (see nextSyncAt). */
  private schedule(inMs?: number): void {
    this.cancelTimer?.();
    // A sync that was running when the module stopped must not arm the next one.
    if (this.stopped) return;
    const now = this.now();
    const tz = this.ctx.config.timezone;
    const yesterday = addDays(localDayOf(now, tz), -1);
    const missing = this.prms.some((p) => loadStore(this.ctx.dataDir, p).daily[yesterday] === undefined);
    const slot = nextSyncAt(now, tz, this.ctx.config.enedis.sync_hour, missing, this.random);
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
    const s = loadStore(this.ctx.dataDir, prm);
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
      saveStore(this.ctx.dataDir, prm, s);
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
    if (!ha.connected) {
      this.ctx.log.info(() => `Enedis ${prm}: waiting for Home Assistant to import the statistics`);
      await ha.ready(this.haWaitMs);
    }
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
