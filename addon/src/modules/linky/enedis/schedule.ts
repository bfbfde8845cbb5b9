/**
 * When the Enedis sync asks for what: the daily slot (a random minute after the hour data is
 * published, an early-afternoon retry when yesterday is still missing) and the cutting of the
 * missing days into requests of consecutive days.
 */
import { addDays, localDayOf, localToUtc } from './time.js';

/** Consecutive runs of days, cut to at most `max` days each: [start, endExclusive]. */
export function ranges(days: string[], max: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let start: string | undefined;
  let prev: string | undefined;
  let n = 0;
  for (const d of [...days].sort()) {
    if (start && prev && addDays(prev, 1) === d && n < max) {
      prev = d;
      n++;
      continue;
    }
    if (start && prev) out.push([start, addDays(prev, 1)]);
    start = d;
    prev = d;
    n = 1;
  }
  if (start && prev) out.push([start, addDays(prev, 1)]);
  return out;
}

/**
 * When the next daily sync starts: today at `syncHour` if that is still ahead; else 13:00 today
 * when yesterday is still missing (Enedis publishes late some days); else tomorrow at
 * `syncHour`. Then a random minute of the two hours after, so that users' requests spread out
 * as the service asks. `random` returns [0, 1).
 */
export function nextSyncAt(
  now: number,
  timeZone: string,
  syncHour: number,
  yesterdayMissing: boolean,
  random: () => number,
): number {
  const today = localDayOf(now, timeZone);
  const at = (day: string, hour: number) =>
    localToUtc(`${day} ${String(hour).padStart(2, '0')}:00`, timeZone);
  const candidates = [
    at(today, syncHour),
    ...(yesterdayMissing ? [at(today, 13)] : []),
    at(addDays(today, 1), syncHour),
  ].sort((a, b) => a - b);
  const next = candidates.find((c) => c > now) ?? candidates[candidates.length - 1]!;
  return next + Math.floor(random() * 120) * 60_000;
}
