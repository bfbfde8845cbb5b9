import type { JsonSchema } from '../../config/json-schema.js';

const seconds = (title: string, description: string, dflt: number): JsonSchema => ({
  title,
  description,
  type: 'number',
  minimum: 0,
  default: dflt,
});

const mode = (label: string, exit: number, entry: number): JsonSchema => ({
  title: label,
  description: `Settings of the ${label.toLowerCase()} mode.`,
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    enabled: {
      title: 'Enabled',
      description: 'Whether this mode can be armed.',
      type: 'boolean',
      default: true,
    },
    exit_delay: seconds('Exit delay', 'Seconds between the arming order and armed.', exit),
    entry_delay: seconds('Entry delay', 'Seconds between a delayed sensor opening and the trigger.', entry),
    trigger_time: seconds('Trigger time', 'Seconds sirens sound; 0: until disarmed.', 180),
    sensors: {
      title: 'Sensors',
      description: 'Entity ids (from `sensors`) that count in this mode; empty: all of them.',
      type: 'array',
      items: { type: 'string' },
      default: [],
    },
  },
});

const sensor: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['entity_id'],
  properties: {
    entity_id: {
      title: 'Entity',
      description: 'A Home Assistant entity whose "on"/"open" state means open or detected.',
      type: 'string',
      pattern: '^[a-z0-9_]+\\.[a-z0-9_]+$',
    },
    name: {
      title: 'Name',
      description: 'Shown in replies; empty: the entity id.',
      type: 'string',
      default: '',
    },
    delayed: {
      title: 'Delayed',
      description: 'Opens the entry delay (a door) instead of triggering at once.',
      type: 'boolean',
      default: false,
    },
    always_on: {
      title: 'Always on',
      description: 'Triggers in every state, disarmed included (tamper, smoke).',
      type: 'boolean',
      default: false,
    },
    allow_open: {
      title: 'Allowed open',
      description: 'May be open when arming.',
      type: 'boolean',
      default: false,
    },
    when_open: {
      title: 'Open at arming',
      description: '"refuse": arming is refused and names it; "bypass": it is ignored until disarmed.',
      type: 'string',
      enum: ['refuse', 'bypass'],
      default: 'refuse',
    },
  },
};

/** Section `alarm`: Monitor's alarm engine, or an existing alarm driven by Monitor's users. */
export const alarmSchema: JsonSchema = {
  title: 'Alarm',
  description:
    "An alarm panel with users, PINs, SMS and badges (needs the `users` section): Monitor's own engine, or an existing alarm_control_panel (Alarmo…) in external mode.",
  type: 'object',
  additionalProperties: false,
  properties: {
    engine: {
      title: 'Engine',
      description: '"internal": Monitor\'s engine; "external": drive `external_entity` through HA.',
      type: 'string',
      enum: ['internal', 'external'],
      default: 'internal',
    },
    external_entity: {
      title: 'External alarm',
      description: 'alarm_control_panel entity driven in external mode (alarmo.arm/disarm for Alarmo).',
      type: 'string',
      default: '',
    },
    external_code: {
      title: 'External alarm code',
      description:
        'Code Monitor gives the external alarm once it has checked its own user (never logged). May be "${ENV_NAME}".',
      type: 'string',
      default: '',
    },
    require_code_to_arm: {
      title: 'Code to arm',
      description: 'Arming from the keypad or RPC needs a user code (disarming always does).',
      type: 'boolean',
      default: true,
    },
    modes: {
      title: 'Modes',
      description: 'Delays and sensors per mode.',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        away: mode('Away', 60, 30),
        home: mode('Home', 0, 30),
        night: mode('Night', 0, 30),
        vacation: mode('Vacation', 60, 30),
      },
    },
    sensors: {
      title: 'Sensors',
      description: 'The sensors of the area.',
      type: 'array',
      items: sensor,
      default: [],
    },
    disarm_after_trigger: {
      title: 'Disarm after trigger',
      description: 'After the trigger time: disarmed instead of back to the armed mode.',
      type: 'boolean',
      default: false,
    },
    sirens: {
      title: 'Sirens',
      description: 'Entities switched on when triggered and off when disarmed (siren., switch., light.…).',
      type: 'array',
      items: { type: 'string' },
      default: [],
    },
    lights: {
      title: 'Lights',
      description: 'Entities switched on when triggered.',
      type: 'array',
      items: { type: 'string' },
      default: [],
    },
    notify_users: {
      title: 'Users notified',
      description: 'User names that receive the alarm SMS; empty: every active user with a phone.',
      type: 'array',
      items: { type: 'string' },
      default: [],
    },
    notify_on: {
      title: 'SMS on',
      description: 'Events sent by SMS to the users notified.',
      type: 'array',
      items: { type: 'string', enum: ['armed', 'disarmed', 'triggered', 'duress', 'refused'] },
      default: ['triggered', 'duress'],
    },
    duress_recipients: {
      title: 'Duress recipients',
      description: 'Numbers that receive the silent duress alert in addition to the users notified.',
      type: 'array',
      items: { type: 'string' },
      default: [],
    },
    badge_action: {
      title: 'Badge action',
      description:
        '"toggle": a known badge disarms when armed and arms away when disarmed; "disarm": only disarms.',
      type: 'string',
      enum: ['toggle', 'disarm'],
      default: 'toggle',
    },
    badge_readers: {
      title: 'Badge readers',
      description: 'HA device ids whose tag_scanned events count; empty: any scanner.',
      type: 'array',
      items: { type: 'string' },
      default: [],
    },
    max_failures: {
      title: 'Failures before lockout',
      description: 'Wrong codes or unknown badges in a row that lock a channel (keypad, reader, RPC).',
      type: 'integer',
      minimum: 1,
      default: 3,
    },
    lockout_minutes: {
      title: 'Lockout',
      description: 'Minutes a locked channel refuses everything.',
      type: 'number',
      minimum: 0,
      default: 5,
    },
  },
};
