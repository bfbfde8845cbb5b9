/**
 * Pure alarm logic over an alarm_control_panel state object: which commands apply, whether a
 * code is needed, the countdown, who did the last action and which sensors are open.
 */
import { stateKind } from '../../shared/state.js';
import type { HassEntities, HassEntity } from '../../shared/types.js';
import {
  type AlarmCommand,
  type AlarmMode,
  ARMED_STATES,
  CHANNEL_ATTRIBUTES,
  DEFAULT_MODES,
  FEATURE_BITS,
  KNOWN_CHANNELS,
  USER_ATTRIBUTES,
} from './const.js';

/** Modes the entity supports, in the configured order. No `supported_features` → home and away (old integrations). */
export function supportedModes(
  stateObj: HassEntity | undefined,
  wanted: readonly AlarmMode[] = DEFAULT_MODES,
): AlarmMode[] {
  const raw = stateObj?.attributes.supported_features;
  const bits = typeof raw === 'number' ? raw : FEATURE_BITS.arm_home | FEATURE_BITS.arm_away;
  return wanted.filter((m) => (bits & FEATURE_BITS[m]) !== 0);
}

export function isArmed(state: string): boolean {
  return (ARMED_STATES as readonly string[]).includes(state);
}

/** The buttons to show in a given state. */
export function availableCommands(
  stateObj: HassEntity | undefined,
  modes: readonly AlarmMode[],
): AlarmCommand[] {
  const state = stateObj?.state;
  if (!state) return [];
  const supported = supportedModes(stateObj, modes);
  const trigger = supported.includes('trigger') ? (['trigger'] as AlarmCommand[]) : [];
  if (state === 'disarmed') return supported;
  if (isArmed(state)) return ['disarm', ...trigger];
  if (state === 'arming' || state === 'pending' || state === 'triggered') return ['disarm'];
  return [];
}

/** `number` → keypad, `text` → password field, none → no code. Old integrations gave a regex. */
export function codeFormat(stateObj: HassEntity | undefined): 'number' | 'text' | undefined {
  const f = stateObj?.attributes.code_format;
  if (typeof f !== 'string' || f === '') return undefined;
  if (f === 'number' || /^\^?\\d/.test(f)) return 'number';
  return 'text';
}

export function codeRequired(stateObj: HassEntity | undefined, command: AlarmCommand): boolean {
  if (!codeFormat(stateObj)) return false;
  if (command === 'disarm') return true;
  return stateObj?.attributes.code_arm_required !== false;
}

export interface Countdown {
  remaining: number;
  total: number;
}

function seconds(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/**
 * Seconds left while arming or pending. The end comes from the entity when it says so (an
 * `ends_at`/`expiration` timestamp, or a `delay` in seconds from the state change, as Alarmo
 * does), else from the card's `arming_time` / `pending_time`.
 */
export function countdown(
  stateObj: HassEntity | undefined,
  now: number,
  fallback: { arming?: number; pending?: number } = {},
): Countdown | undefined {
  if (!stateObj || (stateObj.state !== 'arming' && stateObj.state !== 'pending')) return undefined;
  const start = Date.parse(stateObj.last_changed);
  if (!Number.isFinite(start)) return undefined;
  const a = stateObj.attributes;
  let end: number | undefined;
  for (const key of ['ends_at', 'expiration'] as const) {
    const v = a[key];
    if (typeof v === 'string' && Number.isFinite(Date.parse(v))) {
      end = Date.parse(v);
      break;
    }
  }
  if (end === undefined) {
    const delay =
      seconds(a.delay) ??
      (stateObj.state === 'arming' ? seconds(fallback.arming) : seconds(fallback.pending));
    if (delay === undefined) return undefined;
    end = start + delay * 1000;
  }
  const total = Math.max(1, Math.round((end - start) / 1000));
  const remaining = Math.min(total, Math.max(0, Math.ceil((end - now) / 1000)));
  return { remaining, total };
}

export function formatDuration(s: number): string {
  const m = Math.floor(s / 60);
  const r = Math.floor(s % 60);
  return `${m}:${String(r).padStart(2, '0')}`;
}

export interface LastAction {
  user?: string;
  channel?: string;
  /** A channel with a translation (`sms`, `keypad`…); otherwise `channel` is shown as given. */
  channelKey?: (typeof KNOWN_CHANNELS)[string];
}

function firstText(attrs: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = attrs[k];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}

export function lastAction(stateObj: HassEntity | undefined): LastAction | undefined {
  if (!stateObj) return undefined;
  const user = firstText(stateObj.attributes, USER_ATTRIBUTES);
  const channel = firstText(stateObj.attributes, CHANNEL_ATTRIBUTES);
  if (!user && !channel) return undefined;
  const out: LastAction = {};
  if (user) out.user = user;
  if (channel) {
    out.channel = channel;
    const key = KNOWN_CHANNELS[channel.toLowerCase()];
    if (key) out.channelKey = key;
  }
  return out;
}

/** Entity ids the entity itself lists as open (Alarmo: `{entity_id: state}`; also a plain list). */
export function attributeSensors(stateObj: HassEntity | undefined): string[] {
  const v = stateObj?.attributes.open_sensors;
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (v && typeof v === 'object') return Object.keys(v);
  return [];
}

export interface OpenSensor {
  entity_id: string;
  stateObj: HassEntity | undefined;
}

/** Configured sensors that are open (or unavailable: an alarm cannot trust them), then the entity's own list. */
export function openSensors(
  states: HassEntities,
  configured: readonly string[],
  stateObj: HassEntity | undefined,
): OpenSensor[] {
  const out: OpenSensor[] = [];
  const seen = new Set<string>();
  for (const id of configured) {
    const s = states[id];
    const kind = stateKind(s);
    if ((kind === 'active' || kind === 'unavailable') && !seen.has(id)) {
      seen.add(id);
      out.push({ entity_id: id, stateObj: s });
    }
  }
  for (const id of attributeSensors(stateObj)) {
    if (!seen.has(id)) {
      seen.add(id);
      out.push({ entity_id: id, stateObj: states[id] });
    }
  }
  return out;
}
