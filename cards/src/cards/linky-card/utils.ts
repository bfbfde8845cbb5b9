/**
 * Pure Linky logic: finding a Monitor meter's entities, unit conversions, the gauge's zones,
 * words for tariff periods and Tempo colours (as codes or as words, French or English), and
 * the daily rows of a statistics answer. No DOM, no `hass` calls.
 */
import { numericState } from '../../shared/state.js';
import type { HassEntities, HassEntity } from '../../shared/types.js';
import {
  FIELD_NAMES,
  GAUGE_OVERSHOOT,
  LIVE_FIELDS,
  type LiveField,
  type TariffPeriod,
  type TempoColour,
  ZONE_WARNING,
} from './const.js';

/** Entity-id prefixes (without domain) of Monitor's Linky meters: `monitor_linky_021861348497`. */
export function findMeters(states: HassEntities): string[] {
  const out: string[] = [];
  for (const id of Object.keys(states)) {
    const m = /^sensor\.(\w*linky_[0-9a-z]+)_(?:apparent_power|subscribed_power)$/.exec(id);
    if (m && !out.includes(m[1] as string)) out.push(m[1] as string);
  }
  return out.sort();
}

/** The entity of each field: the config's mapping first, else the meter's entity when it exists. */
export function resolveFields(
  states: HassEntities,
  meter: string | undefined,
  mapped: Partial<Record<LiveField, string>>,
): Partial<Record<LiveField, string>> {
  const out: Partial<Record<LiveField, string>> = {};
  for (const f of FIELD_NAMES) {
    const own = mapped[f];
    if (own) out[f] = own;
    else if (meter && states[`${LIVE_FIELDS[f]}.${meter}_${f}`]) out[f] = `${LIVE_FIELDS[f]}.${meter}_${f}`;
  }
  return out;
}

/** Index entities of a meter (`…_index_hchc`, `…_index_easf01`), for the HP/HC split. */
export function indexEntities(states: HassEntities, meter: string | undefined): string[] {
  if (!meter) return [];
  const prefix = `sensor.${meter}_index_`;
  return Object.keys(states)
    .filter((id) => id.startsWith(prefix))
    .sort();
}

/**
 * Whether an index counts off-peak or peak hours. Historic labels say it (HCHC, BBRHPJR…);
 * standard-mode supplier indexes EASF01.. follow the contract's grid: HC/HP alternate, HC first.
 */
export function indexPeriod(entityId: string, contract: string | undefined): 'hc' | 'hp' | undefined {
  const label = entityId.slice(entityId.lastIndexOf('_index_') + 7).toUpperCase();
  if (/^(HCHC|BBRHCJ[BWR])$/.test(label)) return 'hc';
  if (/^(HCHP|BBRHPJ[BWR])$/.test(label)) return 'hp';
  const m = /^EASF(\d\d)$/.exec(label);
  const c = (contract ?? '').toUpperCase();
  if (m && (c.includes('HC') || c.includes('CREUSE') || c.includes('TEMPO') || c.startsWith('BBR'))) {
    return Number(m[1]) % 2 === 1 ? 'hc' : 'hp';
  }
  return undefined;
}

const POWER_FACTORS: Record<string, number> = { va: 1, w: 1, kva: 1000, kw: 1000, mva: 1e6, mw: 1e6 };

/** A power in VA whatever unit the entity uses (VA, kVA, W, kW); undefined when unknown. */
export function powerVA(s: HassEntity | undefined): number | undefined {
  const n = numericState(s);
  if (n === undefined) return undefined;
  const unit = String(s?.attributes.unit_of_measurement ?? 'VA').toLowerCase();
  const f = POWER_FACTORS[unit];
  return f === undefined ? undefined : n * f;
}

/** The subscribed power in VA: kVA entities (Monitor's), VA, or a bare number read as kVA. */
export function subscribedVA(s: HassEntity | undefined): number | undefined {
  const n = numericState(s);
  if (n === undefined || n <= 0) return undefined;
  if (s?.attributes.unit_of_measurement === undefined) return n * 1000;
  return powerVA(s);
}

export function currentA(s: HassEntity | undefined): number | undefined {
  const n = numericState(s);
  if (n === undefined) return undefined;
  return String(s?.attributes.unit_of_measurement ?? 'A') === 'mA' ? n / 1000 : n;
}

export type Zone = 'normal' | 'warning' | 'over';

export function zoneOf(va: number, subscribed: number): Zone {
  if (va > subscribed) return 'over';
  return va >= subscribed * ZONE_WARNING ? 'warning' : 'normal';
}

export interface Gauge {
  max: number;
  /** Fractions of the scale (0..1). */
  value: number;
  warning: number;
  subscribed: number;
  zone: Zone;
}

export function gauge(va: number, subscribed: number): Gauge {
  const max = Math.max(subscribed * GAUGE_OVERSHOOT, va);
  return {
    max,
    value: Math.max(0, Math.min(1, va / max)),
    warning: (subscribed * ZONE_WARNING) / max,
    subscribed: subscribed / max,
    zone: zoneOf(va, subscribed),
  };
}

/** A point of the gauge's half circle (0 = left end, 1 = right end), centre (50, 50), radius r. */
export function arcPoint(fraction: number, r: number): [number, number] {
  const a = Math.PI * (1 - fraction);
  return [50 + r * Math.cos(a), 50 - r * Math.sin(a)];
}

export function arcPath(from: number, to: number, r: number): string {
  const [x1, y1] = arcPoint(from, r);
  const [x2, y2] = arcPoint(to, r);
  return `M${x1.toFixed(2)} ${y1.toFixed(2)}A${r} ${r} 0 0 1 ${x2.toFixed(2)} ${y2.toFixed(2)}`;
}

/** Tariff period from Monitor's code or from words (either language, TIC labels). */
export function tariffPeriodOf(state: string | undefined): TariffPeriod | undefined {
  const s = (state ?? '').trim().toLowerCase();
  if (s === '' || s === 'unknown' || s === 'unavailable') return undefined;
  if (/^(off_peak|hc\.*|heures? creuses?|off-peak.*|hc )/.test(s) || s.includes('creuse')) return 'off_peak';
  if (/mobile|pointe/.test(s)) return 'mobile_peak';
  if (/^(peak|hp\.*|heures? pleines?|peak hours)/.test(s) || s.includes('pleine')) return 'peak';
  if (/^(normal|hn|heures? normales?)/.test(s)) return 'normal';
  if (/^(base|th\.*|toutes heures)/.test(s)) return 'base';
  return undefined;
}

export function tempoColourOf(state: string | undefined): TempoColour | undefined {
  const s = (state ?? '').trim().toLowerCase();
  if (/^(blue|bleu)/.test(s)) return 'blue';
  if (/^(white|blanc)/.test(s)) return 'white';
  if (/^(red|rouge)/.test(s)) return 'red';
  return undefined;
}

/** One day of history, in kWh and currency. */
export interface DayRow {
  /** Local midnight, ms. */
  start: number;
  energy?: number;
  cost?: number;
  hp?: number;
  hc?: number;
}

/** Local midnight of the day `offset` days from `now`'s day. */
export function dayStart(now: number, offset = 0): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() + offset);
  return d.getTime();
}
