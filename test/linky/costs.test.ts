/**
 * From Enedis readings to statistics rows (enedis/stats.ts): costs with base, HP/HC and Tempo
 * prices over date ranges, off-peak hour ranges, load curve → complete days of hourly energy
 * (clock changes included), and sums from a fixed baseline. Expected costs are computed here by
 * hand from the price table, not by the code under test. Prices are of the form of the French
 * regulated tariffs (€/kWh); the exact figures do not matter.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MeterPoint } from '../../addon/src/modules/linky/enedis/format.js';
import {
  costPoints,
  cumulative,
  curveToHours,
  type EnergyPoint,
  energyPoints,
  offPeakHours,
  type PriceEntry,
} from '../../addon/src/modules/linky/enedis/stats.js';
import { localDayOf, localToUtc } from '../../addon/src/modules/linky/enedis/time.js';
import { TEMPO_PRICES } from './tempo-prices.js';

const TZ = 'Europe/Paris';
const OFF_PEAK = ['22:00-06:00'];

function price(p: Partial<PriceEntry>): PriceEntry {
  return {
    from: '',
    to: '',
    base: 0,
    hc: 0,
    hp: 0,
    tempo_blue_hc: 0,
    tempo_blue_hp: 0,
    tempo_white_hc: 0,
    tempo_white_hp: 0,
    tempo_red_hc: 0,
    tempo_red_hp: 0,
    subscription_per_month: 0,
    ...p,
  };
}

/** An hourly point at local `hour` of `day` (Paris), `wh` watt-hours. */
const at = (day: string, hour: number, wh: number): EnergyPoint => ({
  start: localToUtc(`${day} ${String(hour).padStart(2, '0')}:00`, TZ),
  wh,
  day,
  hour,
});
const daily = (day: string, wh: number): EnergyPoint => ({ start: localToUtc(day, TZ), wh, day });
const close = (a: number, b: number, what = '') => assert.ok(Math.abs(a - b) < 1e-9, `${what} ${a} ≠ ${b}`);

describe('costs', () => {
  it('HP/HC: each hour at its price, the subscription once a day', () => {
    const prices = [price({ hc: 0.2, hp: 0.27, subscription_per_month: 12 })];
    const r = costPoints(
      [
        at('2026-01-15', 23, 1000),
        at('2026-01-15', 12, 2000),
        at('2026-01-15', 5, 500),
        at('2026-01-15', 6, 500),
      ],
      prices,
      OFF_PEAK,
      {},
    );
    const perDay = (12 * 12) / 365;
    close(r.points[0]!.value, 1 * 0.2 + perDay, '23:00 off-peak');
    close(r.points[1]!.value, 2 * 0.27, '12:00 peak');
    close(r.points[2]!.value, 0.5 * 0.2, '05:00 off-peak');
    close(r.points[3]!.value, 0.5 * 0.27, '06:00 peak');
    assert.deepEqual(r.unpricedDays, []);
  });

  it('a daily total without its curve is split by the share of off-peak hours', () => {
    const r = costPoints([daily('2026-01-15', 3000)], [price({ hc: 0.2, hp: 0.26 })], OFF_PEAK, {});
    // 8 off-peak hours of 24: 1/3 at 0.20, 2/3 at 0.26.
    close(r.points[0]!.value, 3 * (0.2 / 3 + (0.26 * 2) / 3));
  });

  it('base price when no HP/HC price is set', () => {
    const r = costPoints(
      [at('2026-01-15', 23, 1000), at('2026-01-15', 12, 1000)],
      [price({ base: 0.25 })],
      [],
      {},
    );
    assert.deepEqual(
      r.points.map((p) => p.value),
      [0.25, 0.25],
    );
  });

  it('Tempo: the price of the day colour and period; a day without colour is priced blue and listed', () => {
    const tempo = price(TEMPO_PRICES);
    const colours = { '2026-01-15': 'red', '2026-01-16': 'white', '2026-01-17': 'unknown' };
    const r = costPoints(
      [
        at('2026-01-15', 12, 1000),
        at('2026-01-15', 23, 1000),
        at('2026-01-16', 12, 1000),
        at('2026-01-16', 2, 1000),
        at('2026-01-17', 12, 1000),
        at('2026-01-18', 3, 1000),
      ],
      [tempo],
      OFF_PEAK,
      colours,
    );
    assert.deepEqual(
      r.points.map((p) => p.value),
      [0.66, 0.15, 0.18, 0.14, 0.16, 0.13],
    );
    assert.deepEqual(r.unknownColourDays, ['2026-01-17', '2026-01-18']);
  });

  it('date ranges: each day priced by the entry covering it (bounds included); uncovered days cost 0 and are listed', () => {
    const prices = [
      price({ from: '2025-02-01', to: '2025-07-31', hc: 0.2, hp: 0.27 }),
      price({ from: '2025-08-01', hc: 0.21, hp: 0.28 }),
    ];
    const r = costPoints(
      [
        at('2025-01-31', 12, 1000),
        at('2025-02-01', 12, 1000),
        at('2025-07-31', 23, 1000),
        at('2025-08-01', 23, 1000),
        at('2026-03-01', 12, 1000),
      ],
      prices,
      OFF_PEAK,
      {},
    );
    assert.deepEqual(
      r.points.map((p) => p.value),
      [0, 0.27, 0.2, 0.21, 0.28],
    );
    assert.deepEqual(r.unpricedDays, ['2025-01-31']);
  });

  it('off-peak ranges at hour granularity, across midnight, several ranges', () => {
    const hours = (ranges: string[]) => {
      const f = offPeakHours(ranges);
      return Array.from({ length: 24 }, (_, h) => h).filter(f);
    };
    assert.deepEqual(hours(['22:00-06:00']), [0, 1, 2, 3, 4, 5, 22, 23]);
    assert.deepEqual(hours(['02:00-07:00', '14:00-17:00']), [2, 3, 4, 5, 6, 14, 15, 16]);
    // A range ending at half past counts its last hour (the curve is summed per hour).
    assert.deepEqual(hours(['12:30-14:30']), [12, 13, 14]);
    assert.deepEqual(hours(['nonsense']), []);
  });
});

describe('statistics rows', () => {
  it('sums grow from a fixed baseline: the same input always gives the same rows', () => {
    const points = [
      { start: Date.parse('2026-01-01T00:00:00Z'), value: 1.23456 },
      { start: Date.parse('2026-01-01T01:00:00Z'), value: 2 },
    ];
    const rows = cumulative(points);
    assert.deepEqual(rows, [
      { start: '2026-01-01T00:00:00.000Z', state: 1.235, sum: 1.235 },
      { start: '2026-01-01T01:00:00.000Z', state: 2, sum: 3.235 },
    ]);
    assert.deepEqual(cumulative(points), rows);
    assert.equal(cumulative(points, 4)[0]!.state, 1.2346);
  });

  /** 30-minute points of one local day, dated at the END of each interval, `w` W each. */
  function curveOf(day: string, next: string, w: number, halfHours = 48): MeterPoint[] {
    const out: MeterPoint[] = [];
    for (let i = 1; i <= halfHours; i++) {
      const h = Math.floor(i / 2);
      const date =
        i === halfHours
          ? `${next} 00:00:00`
          : `${day} ${String(h).padStart(2, '0')}:${i % 2 ? '30' : '00'}:00`;
      out.push({ date, value: w, intervalMin: 30 });
    }
    return out;
  }

  it('a complete day of load curve becomes 24 hourly values; a day with a gap is left out', () => {
    const good = curveToHours(curveOf('2026-01-15', '2026-01-16', 1000), TZ);
    const hours = good['2026-01-15']!;
    assert.equal(Object.keys(hours).length, 24);
    assert.ok(Object.values(hours).every((wh) => wh === 1000));
    assert.equal(Number(Object.keys(hours).sort()[0]), Date.parse('2026-01-14T23:00:00Z'));
    const gap = curveOf('2026-01-15', '2026-01-16', 1000);
    gap[10] = { ...gap[10]!, value: null };
    assert.deepEqual(curveToHours(gap, TZ), {});
    assert.deepEqual(curveToHours(curveOf('2026-01-15', '2026-01-16', 1000).slice(0, 40), TZ), {});
  });

  it('the autumn clock change (25 h) and the spring one (23 h) still give complete days', () => {
    // 2026-10-25 in Paris: at 03:00 summer time the clocks go back to 02:00, so the interval
    // ends read on the wall clock are 00:30 … 02:00, 02:30, then 02:00, 02:30 again, 03:00 …
    // (50 half-hours); on 2026-03-29 they jump from 01:30 to 03:00 (46 half-hours).
    const autumn: MeterPoint[] = [];
    for (let i = 1; i <= 50; i++) {
      const minutes = i * 30 - (i > 5 ? 60 : 0);
      const h = Math.floor(minutes / 60);
      const date =
        i === 50
          ? '2026-10-26 00:00:00'
          : `2026-10-25 ${String(h).padStart(2, '0')}:${minutes % 60 ? '30' : '00'}:00`;
      autumn.push({ date, value: 1000, intervalMin: 30 });
    }
    const a = curveToHours(autumn, TZ)['2026-10-25'];
    assert.equal(Object.keys(a ?? {}).length, 25);
    // Nothing lost, nothing counted twice: 50 half-hours at 1 kW.
    assert.equal(
      Object.values(a ?? {}).reduce((x, y) => x + y, 0),
      25_000,
    );
    const spring = curveToHours(
      curveOf('2026-03-29', '2026-03-30', 1000).filter((p) => !p.date.startsWith('2026-03-29 02:')),
      TZ,
    )['2026-03-29'];
    assert.equal(Object.keys(spring ?? {}).length, 23);
    assert.equal(
      Object.values(spring ?? {}).reduce((x, y) => x + y, 0),
      23_000,
    );
    // Hourly points get their local hour, for HP/HC pricing.
    const pts = energyPoints(
      {},
      { '2026-01-15': curveToHours(curveOf('2026-01-15', '2026-01-16', 1000), TZ)['2026-01-15']! },
      TZ,
    );
    assert.deepEqual(
      pts.map((p) => p.hour),
      Array.from({ length: 24 }, (_, h) => h),
    );
  });

  it('local Enedis dates to UTC: the first instant of the repeated hour, the skipped hour moved on', () => {
    assert.equal(new Date(localToUtc('2026-01-15 08:00', TZ)).toISOString(), '2026-01-15T07:00:00.000Z');
    assert.equal(new Date(localToUtc('2026-07-15', TZ)).toISOString(), '2026-07-14T22:00:00.000Z');
    assert.equal(new Date(localToUtc('2026-10-25 02:30:00', TZ)).toISOString(), '2026-10-25T00:30:00.000Z');
    assert.equal(new Date(localToUtc('2026-10-25 03:00:00', TZ)).toISOString(), '2026-10-25T02:00:00.000Z');
    assert.equal(new Date(localToUtc('2026-03-29 02:30', TZ)).toISOString(), '2026-03-29T01:30:00.000Z');
    assert.equal(localDayOf(localToUtc('2026-03-29 02:30', TZ), TZ), '2026-03-29');
    assert.ok(Number.isNaN(localToUtc('29/03/2026', TZ)));
  });
});
