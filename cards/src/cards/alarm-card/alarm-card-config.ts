/** Config of `monitor-alarm-card`, validated in `setConfig`. */
import { type ConfigForm, formHass, formLabel } from '../../shared/config-form.js';
import { haText, type Lang, localize } from '../../shared/i18n.js';
import { fail, HA_CARD_KEYS, Reader } from '../../shared/validate.js';
import { ALL_MODES, type AlarmMode, commandTextKey } from './const.js';

export interface AlarmCardConfig {
  type: string;
  entity: string;
  name?: string;
  /** Buttons in this order, among those the entity supports. Default: every arm mode. */
  modes?: AlarmMode[];
  /** Sensors shown when open (besides the entity's own `open_sensors`). */
  sensors?: string[];
  show_keypad?: boolean;
  show_last_action?: boolean;
  /** Countdown length when the entity does not expose it (HA's manual alarm). */
  arming_time?: number;
  pending_time?: number;
}

const KEYS = [
  ...HA_CARD_KEYS,
  'entity',
  'name',
  'modes',
  'sensors',
  'show_keypad',
  'show_last_action',
  'arming_time',
  'pending_time',
];

export function readAlarmConfig(value: unknown): AlarmCardConfig {
  const r = Reader.of(value, '').only(KEYS);
  const config: AlarmCardConfig = {
    type: r.str('type') ?? '',
    entity: r.reqEntity('entity', ['alarm_control_panel']),
  };
  const name = r.str('name');
  if (name !== undefined) config.name = name;
  const modes = r.list('modes', (v, p) => {
    if (typeof v !== 'string' || !(ALL_MODES as readonly string[]).includes(v)) {
      fail(p, `expected one of ${ALL_MODES.join(', ')}, got ${JSON.stringify(v)}`);
    }
    return v as AlarmMode;
  });
  if (modes) {
    const dup = modes.find((m, i) => modes.indexOf(m) !== i);
    if (dup) fail('modes', `${dup} is listed twice`);
    config.modes = modes;
  }
  const sensors = r.list('sensors', (v, p) => {
    // A bare entity id or HA's `{entity: …}` row form.
    const id = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).entity : v;
    return Reader.of({ entity: id }, p).reqEntity('entity');
  });
  if (sensors) config.sensors = sensors;
  for (const key of ['show_keypad', 'show_last_action'] as const) {
    const b = r.bool(key);
    if (b !== undefined) config[key] = b;
  }
  for (const key of ['arming_time', 'pending_time'] as const) {
    const n = r.num(key, { min: 0, max: 86400 });
    if (n !== undefined) config[key] = n;
  }
  for (const key of HA_CARD_KEYS)
    if (key !== 'type' && r.has(key)) (config as unknown as Record<string, unknown>)[key] = r.obj[key];
  return config;
}

/** HA's form editor for the alarm card: entity and sensor pickers, modes as a check list. */
export function alarmConfigForm(lang: Lang): ConfigForm {
  const seconds = { number: { min: 0, max: 86400, step: 1, mode: 'box', unit_of_measurement: 's' } };
  return {
    schema: [
      { name: 'entity', required: true, selector: { entity: { domain: 'alarm_control_panel' } } },
      { name: 'name', selector: { text: {} } },
      {
        name: 'modes',
        selector: {
          select: {
            multiple: true,
            mode: 'list',
            options: ALL_MODES.map((m) => ({
              value: m,
              label:
                m === 'trigger' ? localize(lang, 'alarm.trigger') : haText(formHass(), commandTextKey(m)),
            })),
          },
        },
      },
      { name: 'sensors', selector: { entity: { multiple: true, domain: 'binary_sensor' } } },
      {
        type: 'grid',
        name: '',
        schema: [
          { name: 'show_keypad', default: true, selector: { boolean: {} } },
          { name: 'show_last_action', default: true, selector: { boolean: {} } },
          { name: 'arming_time', selector: seconds },
          { name: 'pending_time', selector: seconds },
        ],
      },
    ],
    computeLabel: (s) => formLabel(s.name, lang),
    computeHelper: (s) => (s.name === 'modes' ? localize(lang, 'editor.modes_helper') : undefined),
    assertConfig: (c) => {
      readAlarmConfig(c);
    },
  };
}
