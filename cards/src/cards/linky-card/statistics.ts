/**
 * HA's long-term statistics through `recorder/statistics_during_period`. The command is not
 * documented and has changed shape before (row `start` was an ISO string until 2023.3, then
 * milliseconds), so it is wrapped here: one request per card for every statistic it shows,
 * the answer checked and turned into daily rows, any failure turned into a `StatisticsError`
 * the card shows in words. Answers are cached per request and re-asked at most every
 * `STATISTICS_REFRESH_MS`, however often `hass` changes and however many cards share them.
 */
import type { HomeAssistant } from '../../shared/types.js';
import { STATISTICS_REFRESH_MS } from './const.js';
import { type DayRow, dayStart } from './utils.js';

export interface StatisticIds {
  energy?: string;
  cost?: string;
  hp: string[];
  hc: string[];
}

/**
 * `reason`: `unexpected` (an answer the card does not understand), `no_websocket`, or `refused`
 * (HA answered with an error; `message` is then HA's own text).
 */
export class StatisticsError extends Error {
  constructor(
    readonly reason: 'unexpected' | 'no_websocket' | 'refused',
    message: string,
  ) {
    super(message);
  }
}

interface Row {
  start: number | string;
  change?: number | null;
}

function startMs(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : undefined;
  }
  return undefined;
}

/** Daily rows from the answer; throws on a shape the card does not understand. */
export function dailyRows(answer: unknown, ids: StatisticIds, days: number, now: number): DayRow[] {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    throw new StatisticsError('unexpected', 'answer is not an object');
  }
  const byId = answer as Record<string, unknown>;
  const rows: DayRow[] = [];
  for (let i = days - 1; i >= 0; i--) rows.push({ start: dayStart(now, -i) });
  const index = new Map(rows.map((r, i) => [r.start, i]));
  const add = (id: string | undefined, field: 'energy' | 'cost' | 'hp' | 'hc') => {
    if (!id) return;
    const list = byId[id];
    if (list === undefined) return;
    if (!Array.isArray(list)) throw new StatisticsError('unexpected', `rows of ${id}`);
    for (const r of list as Row[]) {
      const t = startMs(r?.start);
      if (t === undefined) throw new StatisticsError('unexpected', `a row of ${id}`);
      // Day buckets start at the server's local midnight; match them to ours within the hour.
      const i = index.get(dayStart(t + 3_600_000));
      if (i === undefined || typeof r.change !== 'number' || !Number.isFinite(r.change)) continue;
      const row = rows[i] as DayRow;
      row[field] = (row[field] ?? 0) + r.change;
    }
  };
  add(ids.energy, 'energy');
  add(ids.cost, 'cost');
  for (const id of ids.hp) add(id, 'hp');
  for (const id of ids.hc) add(id, 'hc');
  return rows;
}

export function statisticsRequest(ids: StatisticIds, days: number, now: number): Record<string, unknown> {
  const list = [ids.energy, ids.cost, ...ids.hp, ...ids.hc].filter((x): x is string => !!x);
  return {
    type: 'recorder/statistics_during_period',
    start_time: new Date(dayStart(now, -(days - 1))).toISOString(),
    statistic_ids: [...new Set(list)],
    period: 'day',
    types: ['change'],
    units: { energy: 'kWh' },
  };
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err) return String(err.message);
  return String(err);
}

export async function fetchDaily(
  hass: HomeAssistant,
  ids: StatisticIds,
  days: number,
  now: number,
): Promise<DayRow[]> {
  if (!hass.callWS) throw new StatisticsError('no_websocket', '');
  let answer: unknown;
  try {
    answer = await hass.callWS(statisticsRequest(ids, days, now));
  } catch (err) {
    throw new StatisticsError('refused', errorText(err));
  }
  return dailyRows(answer, ids, days, now);
}

interface Entry {
  at: number;
  promise: Promise<DayRow[]>;
}

/** Shared by every card on the page: two cards showing the same meter ask once. */
const cache = new Map<string, Entry>();

/**
 * The cached rows for this request when fresh enough, else a new request. `fresh` tells the
 * caller whether it may skip asking (no promise to await): a `hass` update costs one compare.
 */
export function cachedDaily(
  hass: HomeAssistant,
  ids: StatisticIds,
  days: number,
  now: number,
): { key: string; promise: Promise<DayRow[]> } {
  const key = JSON.stringify([ids, days, dayStart(now)]);
  const hit = cache.get(key);
  if (hit && now - hit.at < STATISTICS_REFRESH_MS) return { key, promise: hit.promise };
  const promise = fetchDaily(hass, ids, days, now);
  cache.set(key, { at: now, promise });
  // A failure is not cached for long: the next refresh slot asks again.
  promise.catch(() => {});
  return { key, promise };
}

/** For tests and the bench: forget every cached answer. */
export function clearStatisticsCache(): void {
  cache.clear();
}
