/**
 * The index sanity guard. A group can pass its 6-bit checksum while corrupted (1 chance in 64
 * per corrupted group), and one bad index in HA's Energy dashboard is a spike that stays
 * forever. An index that goes backwards, or grows more than the subscribed power allows since
 * the previous accepted frame, is held back (and logged by the caller). A new value confirmed
 * by several consecutive frames (a meter replaced, a long outage) becomes the new baseline.
 */
export interface HeldIndex {
  label: string;
  value: number;
  previous: number;
  reason: 'backwards' | 'too_fast';
}

export interface GuardOptions {
  /** Margin over the subscribed power (the meter tolerates some overload before cutting). */
  margin: number;
  /** Frames that must agree on a jump before it is accepted. */
  confirmFrames?: number;
}

interface Baseline {
  value: number;
  at: number;
}

export interface GuardSnapshot {
  baselines: Record<string, Baseline>;
}

/** Energy one may draw in `ms` at `watts`, plus 2 Wh for the rounding of two readings. */
function allowedWh(watts: number, ms: number): number {
  return (watts * Math.max(ms, 0)) / 3_600_000 + 2;
}

export class IndexGuard {
  private baselines = new Map<string, Baseline>();
  private candidates = new Map<string, { value: number; at: number; count: number }>();

  constructor(private readonly opts: GuardOptions) {}

  /**
   * Checks this frame's indexes. `maxPowerW` is the subscribed power in W (36 kVA when
   * unknown, the largest residential subscription). Returns the indexes to publish.
   */
  check(
    now: number,
    indexes: Record<string, number>,
    maxPowerW: number | undefined,
  ): { accepted: Record<string, number>; held: HeldIndex[] } {
    const watts = (maxPowerW && maxPowerW > 0 ? maxPowerW : 36_000) * this.opts.margin;
    const confirm = this.opts.confirmFrames ?? 5;
    const accepted: Record<string, number> = {};
    const held: HeldIndex[] = [];
    for (const [label, value] of Object.entries(indexes)) {
      const base = this.baselines.get(label);
      if (!base) {
        this.baselines.set(label, { value, at: now });
        accepted[label] = value;
        continue;
      }
      const delta = value - base.value;
      if (delta >= 0 && delta <= allowedWh(watts, now - base.at)) {
        this.baselines.set(label, { value, at: now });
        this.candidates.delete(label);
        accepted[label] = value;
        continue;
      }
      // Out of bounds: wait for consecutive frames that agree with each other.
      const c = this.candidates.get(label);
      const agrees = c && value - c.value >= 0 && value - c.value <= allowedWh(watts, now - c.at);
      const next = agrees ? { value, at: now, count: c.count + 1 } : { value, at: now, count: 1 };
      this.candidates.set(label, next);
      if (next.count >= confirm) {
        this.baselines.set(label, { value, at: now });
        this.candidates.delete(label);
        accepted[label] = value;
      } else {
        held.push({ label, value, previous: base.value, reason: delta < 0 ? 'backwards' : 'too_fast' });
      }
    }
    return { accepted, held };
  }

  snapshot(): GuardSnapshot {
    return { baselines: Object.fromEntries(this.baselines) };
  }

  restore(s: GuardSnapshot | undefined): void {
    if (!s?.baselines) return;
    for (const [k, v] of Object.entries(s.baselines))
      if (typeof v?.value === 'number' && typeof v.at === 'number') this.baselines.set(k, v);
  }
}
