import { elementName } from '../../shared/const.js';

export const LINKY_CARD = elementName('linky-card');

/**
 * Fields the card reads, each mapped to an entity. The value is the entity key Monitor's Linky
 * module gives it (addon/src/modules/linky/entities.ts): its entity id is
 * `<domain>.<node>_linky_<meter>_<key>` whatever the entity's display name, so the card finds a
 * Monitor meter by key; the editor lets the user map any other integration's entities.
 */
export const LIVE_FIELDS = {
  apparent_power: 'sensor',
  subscribed_power: 'sensor',
  max_power_today: 'sensor',
  tariff_period: 'sensor',
  tempo_today: 'sensor',
  tempo_tomorrow: 'sensor',
  overload: 'binary_sensor',
  energy_total: 'sensor',
  contract: 'sensor',
  apparent_power_l1: 'sensor',
  apparent_power_l2: 'sensor',
  apparent_power_l3: 'sensor',
  current_l1: 'sensor',
  current_l2: 'sensor',
  current_l3: 'sensor',
} as const;
export type LiveField = keyof typeof LIVE_FIELDS;
export const FIELD_NAMES = Object.keys(LIVE_FIELDS) as LiveField[];

/** Statistics are re-read at most this often (HA compiles them every 5 minutes anyway). */
export const STATISTICS_REFRESH_MS = 5 * 60_000;
export const HISTORY_DAYS = [7, 30] as const;

/** Gauge: the scale goes a quarter past the subscribed power so an overload shows. */
export const GAUGE_OVERSHOOT = 1.25;
/** Colour zones as fractions of the subscribed power. */
export const ZONE_WARNING = 0.7;

export const TARIFF_PERIODS = ['base', 'off_peak', 'peak', 'normal', 'mobile_peak'] as const;
export type TariffPeriod = (typeof TARIFF_PERIODS)[number];
export const TEMPO_COLOURS = ['blue', 'white', 'red'] as const;
export type TempoColour = (typeof TEMPO_COLOURS)[number];
