/**
 * The alarm engine for one area: a pure state machine with an injected clock. It never sets a
 * timer, calls Home Assistant or publishes: it returns what happened (`Transition`s) and the
 * time of its next deadline, and the module does the rest. Deadlines are absolute times, so a
 * snapshot restored after a restart resumes with the remaining delay, and a deadline that
 * passed while the process was down is applied at once.
 */

export const ARM_MODES = ['away', 'home', 'night', 'vacation'] as const;
export type ArmMode = (typeof ARM_MODES)[number];
export type ArmedState = `armed_${ArmMode}`;
export type AlarmState = 'disarmed' | 'arming' | ArmedState | 'pending' | 'triggered';

export interface ModeSettings {
  enabled: boolean;
  exit_delay: number;
  entry_delay: number;
  trigger_time: number;
  /** Entity ids that count in this mode; empty: every sensor. */
  sensors: string[];
}

export interface SensorSettings {
  entity_id: string;
  name?: string;
  /** Opens the entry delay (a door) rather than triggering at once (a window, a motion sensor). */
  delayed: boolean;
  /** Counts in every state, disarmed included (tamper, smoke). */
  always_on: boolean;
  /** May be open at arming without anything said. */
  allow_open: boolean;
  /** Open at arming and not allowed: bypass it for this arming, or refuse to arm. */
  when_open: 'refuse' | 'bypass';
}

export interface EngineSettings {
  modes: Record<ArmMode, ModeSettings>;
  sensors: SensorSettings[];
  /** After the trigger time: back to the armed mode (default), or disarmed. */
  disarm_after_trigger: boolean;
}

export interface AlarmSnapshot {
  version: 1;
  state: AlarmState;
  /** The mode being armed, armed, or that was armed when pending/triggered. */
  mode: ArmMode | null;
  /** Epoch ms at which arming, pending or triggered ends; null: none. */
  deadline: number | null;
  bypassed: string[];
  triggered_by: string | null;
  changed_at: number;
}

export type Transition = { from: AlarmState; to: AlarmState; cause: string; sensor?: string };

export type ArmResult =
  | { ok: true; state: AlarmState; bypassed: string[]; transitions: Transition[] }
  | { ok: false; reason: 'mode_disabled' | 'open_sensors' | 'busy'; open: string[] };

export const initialSnapshot = (now: number): AlarmSnapshot => ({
  version: 1,
  state: 'disarmed',
  mode: null,
  deadline: null,
  bypassed: [],
  triggered_by: null,
  changed_at: now,
});

const isArmed = (s: AlarmState): s is ArmedState => s.startsWith('armed_');

export class AlarmEngine {
  private s: AlarmSnapshot;

  constructor(
    private readonly cfg: EngineSettings,
    private readonly now: () => number,
    snapshot?: AlarmSnapshot,
  ) {
    this.s = snapshot ? { ...snapshot, bypassed: [...snapshot.bypassed] } : initialSnapshot(now());
  }

  get snapshot(): AlarmSnapshot {
    return { ...this.s, bypassed: [...this.s.bypassed] };
  }

  get state(): AlarmState {
    return this.s.state;
  }

  get deadline(): number | null {
    return this.s.deadline;
  }

  /** Seconds left before the current deadline (0 when none). */
  remaining(): number {
    return this.s.deadline === null ? 0 : Math.max(0, Math.ceil((this.s.deadline - this.now()) / 1000));
  }

  sensor(entityId: string): SensorSettings | undefined {
    return this.cfg.sensors.find((x) => x.entity_id === entityId);
  }

  /** Sensors that count in a mode. */
  sensorsOf(mode: ArmMode): SensorSettings[] {
    const list = this.cfg.modes[mode].sensors;
    return this.cfg.sensors.filter((x) => list.length === 0 || list.includes(x.entity_id) || x.always_on);
  }

  /** Open sensors that would stop arming (`refuse`), and those that would be bypassed. */
  checkOpen(mode: ArmMode, open: string[], force: boolean): { refuse: string[]; bypass: string[] } {
    const refuse: string[] = [];
    const bypass: string[] = [];
    for (const x of this.sensorsOf(mode)) {
      if (!open.includes(x.entity_id) || x.allow_open) continue;
      if (force || x.when_open === 'bypass') bypass.push(x.entity_id);
      else refuse.push(x.entity_id);
    }
    return { refuse, bypass };
  }

  arm(mode: ArmMode, open: string[], force = false): ArmResult {
    if (!this.cfg.modes[mode].enabled) return { ok: false, reason: 'mode_disabled', open: [] };
    if (this.s.state === 'pending' || this.s.state === 'triggered')
      return { ok: false, reason: 'busy', open: [] };
    const { refuse, bypass } = this.checkOpen(mode, open, force);
    if (refuse.length) return { ok: false, reason: 'open_sensors', open: refuse };
    const m = this.cfg.modes[mode];
    const from = this.s.state;
    const now = this.now();
    const to: AlarmState = m.exit_delay > 0 ? 'arming' : `armed_${mode}`;
    this.s = {
      ...this.s,
      state: to,
      mode,
      deadline: m.exit_delay > 0 ? now + m.exit_delay * 1000 : null,
      bypassed: bypass,
      triggered_by: null,
      changed_at: now,
    };
    return { ok: true, state: to, bypassed: bypass, transitions: [{ from, to, cause: 'arm' }] };
  }

  disarm(): Transition[] {
    const from = this.s.state;
    this.s = { ...initialSnapshot(this.now()) };
    return from === 'disarmed' ? [] : [{ from, to: 'disarmed', cause: 'disarm' }];
  }

  /**
   * A sensor was SEEN going from closed to open. The module never calls this for a sensor
   * whose previous state was unknown or unavailable (the restart false-trigger problem).
   */
  opened(entityId: string): Transition[] {
    const x = this.sensor(entityId);
    if (!x) return [];
    const { state, mode } = this.s;
    if (x.always_on && state !== 'triggered') return this.trigger(entityId);
    if (state === 'disarmed' || state === 'triggered' || state === 'arming' || !mode) return [];
    if (this.s.bypassed.includes(entityId) || !this.sensorsOf(mode).includes(x)) return [];
    if (state === 'pending') return x.delayed ? [] : this.trigger(entityId);
    // armed
    const entry = this.cfg.modes[mode].entry_delay;
    if (!x.delayed || entry <= 0) return this.trigger(entityId);
    const from = state;
    const now = this.now();
    this.s = {
      ...this.s,
      state: 'pending',
      deadline: now + entry * 1000,
      triggered_by: entityId,
      changed_at: now,
    };
    return [{ from, to: 'pending', cause: 'sensor', sensor: entityId }];
  }

  /** Applies every deadline that has passed (several, after a long power cut). */
  tick(): Transition[] {
    const out: Transition[] = [];
    for (let guard = 0; guard < 4 && this.s.deadline !== null && this.s.deadline <= this.now(); guard++) {
      const { state, mode, deadline } = this.s;
      if (state === 'arming' && mode) {
        this.s = { ...this.s, state: `armed_${mode}`, deadline: null, changed_at: deadline };
        out.push({ from: state, to: `armed_${mode}`, cause: 'exit_delay' });
      } else if (state === 'pending') {
        out.push(...this.trigger(this.s.triggered_by ?? '', deadline));
      } else if (state === 'triggered') {
        const to: AlarmState = mode && !this.cfg.disarm_after_trigger ? `armed_${mode}` : 'disarmed';
        this.s =
          to === 'disarmed'
            ? initialSnapshot(deadline)
            : { ...this.s, state: to, deadline: null, changed_at: deadline };
        out.push({ from: state, to, cause: 'trigger_time' });
      } else {
        this.s = { ...this.s, deadline: null };
      }
    }
    return out;
  }

  private trigger(sensor: string, at = this.now()): Transition[] {
    const from = this.s.state;
    const mode = isArmed(from) ? (from.slice('armed_'.length) as ArmMode) : this.s.mode;
    const time = mode
      ? this.cfg.modes[mode].trigger_time
      : Math.max(...ARM_MODES.map((m) => this.cfg.modes[m].trigger_time));
    this.s = {
      ...this.s,
      state: 'triggered',
      mode: from === 'disarmed' ? null : mode,
      deadline: time > 0 ? at + time * 1000 : null,
      triggered_by: sensor,
      changed_at: at,
    };
    return [{ from, to: 'triggered', cause: 'sensor', sensor }];
  }
}
