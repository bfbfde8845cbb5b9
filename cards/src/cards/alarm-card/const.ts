import { elementName } from '../../shared/const.js';

export const ALARM_CARD = elementName('alarm-card');

/** `supported_features` bits of alarm_control_panel (HA's AlarmControlPanelEntityFeature). */
export const FEATURE_BITS = {
  arm_home: 1,
  arm_away: 2,
  arm_night: 4,
  trigger: 8,
  arm_custom_bypass: 16,
  arm_vacation: 32,
} as const;

export type AlarmMode = keyof typeof FEATURE_BITS;
export type AlarmCommand = AlarmMode | 'disarm';

export const ALL_MODES: readonly AlarmMode[] = [
  'arm_home',
  'arm_away',
  'arm_night',
  'arm_vacation',
  'arm_custom_bypass',
  'trigger',
];
/** Trigger is opt-in: a panic button is not something to show by default. */
export const DEFAULT_MODES: readonly AlarmMode[] = [
  'arm_home',
  'arm_away',
  'arm_night',
  'arm_vacation',
  'arm_custom_bypass',
];

/**
 * HA's own words for a command's button (its alarm panel card's, in every language it has):
 * the arm modes by the state they lead to; the trigger has none there (ours: `alarm.trigger`).
 */
export function commandTextKey(command: Exclude<AlarmCommand, 'trigger'>): string {
  return command === 'disarm'
    ? 'ui.card.alarm_control_panel.disarm'
    : `ui.card.alarm_control_panel.modes.${command.replace('arm', 'armed')}`;
}

export const ARMED_STATES = [
  'armed_home',
  'armed_away',
  'armed_night',
  'armed_vacation',
  'armed_custom_bypass',
] as const;

/** MDI names of the buttons' icons, drawn by HA's `ha-icon` (shared/icons.ts says why). */
export const COMMAND_ICONS: Record<AlarmCommand, string> = {
  arm_home: 'home',
  arm_away: 'lock',
  arm_night: 'weather-night',
  arm_vacation: 'airplane',
  arm_custom_bypass: 'security',
  trigger: 'bell',
  disarm: 'shield-off',
};

/** Attribute names integrations use for who and how (Alarmo, Monitor, manual: `changed_by`). */
export const USER_ATTRIBUTES = ['changed_by', 'last_user', 'user'] as const;
export const CHANNEL_ATTRIBUTES = ['channel', 'last_channel', 'changed_via', 'source'] as const;
export const KNOWN_CHANNELS: Record<
  string,
  'sms' | 'keypad' | 'rfid' | 'app' | 'ui' | 'api' | 'automation' | 'mqtt' | 'schedule'
> = {
  sms: 'sms',
  keypad: 'keypad',
  code: 'keypad',
  pin: 'keypad',
  rfid: 'rfid',
  badge: 'rfid',
  tag: 'rfid',
  nfc: 'rfid',
  app: 'app',
  mobile_app: 'app',
  ui: 'ui',
  dashboard: 'ui',
  frontend: 'ui',
  lovelace: 'ui',
  api: 'api',
  automation: 'automation',
  script: 'automation',
  mqtt: 'mqtt',
  schedule: 'schedule',
  scheduler: 'schedule',
};
