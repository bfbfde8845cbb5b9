/**
 * Local time of the meter (Europe/Paris by default) ↔ UTC, without a date library: Enedis dates
 * are local ("2026-09-29 00:30:00"), Home Assistant statistics start at UTC hours.
 *
 * Offsets come from the system's time-zone database (zoneinfo.ts), else from `Intl`: the first
 * `Intl.DateTimeFormat` loads ICU's data, ~8 MB of resident memory a Linky-only process would
 * carry for the local day it asks at every frame.
 */
import { zoneOffsetMs } from './zoneinfo.js';

/** Creating an Intl.DateTimeFormat costs about 0.1 ms, more than decoding a TIC frame: one per zone. */
const fmtCache = new Map<string, Intl.DateTimeFormat>();

function intlOffsetMs(at: number, timeZone: string): number {
  let f = fmtCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'longOffset' });
    fmtCache.set(timeZone, f);
  }
  const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/** Offset of `timeZone` from UTC at instant `at`, in ms (Paris in summer: +7 200 000). */
export function tzOffsetMs(at: number, timeZone: string): number {
  return zoneOffsetMs(at, timeZone) ?? intlOffsetMs(at, timeZone);
}

/**
 * UTC instant of a local date-time "YYYY-MM-DD[ HH:MM[:SS]]". In the repeated autumn hour, the
 * first of the two instants (a load curve's second pass is then placed after it by the caller);
 * in the skipped spring hour, the wall time read with the offset before the change (02:30 → 03:30).
 */
export function localToUtc(local: string, timeZone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(local);
  if (!m) return Number.NaN;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  // The offsets in force a day before and a day after: they differ only around a clock change.
  const before = tzOffsetMs(wall - 86_400_000, timeZone);
  const after = tzOffsetMs(wall + 86_400_000, timeZone);
  const valid = [wall - before, wall - after].filter(
    (t, i) => tzOffsetMs(t, timeZone) === (i ? after : before),
  );
  return valid.length ? Math.min(...valid) : wall - before;
}

/** The local day "YYYY-MM-DD" of an instant. */
export function localDayOf(at: number, timeZone: string): string {
  return new Date(at + tzOffsetMs(at, timeZone)).toISOString().slice(0, 10);
}

/** Local hour (0-23) of an instant. */
export function localHourOf(at: number, timeZone: string): number {
  return new Date(at + tzOffsetMs(at, timeZone)).getUTCHours();
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}
