/** Config of `monitor-linky-card`, validated in `setConfig`, and HA's form editor for it. */
import { type ConfigForm, type FormSchema, formLabel } from '../../shared/config-form.js';
import { type Lang, localize } from '../../shared/i18n.js';
import { fail, HA_CARD_KEYS, Reader } from '../../shared/validate.js';
import { FIELD_NAMES, HISTORY_DAYS, LIVE_FIELDS, type LiveField } from './const.js';

export interface LinkyCardConfig extends Partial<Record<LiveField, string>> {
  type: string;
  title?: string;
  /** Monitor's meter as the entity-id prefix `monitor_linky_<meter id>`; found when omitted. */
  meter?: string;
  history_days?: 7 | 30;
  /** Statistic ids: Monitor's Enedis import `monitor:linky_<prm>` or any energy sensor. */
  energy_statistic?: string;
  cost_statistic?: string;
  hp_statistic?: string;
  hc_statistic?: string;
  /** Price of a kWh when no cost statistic is given (currency of HA's settings). */
  price_per_kwh?: number;
  show_history?: boolean;
}

const TEXT_KEYS = [
  'title',
  'meter',
  'energy_statistic',
  'cost_statistic',
  'hp_statistic',
  'hc_statistic',
] as const;
const KEYS = [...HA_CARD_KEYS, ...TEXT_KEYS, ...FIELD_NAMES, 'history_days', 'price_per_kwh', 'show_history'];

export function readLinkyConfig(value: unknown): LinkyCardConfig {
  const r = Reader.of(value, '').only(KEYS);
  const config: LinkyCardConfig = { type: r.str('type') ?? '' };
  for (const key of TEXT_KEYS) {
    const v = r.str(key);
    if (v !== undefined && v.trim() !== '') config[key] = v.trim();
  }
  if (config.meter !== undefined && !/^[a-z0-9_]+$/.test(config.meter)) {
    fail(
      'meter',
      `expected an entity id prefix like monitor_linky_021861348497, got ${JSON.stringify(config.meter)}`,
    );
  }
  for (const f of FIELD_NAMES) {
    const v = r.entity(f, [
      LIVE_FIELDS[f],
      ...(LIVE_FIELDS[f] === 'sensor' ? ['input_number', 'number'] : []),
    ]);
    if (v) config[f] = v;
  }
  // HA's select selector gives text ("30"): accept it beside the number YAML gives.
  const rawDays = r.obj.history_days;
  const days = typeof rawDays === 'string' && /^\d+$/.test(rawDays) ? Number(rawDays) : r.num('history_days');
  if (days !== undefined) {
    if (!(HISTORY_DAYS as readonly number[]).includes(days))
      fail('history_days', `expected 7 or 30, got ${days}`);
    config.history_days = days as 7 | 30;
  }
  const price = r.num('price_per_kwh', { min: 0, max: 100 });
  if (price !== undefined) config.price_per_kwh = price;
  const show = r.bool('show_history');
  if (show !== undefined) config.show_history = show;
  for (const key of HA_CARD_KEYS)
    if (key !== 'type' && r.has(key)) (config as unknown as Record<string, unknown>)[key] = r.obj[key];
  return config;
}

const entity = (name: LiveField): FormSchema => ({
  name,
  selector: { entity: { domain: LIVE_FIELDS[name] } },
});

/**
 * HA's form: every field is flat (entities, statistic ids, numbers), so HA's own pickers fit;
 * the entity mapping sits in a folded section, filled only to override the meter's entities.
 */
export function linkyConfigForm(lang: () => Lang): ConfigForm {
  return {
    schema: [
      { name: 'title', selector: { text: {} } },
      {
        type: 'grid',
        name: '',
        schema: [
          {
            name: 'history_days',
            selector: {
              select: {
                mode: 'dropdown',
                options: HISTORY_DAYS.map((d) => ({ value: String(d), label: String(d) })),
              },
            },
          },
          { name: 'price_per_kwh', selector: { number: { min: 0, max: 100, step: 0.0001, mode: 'box' } } },
        ],
      },
      { name: 'show_history', default: true, selector: { boolean: {} } },
      {
        type: 'expandable',
        // flatten: the fields stay at the top of the card config (HA nests them under `name` otherwise).
        flatten: true,
        name: '',
        title: localize(lang(), 'linky.editor.statistics'),
        schema: [
          { name: 'energy_statistic', selector: { statistic: {} } },
          { name: 'cost_statistic', selector: { statistic: {} } },
          { name: 'hp_statistic', selector: { statistic: {} } },
          { name: 'hc_statistic', selector: { statistic: {} } },
        ],
      },
      {
        type: 'expandable',
        // flatten: the fields stay at the top of the card config (HA nests them under `name` otherwise).
        flatten: true,
        name: '',
        title: localize(lang(), 'linky.editor.entities'),
        schema: [{ name: 'meter', selector: { text: {} } }, ...FIELD_NAMES.map(entity)],
      },
    ],
    computeLabel: (s) => formLabel(`linky.${s.name}`, lang()) ?? formLabel(s.name, lang()),
    computeHelper: (s) =>
      s.name === 'meter' || s.name === 'energy_statistic'
        ? localize(lang(), `linky.editor.${s.name}_helper` as 'linky.editor.meter_helper')
        : undefined,
    assertConfig: (c) => {
      readLinkyConfig(c);
    },
  };
}
