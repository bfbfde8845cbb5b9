/**
 * From Enedis readings to Home Assistant long-term statistics. Pure functions:
 * - the 30-minute load curve (average W, dated at the END of each interval) becomes Wh per UTC
 *   hour; a day is kept hour by hour only when its curve is complete;
 * - days without a curve are one point at local midnight with the daily total;
 * - sums are recomputed from a fixed baseline (0 before the first day kept), so importing the
 *   same data twice gives the same rows: the import is idempotent;
 * - costs from configured prices (base, HP/HC with off-peak hours, Tempo colours), by date range.
 */
import type { MonitorConfig } from '../../../config/types.generated.js';
import type { MeterPoint } from './format.js';
import { localDayOf, localHourOf, localToUtc } from './time.js';

export interface DayHours {
  /** UTC hour start (ms, as a string key) → Wh. */
  [hourStartMs: string]: number;
}

export interface EnergyPoint {
  start: number;
  wh: number;
  day: string;
  /** Local hour of a curve point; undefined for a daily total. */
  hour?: number;
}

/** Load curve points → complete days of hourly Wh. Days with a gap are left out (retried). */
export function curveToHours(points: MeterPoint[], timeZone: string): Record<string, DayHours> {
  const perDay = new Map<string, { hours: DayHours; count: number; gap: boolean }>();
  let prevEnd = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    const minutes = p.intervalMin ?? 30;
    let end = localToUtc(p.date, timeZone);
    if (Number.isNaN(end)) continue;
    // The repeated autumn hour: local times come twice, the second time one hour later.
    while (end <= prevEnd) end += 3_600_000;
    prevEnd = end;
    const start = end - minutes * 60_000;
    const day = localDayOf(start, timeZone);
    let d = perDay.get(day);
    if (!d) {
      d = { hours: {}, count: 0, gap: false };
      perDay.set(day, d);
    }
    if (p.value === null) {
      d.gap = true;
      continue;
    }
    const hour = String(Math.floor(start / 3_600_000) * 3_600_000);
    d.hours[hour] = (d.hours[hour] ?? 0) + (p.value * minutes) / 60;
    d.count += minutes;
  }
  const out: Record<string, DayHours> = {};
  for (const [day, d] of perDay) {
    // 24 h a day, 23 or 25 on the days clocks change.
    if (!d.gap && d.count >= 23 * 60) out[day] = d.hours;
  }
  return out;
}

/** Every point to import, in time order: hourly where the curve is known, daily elsewhere. */
export function energyPoints(
  daily: Record<string, number>,
  hourly: Record<string, DayHours>,
  timeZone: string,
): EnergyPoint[] {
  const days = [...new Set([...Object.keys(daily), ...Object.keys(hourly)])].sort();
  const out: EnergyPoint[] = [];
  for (const day of days) {
    const h = hourly[day];
    if (h) {
      for (const k of Object.keys(h).sort((a, b) => Number(a) - Number(b))) {
        const start = Number(k);
        out.push({ start, wh: h[k]!, day, hour: localHourOf(start, timeZone) });
      }
    } else if (daily[day] !== undefined) {
      out.push({ start: localToUtc(day, timeZone), wh: daily[day]!, day });
    }
  }
  return out;
}

export interface StatRow {
  start: string;
  state: number;
  sum: number;
}

/** Cumulative rows from baseline 0: the same input always gives the same rows. */
export function cumulative(points: Array<{ start: number; value: number }>, digits = 3): StatRow[] {
  let sum = 0;
  const f = 10 ** digits;
  return points.map((p) => {
    sum += p.value;
    return {
      start: new Date(p.start).toISOString(),
      state: Math.round(p.value * f) / f,
      sum: Math.round(sum * f) / f,
    };
  });
}

/** One entry of `linky.prices`, as the config schema defines it (generated type). */
export type PriceEntry = NonNullable<MonitorConfig['linky']>['prices'][number];

/** Parses "22:00-06:00" ranges into a function local hour → off-peak (hour granularity). */
export function offPeakHours(ranges: string[]): (hour: number) => boolean {
  const set = new Set<number>();
  for (const r of ranges) {
    const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(r);
    if (!m) continue;
    const a = Number(m[1]);
    const b = Number(m[3]) + (Number(m[4]) > 0 ? 1 : 0);
    for (let h = a; h !== b % 24; h = (h + 1) % 24) {
      set.add(h);
      if (set.size >= 24) break;
    }
  }
  return (h) => set.has(h);
}

export interface CostResult {
  points: Array<{ start: number; value: number }>;
  /** Tempo days without a known colour (priced as blue). */
  unknownColourDays: string[];
  /** Days no price entry covers (cost 0). */
  unpricedDays: string[];
}

/** Cost of each energy point, plus the subscription spread over the days. */
export function costPoints(
  points: EnergyPoint[],
  prices: PriceEntry[],
  offPeak: string[],
  tempo: Record<string, string>,
): CostResult {
  const isHc = offPeakHours(offPeak);
  const hcShare =
    Array.from({ length: 24 }, (_, h) => (isHc(h) ? 1 : 0)).reduce((a: number, b) => a + b, 0) / 24;
  const unknown = new Set<string>();
  const unpriced = new Set<string>();
  const seenDay = new Set<string>();
  const out: Array<{ start: number; value: number }> = [];
  for (const p of points) {
    const price = prices.find((e) => (!e.from || e.from <= p.day) && (!e.to || p.day <= e.to));
    if (!price) {
      unpriced.add(p.day);
      out.push({ start: p.start, value: 0 });
      continue;
    }
    let hc = price.hc;
    let hp = price.hp;
    const tempoPrices = [
      price.tempo_blue_hc,
      price.tempo_blue_hp,
      price.tempo_white_hc,
      price.tempo_white_hp,
      price.tempo_red_hc,
      price.tempo_red_hp,
    ];
    if (tempoPrices.some((x) => x > 0)) {
      const colour = tempo[p.day];
      if (colour !== 'white' && colour !== 'red' && colour !== 'blue') unknown.add(p.day);
      const c = colour === 'white' ? 1 : colour === 'red' ? 2 : 0;
      hc = tempoPrices[c * 2]!;
      hp = tempoPrices[c * 2 + 1]!;
    } else if (hc === 0 && hp === 0) {
      hc = price.base;
      hp = price.base;
    }
    // A daily total without its curve: split by the share of off-peak hours in the day.
    const perKwh = p.hour === undefined ? hcShare * hc + (1 - hcShare) * hp : isHc(p.hour) ? hc : hp;
    let value = (p.wh / 1000) * perKwh;
    if (!seenDay.has(p.day)) {
      seenDay.add(p.day);
      value += (price.subscription_per_month * 12) / 365;
    }
    out.push({ start: p.start, value });
  }
  return { points: out, unknownColourDays: [...unknown].sort(), unpricedDays: [...unpriced].sort() };
}
