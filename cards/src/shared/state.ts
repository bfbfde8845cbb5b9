/**
 * Pure helpers over entity states: active or not, colour as a chain of HA theme variables,
 * and the state as HA words it.
 */
import type { HassEntity, HomeAssistant } from './types.js';

export type StateKind = 'missing' | 'unavailable' | 'unknown' | 'value' | 'active' | 'inactive';

/** The state as a number; undefined when empty, unknown, unavailable or not a number. */
export function numericState(s: HassEntity | undefined): number | undefined {
  if (!s || s.state === '') return undefined;
  const n = Number(s.state);
  return Number.isFinite(n) ? n : undefined;
}

export function computeDomain(entityId: string): string {
  const i = entityId.indexOf('.');
  return i < 0 ? '' : entityId.slice(0, i);
}

/** Domains whose state is a value to read (a temperature, a mode) rather than on/off. */
const VALUE_DOMAINS = new Set([
  'sensor',
  'number',
  'input_number',
  'counter',
  'input_text',
  'input_select',
  'select',
  'input_datetime',
  'weather',
  'text',
  'date',
  'datetime',
  'time',
  'event',
]);

const INACTIVE_BY_DOMAIN: Record<string, readonly string[]> = {
  alarm_control_panel: ['disarmed'],
  cover: ['closed'],
  valve: ['closed'],
  lock: ['locked'],
  person: ['not_home'],
  device_tracker: ['not_home'],
  media_player: ['off', 'standby', 'idle'],
  vacuum: ['idle', 'docked', 'paused', 'off'],
  alert: ['idle'],
  plant: ['ok'],
  update: ['off'],
  timer: ['idle'],
};
const INACTIVE_DEFAULT: readonly string[] = ['off', 'idle', 'closed', 'standby'];

export function stateKind(stateObj: HassEntity | undefined): StateKind {
  if (!stateObj) return 'missing';
  const { state } = stateObj;
  if (state === 'unavailable') return 'unavailable';
  if (state === 'unknown') return 'unknown';
  const domain = computeDomain(stateObj.entity_id);
  if (VALUE_DOMAINS.has(domain)) return 'value';
  const inactive = INACTIVE_BY_DOMAIN[domain] ?? INACTIVE_DEFAULT;
  return inactive.includes(state) ? 'inactive' : 'active';
}

/** HA's own custom property naming: lower case, spaces to underscores. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
}

/**
 * The colour of a state as nested `var()`s, most specific first, the way HA's own cards
 * colour icons (`--state-<domain>-<state>-color`, `--state-<domain>-active-color`, …).
 * Only theme variables: a theme changes every colour.
 */
export function stateColor(stateObj: HassEntity | undefined): string {
  const kind = stateKind(stateObj);
  if (!stateObj || kind === 'missing' || kind === 'unavailable') {
    return 'var(--state-unavailable-color, var(--disabled-text-color))';
  }
  if (kind === 'unknown') return 'var(--state-inactive-color, var(--disabled-text-color))';
  const domain = computeDomain(stateObj.entity_id);
  if (kind === 'value') return `var(--state-${domain}-color, var(--state-icon-color, var(--primary-color)))`;
  const state = slug(stateObj.state);
  const dc = stateObj.attributes.device_class;
  const generic = kind === 'active' ? 'active' : 'inactive';
  const base = `var(--state-${domain}-${state}-color, var(--state-${domain}-${generic}-color, var(--state-${generic}-color)))`;
  return typeof dc === 'string' && dc ? `var(--state-${domain}-${slug(dc)}-${state}-color, ${base})` : base;
}

/**
 * The raw code of an enum entity: Monitor's enum sensors show a word in the configured
 * language and keep the code in a `code` attribute (addon/src/entities/enum-labels.ts); other
 * integrations' entities have only their state.
 */
export function stateCode(stateObj: HassEntity | undefined): string | undefined {
  if (!stateObj) return undefined;
  // unknown/unavailable say more than a code HA may have kept from before.
  if (stateObj.state === 'unknown' || stateObj.state === 'unavailable') return stateObj.state;
  const code = stateObj.attributes.code;
  return typeof code === 'string' && code !== '' ? code : stateObj.state;
}

export function entityName(stateObj: HassEntity | undefined, entityId: string): string {
  const name = stateObj?.attributes.friendly_name;
  return typeof name === 'string' && name ? name : entityId;
}

/**
 * The state as HA shows it: translated, with its unit and display precision. Every HA the
 * cards support (hacs.json: ≥ 2025.1) has `hass.formatEntityState` (since 2023.9), so the cards
 * carry no state texts of their own; a frontend without it (a bare test page) gets the raw state.
 */
export function formatState(hass: HomeAssistant | undefined, stateObj: HassEntity): string {
  return hass?.formatEntityState?.(stateObj) ?? stateObj.state;
}
