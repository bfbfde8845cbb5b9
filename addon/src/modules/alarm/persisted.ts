/** The alarm's state file: engine snapshot, last action and lockouts, versioned. */
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
  version: 1;
  engine: AlarmSnapshot;
  last_action: LastAction | null;
  lockouts: Record<string, LockEntry>;
}

const STATES = new Set(['disarmed', 'arming', 'pending', 'triggered', ...ARM_MODES.map((m) => `armed_${m}`)]);

export function checkAlarmDoc(raw: unknown): AlarmDoc | string {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'not an object';
  const d = raw as Partial<AlarmDoc>;
  if (d.version !== 1) return `unsupported version ${JSON.stringify(d.version)}`;
  const e = d.engine;
  if (!e || typeof e !== 'object' || !STATES.has(e.state)) return 'engine state missing or unknown';
  if (e.deadline !== null && typeof e.deadline !== 'number') return 'engine deadline malformed';
  if (!Array.isArray(e.bypassed)) return 'engine bypassed malformed';
  if (e.mode !== null && !(ARM_MODES as readonly string[]).includes(e.mode)) return 'engine mode malformed';
  return { version: 1, engine: e, last_action: d.last_action ?? null, lockouts: d.lockouts ?? {} };
}
