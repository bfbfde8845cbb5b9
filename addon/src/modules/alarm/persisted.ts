/** The alarm's state file (`ctx.store`, version 1): engine snapshot, last action and lockouts. */
import { type AlarmSnapshot, ARM_MODES } from './engine.js';
import type { LockEntry } from './lockout.js';

export type Channel = 'keypad' | 'sms' | 'badge' | 'service' | 'automation';

export interface LastAction {
  action: string;
  user: string | null;
  channel: Channel;
  time: string;
}

export interface AlarmDoc {
  engine: AlarmSnapshot;
  last_action: LastAction | null;
  lockouts: Record<string, LockEntry>;
}

const STATES = new Set(['disarmed', 'arming', 'pending', 'triggered', ...ARM_MODES.map((m) => `armed_${m}`)]);

export const ALARM_DOC_VERSION = 1;

export function isAlarmDoc(raw: unknown): raw is AlarmDoc {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const d = raw as Partial<AlarmDoc>;
  const e = d.engine;
  if (!e || typeof e !== 'object' || !STATES.has(e.state)) return false;
  if (e.deadline !== null && typeof e.deadline !== 'number') return false;
  if (!Array.isArray(e.bypassed)) return false;
  if (e.mode !== null && !(ARM_MODES as readonly string[]).includes(e.mode)) return false;
  return (
    typeof d.lockouts === 'object' &&
    d.lockouts !== null &&
    (d.last_action === null || typeof d.last_action === 'object')
  );
}
