/**
 * The Home Assistant entities of one meter, from what its frames carry: indexes in Wh with
 * `total_increasing` (Energy dashboard), powers in VA, currents, voltages, tariff and Tempo
 * colours as enum sensors, overload and relays as binary sensors, the contract as diagnostics.
 * The meter id (ADCO/ADSC) is in the device id, hence in every unique id.
 */
import type { Translate } from '../../core/i18n.js';
import {
  binarySensor,
  type DeviceDeclaration,
  diagnostic,
  type EntitySpec,
  sensor,
} from '../../entities/model.js';
import type { TicFrame, TicMode } from './tic/decoder.js';
import type { ContractKind, Derived } from './tic/derive.js';

export interface MeterShape {
  meterId: string;
  mode: TicMode;
  phases: 1 | 3;
  contractKind: ContractKind | 'unknown';
  indexes: Array<{ label: string; name: { en: string; fr: string } }>;
  producer: boolean;
  hasVoltage: boolean;
  hasRelays: boolean;
}

export interface PublishOptions {
  powerMinIntervalMs: number;
  powerDeadbandVa: number;
}

export const deviceIdOf = (meterId: string) => `linky_${meterId.replace(/[^0-9a-z]/gi, '').toLowerCase()}`;
export const indexKey = (label: string) => `index_${label.toLowerCase()}`;

export function shapeOf(meterId: string, f: TicFrame, d: Derived): MeterShape {
  return {
    meterId,
    mode: f.mode,
    phases: d.phases,
    contractKind: d.contract_kind ?? 'unknown',
    indexes: (d.indexes ?? []).map((i) => ({ label: i.label, name: i.name })),
    producer: 'SINSTI' in f.values || 'EAIT' in f.values,
    hasVoltage: d.voltage_phases_v !== undefined,
    hasRelays: d.relays !== undefined,
  };
}

const TARIFF_OPTIONS = ['base', 'off_peak', 'peak', 'normal', 'mobile_peak', 'unknown'];
const COLOUR_OPTIONS = ['blue', 'white', 'red', 'unknown'];
const CONTRACT_KINDS: ContractKind[] = ['base', 'hchp', 'ejp', 'tempo', 'producer', 'other'];

/**
 * Values that change with nearly every frame (powers, currents, voltages, indexes) each have a
 * state topic of their own: a change costs one short message rather than the whole device JSON
 * (about 5× fewer MQTT bytes per hour for a historic meter).
 */
const OWN = { state: 'own' } as const;
/** Smallest change of the total worth a message (Wh): below one displayed digit of kWh. */
const TOTAL_DEADBAND_WH = 10;

export function declaration(
  s: MeterShape,
  t: Translate,
  lang: 'en' | 'fr',
  name: string,
  p: PublishOptions,
): DeviceDeclaration {
  const power = (key: string, n: string): EntitySpec =>
    sensor(key, n, {
      device_class: 'apparent_power',
      state_class: 'measurement',
      unit: 'VA',
      suggested_display_precision: 0,
      deadband: p.powerDeadbandVa,
      min_interval_ms: p.powerMinIntervalMs,
      ...OWN,
    });
  const current = (key: string, n: string): EntitySpec =>
    sensor(key, n, {
      device_class: 'current',
      state_class: 'measurement',
      unit: 'A',
      suggested_display_precision: 0,
      min_interval_ms: p.powerMinIntervalMs,
      ...OWN,
    });
  const energy = (key: string, n: string, enabled = true, deadband?: number): EntitySpec =>
    sensor(key, n, {
      device_class: 'energy',
      state_class: 'total_increasing',
      // The meter counts Wh (exact integers, the guard and Enedis work in Wh) and its own state
      // topic carries them; HA shows kWh, as its users read them (HA's MQTT sensor ignores a
      // suggested unit). "None" is HA's word for unknown.
      unit: 'kWh',
      value_template:
        "{% if value == 'None' %}None{% else %}{{ (value | float / 1000) | round(3) }}{% endif %}",
      suggested_display_precision: 2,
      ...OWN,
      ...(enabled ? {} : { enabled_by_default: false }),
      ...(deadband ? { deadband } : {}),
    });
  const e: EntitySpec[] = [power('apparent_power', t('apparent_power')), current('current', t('current'))];
  if (s.phases === 3) {
    for (const n of [1, 2, 3]) {
      if (s.mode === 'standard') e.push(power(`apparent_power_l${n}`, t('apparent_power_phase', { n })));
      e.push(current(`current_l${n}`, t('current_phase', { n })));
    }
  }
  if (s.hasVoltage) {
    const volt = (key: string, n: string) =>
      sensor(key, n, {
        device_class: 'voltage',
        state_class: 'measurement',
        unit: 'V',
        suggested_display_precision: 0,
        min_interval_ms: p.powerMinIntervalMs,
        ...OWN,
      });
    if (s.phases === 3) for (const n of [1, 2, 3]) e.push(volt(`voltage_l${n}`, t('voltage_phase', { n })));
    else e.push(volt('voltage', t('voltage')));
  }
  if (s.producer) {
    e.push(power('injected_power', t('injected_power')));
    e.push(energy('energy_injected', t('energy_injected')));
  }
  const va = (unit: 'VA' | 'kVA') => ({
    device_class: 'apparent_power',
    unit,
    suggested_display_precision: 0,
  });
  e.push(sensor('subscribed_power', t('subscribed_power'), va('kVA')));
  if (s.mode === 'standard') {
    e.push(diagnostic('cut_power', t('cut_power'), va('kVA')));
    e.push(sensor('max_power_yesterday', t('max_power_yesterday'), va('VA')));
  }
  // Today's maximum rises with every new peak: its own topic too.
  e.push(sensor('max_power_today', t('max_power_today'), { ...va('VA'), ...OWN }));
  // With one index the total is that index: a second entity would count it twice in the dashboard.
  // The Energy dashboard takes the indexes, each published at every watt-hour; the total is for
  // display (two decimals of kWh), so it is sent only when 10 Wh away from the last one sent.
  // That halves a historic meter's messages (index and total both moved with every Wh).
  e.push(
    energy(
      'energy_total',
      t('energy_total'),
      s.indexes.length !== 1 || s.mode === 'standard',
      TOTAL_DEADBAND_WH,
    ),
  );
  for (const i of s.indexes) e.push(energy(indexKey(i.label), i.name[lang]));
  e.push(
    sensor('tariff_period', t('tariff_period'), {
      device_class: 'enum',
      icon: 'mdi:clock-outline',
      state_labels: Object.fromEntries(TARIFF_OPTIONS.map((o) => [o, t(`tariff_${o}`)])),
    }),
  );
  if (s.contractKind === 'tempo') {
    for (const k of ['tempo_today', 'tempo_tomorrow'])
      e.push(
        sensor(k, t(k), {
          device_class: 'enum',
          icon: 'mdi:palette',
          state_labels: Object.fromEntries(COLOUR_OPTIONS.map((o) => [o, t(`colour_${o}`)])),
        }),
      );
  }
  e.push(
    binarySensor('overload', t('overload'), { device_class: 'problem', attributes_key: 'overload_info' }),
  );
  if (s.contractKind === 'ejp') e.push(binarySensor('ejp_notice', t('ejp_notice'), { icon: 'mdi:alert' }));
  if (s.hasRelays)
    for (let n = 1; n <= 8; n++)
      e.push(
        binarySensor(`relay_${n}`, t('relay', { n }), {
          device_class: 'power',
          ...(n > 1 ? { enabled_by_default: false } : {}),
        }),
      );
  if (s.mode === 'standard')
    e.push(
      diagnostic('status', t('status'), { icon: 'mdi:electric-switch', attributes_key: 'status_register' }),
    );
  // The kind of contract in words; what the meter sends (OPTARIF "HC..", NGTF) is an attribute.
  e.push(
    diagnostic('contract', t('contract'), {
      device_class: 'enum',
      icon: 'mdi:file-document-outline',
      state_labels: Object.fromEntries(CONTRACT_KINDS.map((k) => [k, t(`contract_${k}`)])),
      attributes_key: 'contract_attributes',
    }),
  );
  e.push(diagnostic('tariff_label', t('tariff_label'), { icon: 'mdi:tag-outline' }));
  e.push(diagnostic('tic_mode', t('tic_mode'), { icon: 'mdi:serial-port' }));
  e.push(
    // A count since the start (a share in % read as "0.02 %" says nothing to a user).
    diagnostic('checksum_errors', t('checksum_errors'), {
      state_class: 'total_increasing',
      icon: 'mdi:alert-circle-check-outline',
      suggested_display_precision: 0,
    }),
  );
  if (s.mode === 'standard') {
    e.push(
      diagnostic('message', t('message'), { icon: 'mdi:message-text-outline', enabled_by_default: false }),
    );
    e.push(diagnostic('prm', t('prm'), { icon: 'mdi:identifier' }));
  }
  return {
    device: {
      id: deviceIdOf(s.meterId),
      name: name || `Linky ${s.meterId}`,
      manufacturer: 'Enedis',
      model: t(s.phases === 3 ? 'model_three_phase' : 'model_single_phase', { mode: t(`mode_${s.mode}`) }),
      serial_number: s.meterId,
      // The meter is where the supply comes in, not where the gateway is.
      via_gateway: false,
    },
    entities: e,
  };
}

/**
 * The device JSON values a frame gives (only what it carries; indexes after the guard). A
 * historic meter's total is computed by the caller from the whole set of its indexes.
 */
export function stateValues(
  f: TicFrame,
  d: Derived,
  accepted: Record<string, number>,
  historicTotal?: number,
): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  const set = (k: string, x: unknown) => {
    if (x !== undefined) v[k] = x;
  };
  set('apparent_power', d.apparent_power_va);
  set('current', d.current_a);
  for (const [i, x] of (d.apparent_power_phases_va ?? []).entries()) set(`apparent_power_l${i + 1}`, x);
  for (const [i, x] of (d.current_phases_a ?? []).entries()) set(`current_l${i + 1}`, x);
  if (d.voltage_phases_v?.length === 3)
    for (const [i, x] of d.voltage_phases_v.entries()) set(`voltage_l${i + 1}`, x);
  else set('voltage', d.voltage_phases_v?.[0]);
  set('injected_power', d.injected_power_va);
  set('subscribed_power', d.subscribed_power_kva);
  set('cut_power', d.cut_power_kva);
  set('max_power_yesterday', d.max_power_yesterday_va);
  for (const i of d.indexes ?? []) set(indexKey(i.label), accepted[i.label]);
  set('energy_total', f.mode === 'standard' ? accepted.EAST : historicTotal);
  set('energy_injected', accepted.EAIT);
  set('tariff_period', d.tariff_period);
  set('tempo_today', d.tempo_today);
  set('tempo_tomorrow', d.tempo_tomorrow);
  if (d.overload !== undefined) {
    v.overload = d.overload;
    v.overload_info = d.overload_current_a !== undefined ? { current_a: d.overload_current_a } : {};
  }
  set('ejp_notice', d.ejp_notice);
  for (const [i, x] of (d.relays ?? []).entries()) set(`relay_${i + 1}`, x);
  if (d.status) {
    v.status = d.status.cut_off;
    v.status_register = d.status;
  }
  if (d.contract !== undefined) {
    v.contract = d.contract_kind ?? 'other';
    v.contract_attributes = { meter_label: d.contract.trim() };
  }
  // As the meter writes it, without its padding (" HEURE  CREUSE  " → "HEURE CREUSE").
  set('tariff_label', d.tariff_label?.trim().replace(/\s+/g, ' '));
  v.tic_mode = f.mode;
  set('message', d.message);
  set('prm', f.values.PRM?.value);
  return v;
}
