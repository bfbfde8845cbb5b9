/**
 * Metadata of `recorder/import_statistics`, as each Home Assistant version wants it.
 *
 * Checked against a real HA 2026.11.0 (test/e2e/ha.test.ts):
 * - required: statistic_id, source, name (string or null), unit_of_measurement (or null), has_sum;
 *   an external statistic is `<source>:<id>` with `source` equal to the part before the colon;
 * - `mean_type` (0 none, 1 arithmetic, 2 circular) replaces the boolean `has_mean`, and
 *   `unit_class` names HA's unit converter for the unit ("energy" for kWh) or null. Without them
 *   HA logs a deprecation ("will stop working in HA Core 2026.11", announced in October 2025
 *   when HA 2025.11 added `unit_class` to the websocket command). A `unit_class` that does not
 *   match the unit is refused ("Unsupported unit_of_measurement 'kWh' for unit_class 'power'").
 * - Older versions validate the metadata strictly and reject keys they do not know, so for them
 *   we send the old form (`has_mean`, no `mean_type`/`unit_class`).
 */

/** What a module gives: the modern fields, or the older `has_mean` (completed here). */
export interface StatisticMetadata {
  statistic_id: string;
  source: string;
  name: string | null;
  unit_of_measurement: string | null;
  has_sum: boolean;
  /** 0 no mean, 1 arithmetic, 2 circular (HA ≥ 2025.11 wants it; default from has_mean). */
  mean_type?: number;
  /** HA's unit class ("energy", "power", …) or null; default: derived from the unit. */
  unit_class?: string | null;
  /** Deprecated by HA in favour of mean_type; still accepted. */
  has_mean?: boolean;
}

/** HA's unit classes (homeassistant/util/unit_conversion.py) for the units Monitor publishes. */
const UNIT_CLASSES: Record<string, string> = {};
for (const [cls, units] of Object.entries({
  energy: ['Wh', 'kWh', 'MWh', 'GWh', 'TWh', 'mWh', 'J', 'kJ', 'MJ', 'GJ'],
  power: ['mW', 'W', 'kW', 'MW', 'GW', 'TW'],
  apparent_power: ['mVA', 'VA', 'kVA'],
  reactive_power: ['mvar', 'var', 'kvar'],
  reactive_energy: ['varh', 'kvarh'],
  voltage: ['μV', 'mV', 'V', 'kV', 'MV'],
  electric_current: ['μA', 'mA', 'A'],
  volume: ['mL', 'L', 'm³'],
  temperature: ['°C', '°F', 'K'],
  duration: ['μs', 'ms', 's', 'min', 'h', 'd', 'w'],
})) {
  for (const u of units) UNIT_CLASSES[u] = cls;
}

export function unitClassOf(unit: string | null): string | null {
  return unit === null ? null : (UNIT_CLASSES[unit] ?? null);
}

/** "2025.11.3" → [2025, 11]; undefined when unknown (then the current form is sent). */
function yearMonth(version: string | undefined): [number, number] | undefined {
  const m = /^(\d{4})\.(\d{1,2})\b/.exec(version ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The metadata object to send to a Home Assistant of `haVersion`. Pure. */
export function statisticMetadataFor(m: StatisticMetadata, haVersion?: string): Record<string, unknown> {
  const base = {
    statistic_id: m.statistic_id,
    source: m.source,
    name: m.name,
    unit_of_measurement: m.unit_of_measurement,
    has_sum: m.has_sum,
  };
  const meanType = m.mean_type ?? (m.has_mean ? 1 : 0);
  const v = yearMonth(haVersion);
  if (v && (v[0] < 2025 || (v[0] === 2025 && v[1] < 11))) return { ...base, has_mean: meanType !== 0 };
  return {
    ...base,
    mean_type: meanType,
    unit_class: m.unit_class !== undefined ? m.unit_class : unitClassOf(m.unit_of_measurement),
  };
}
