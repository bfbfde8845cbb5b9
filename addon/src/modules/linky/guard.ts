/**
 * The index sanity guard. A group can pass its 6-bit checksum while corrupted (two bit flips
 * that cancel, a flip in the data and one in the checksum character), and one bad index in
 * HA's Energy dashboard is a spike that stays forever; a value that goes down even by 1 Wh is
 * read by HA as a meter reset. So an index is published only when the reading AFTER it agrees:
 *
 * - a reading is first pending; it is accepted when the next reading of the same label is not
 *   below it and not further above than the subscribed power allows in between. A corrupted
 *   reading (even +1 Wh) is followed by a true one below it, so it is never accepted: the
 *   published index lags one frame behind, and never goes back;
 * - a reading that goes backwards, or grows more than the subscribed power allows since the
 *   last accepted value, is held back (and logged by the caller);
 * - a new value confirmed by several consecutive frames that agree with each other (a meter
 *   replaced, a long outage) becomes the new baseline.
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

interface Reading {
  value: number;
  at: number;
}

export interface GuardSnapshot {
  baselines: Record<string, Reading>;
}

/** Energy one may draw in `ms` at `watts`, plus 2 Wh for the rounding of two readings. */
function allowedWh(watts: number, ms: number): number {
  return (watts * Math.max(ms, 0)) / 3_600_000 + 2;
}

/** Whether `next` may follow `prev` on a meter drawing at most `watts`. */
function follows(prev: Reading, next: Reading, watts: number): boolean {
  const delta = next.value - prev.value;
  return delta >= 0 && delta <= allowedWh(watts, next.at - prev.at);
}

export class IndexGuard {
  private baselines = new Map<string, Reading>();
  /** The last reading within bounds, waiting for the next one to confirm it. */
  private pending = new Map<string, Reading>();
  private candidates = new Map<string, Reading & { count: number }>();

  constructor(private readonly opts: GuardOptions) {}

  /**
   * Checks this frame's indexes. `maxPowerW` is the subscribed power in W (36 kVA when
   * unknown, the largest residential subscription). Returns the indexes to publish (earlier
   * readings that this frame confirms) and the readings held back.
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
      const reading = { value, at: now };
      const pending = this.pending.get(label);
      this.pending.delete(label);
      if (pending && follows(pending, reading, watts)) {
        this.baselines.set(label, pending);
        accepted[label] = pending.value;
      }
      const base = this.baselines.get(label);
      if (!base || follows(base, reading, watts)) {
        this.pending.set(label, reading);
        this.candidates.delete(label);
        continue;
      }
      // Out of bounds: wait for consecutive frames that agree with each other.
      const c = this.candidates.get(label);
      const count = c && follows(c, reading, watts) ? c.count + 1 : 1;
      this.candidates.set(label, { ...reading, count });
      if (count >= confirm) {
        this.baselines.set(label, reading);
        this.candidates.delete(label);
        accepted[label] = value;
      } else {
        held.push({
          label,
          value,
          previous: base.value,
          reason: value < base.value ? 'backwards' : 'too_fast',
        });
      }
    }
    return { accepted, held };
  }

  /** The last accepted value of a label (what HA has), if any. */
  baseline(label: string): number | undefined {
    return this.baselines.get(label)?.value;
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
