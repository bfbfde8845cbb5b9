/**
 * Failures per channel key (`keypad`, `rpc`, `badge:<reader>`, `sms:<number>`): after
 * `max` wrong codes or unknown badges in a row the key is refused for `ms`, even with a
 * right code. Persisted with the alarm state so that a restart does not reset a lockout.
 */
export interface LockEntry {
  failures: number;
  until: number;
}

export class Lockouts {
  constructor(
    private readonly max: number,
    private readonly ms: number,
    private readonly now: () => number,
    readonly entries: Record<string, LockEntry> = {},
  ) {}

  /** Minutes left when locked, else 0. */
  lockedFor(key: string): number {
    const e = this.entries[key];
    return e && e.until > this.now() ? Math.ceil((e.until - this.now()) / 60_000) : 0;
  }

  /** Counts a failure; true when this one locks the key. */
  fail(key: string): boolean {
    const e = this.entries[key] ?? { failures: 0, until: 0 };
    e.failures++;
    this.entries[key] = e;
    if (e.failures >= this.max) {
      e.until = this.now() + this.ms;
      e.failures = 0;
      return true;
    }
    return false;
  }

  succeed(key: string): void {
    delete this.entries[key];
  }
}
