/**
 * UTC offsets of an IANA time zone read from the system's time-zone database (TZif files,
 * RFC 8536, `/usr/share/zoneinfo` or `$TZDIR`), without `Intl`: the first `Intl.DateTimeFormat`
 * of a process loads ICU's locale and zone data, ~8 MB of resident memory, which a Linky-only
 * process needs for nothing else (it asks for the local day at every frame; bench/linky-live.ts).
 * Undefined when the zone's file is missing or uses a rule form not handled here: time.ts then
 * asks `Intl`, so the answer never depends on this file being present.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A POSIX TZ rule date `Mm.w.d[/time]`: day `d` (0 = Sunday) of week `w` (5 = last) of month `m`. */
interface RuleDate {
  month: number;
  week: number;
  weekday: number;
  /** Seconds after local midnight (may be negative or beyond 24 h, RFC 8536 §3.3.1). */
  time: number;
}

/** The footer rule for instants after the last listed transition. */
interface PosixRule {
  std: number;
  dst: number;
  start?: RuleDate;
  end?: RuleDate;
}

interface Zone {
  /** Transition instants (s since the epoch), ascending. */
  times: number[];
  /** UTC offset (s) in force from each transition on. */
  offsets: number[];
  /** Before the first transition (time type 0). */
  initial: number;
  footer: PosixRule | undefined;
}

const zones = new Map<string, Zone | null>();

/** A zone name is a path inside the database; anything else (`..`, absolute) is never read. */
const ZONE_NAME = /^[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)*$/;

/** Offset of `timeZone` from UTC at `at` (ms), or undefined when the database cannot tell. */
export function zoneOffsetMs(at: number, timeZone: string): number | undefined {
  let zone = zones.get(timeZone);
  if (zone === undefined) {
    zone = loadZone(timeZone) ?? null;
    zones.set(timeZone, zone);
  }
  if (!zone) return undefined;
  const offset = offsetAt(zone, Math.floor(at / 1000));
  return offset === undefined ? undefined : offset * 1000;
}

function loadZone(name: string): Zone | undefined {
  if (!ZONE_NAME.test(name)) return undefined;
  for (const dir of [process.env.TZDIR, '/usr/share/zoneinfo']) {
    if (!dir) continue;
    try {
      return parseTzif(readFileSync(join(dir, name)));
    } catch {
      // missing or unreadable here: try the next directory, else Intl
    }
  }
  return undefined;
}

/** RFC 8536: the version 2+ data block (64-bit times) and its footer, else the version 1 block. */
export function parseTzif(b: Buffer): Zone | undefined {
  if (b.length < 44 || b.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const counts = (at: number) => {
    const n = (i: number) => b.readUInt32BE(at + 20 + 4 * i);
    return { isut: n(0), isstd: n(1), leap: n(2), time: n(3), type: n(4), char: n(5) };
  };
  const v2 = (b[4] ?? 0) >= 0x32;
  let header = 0;
  let c = counts(0);
  let timeSize = 4;
  if (v2) {
    header = 44 + c.time * 5 + c.type * 6 + c.char + c.leap * 8 + c.isstd + c.isut;
    c = counts(header);
    timeSize = 8;
  }
  let p = header + 44;
  const times: number[] = [];
  for (let i = 0; i < c.time; i++, p += timeSize)
    times.push(timeSize === 8 ? Number(b.readBigInt64BE(p)) : b.readInt32BE(p));
  const typeOf = [...b.subarray(p, p + c.time)];
  p += c.time;
  const typeOffsets: number[] = [];
  for (let i = 0; i < c.type; i++) typeOffsets.push(b.readInt32BE(p + 6 * i));
  p += c.type * 6 + c.char + c.leap * (timeSize + 4) + c.isstd + c.isut;
  const offsets = typeOf.map((t) => typeOffsets[t]);
  if (c.type === 0 || offsets.some((o) => o === undefined)) return undefined;
  let footer: PosixRule | undefined;
  if (v2 && b[p] === 0x0a) {
    const end = b.indexOf(0x0a, p + 1);
    const text = end > p ? b.toString('latin1', p + 1, end) : '';
    if (text) {
      footer = parsePosixTz(text);
      if (!footer) return undefined; // a rule form not handled: let Intl answer
    }
  }
  return { times, offsets: offsets as number[], initial: typeOffsets[0] as number, footer };
}

function offsetAt(z: Zone, t: number): number | undefined {
  const last = z.times.length - 1;
  if (z.footer && (last < 0 || t >= (z.times[last] as number))) return ruleOffset(z.footer, t);
  if (last < 0 || t < (z.times[0] as number)) return z.initial;
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((z.times[mid] as number) <= t) lo = mid;
    else hi = mid - 1;
  }
  return z.offsets[lo];
}

const NAME = '(<[^>]+>|[A-Za-z]{3,})';
const OFFSET = '([+-]?\\d{1,3}(?::\\d{1,2}(?::\\d{1,2})?)?)';
const DATE = '(M\\d{1,2}\\.\\d\\.\\d(?:/[+-]?\\d{1,3}(?::\\d{1,2}(?::\\d{1,2})?)?)?)';
const POSIX_TZ = new RegExp(`^${NAME}${OFFSET}(?:${NAME}${OFFSET}?(?:,${DATE},${DATE})?)?$`);

/** Signed `[+-]hh[:mm[:ss]]` in seconds. */
function seconds(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const [h = 0, m = 0, s = 0] = text.replace(/^[+-]/, '').split(':').map(Number);
  return sign * (h * 3600 + m * 60 + s);
}

function ruleDate(text: string): RuleDate | undefined {
  const m = /^M(\d{1,2})\.(\d)\.(\d)(?:\/(.+))?$/.exec(text);
  if (!m) return undefined;
  const month = Number(m[1]);
  const week = Number(m[2]);
  const weekday = Number(m[3]);
  if (month < 1 || month > 12 || week < 1 || week > 5 || weekday > 6) return undefined;
  return { month, week, weekday, time: m[4] ? seconds(m[4]) : 7200 };
}

/** "CET-1CEST,M3.5.0,M10.5.0/3" → offsets east of UTC (POSIX writes them west) and rule dates. */
export function parsePosixTz(text: string): PosixRule | undefined {
  const m = POSIX_TZ.exec(text);
  if (!m) return undefined;
  const std = 0 - seconds(m[2] as string); // 0 - x: never -0
  if (!m[3]) return { std, dst: std };
  // A daylight name without rules means the POSIX default rules: not written by current tzdata.
  if (!m[5] || !m[6]) return undefined;
  const start = ruleDate(m[5]);
  const end = ruleDate(m[6]);
  if (!start || !end) return undefined;
  return { std, dst: m[4] ? 0 - seconds(m[4]) : std + 3600, start, end };
}

/** The instant (s) a rule date falls on in `year`, its time read with `offset` (s east of UTC). */
function ruleInstant(year: number, r: RuleDate, offset: number): number {
  const firstWeekday = new Date(Date.UTC(year, r.month - 1, 1)).getUTCDay();
  const daysInMonth = new Date(Date.UTC(year, r.month, 0)).getUTCDate();
  let day = 1 + ((r.weekday - firstWeekday + 7) % 7) + (r.week - 1) * 7;
  while (day > daysInMonth) day -= 7;
  return Date.UTC(year, r.month - 1, day) / 1000 + r.time - offset;
}

function ruleOffset(r: PosixRule, t: number): number {
  if (!r.start || !r.end) return r.std;
  const year = new Date((t + r.std) * 1000).getUTCFullYear();
  // The start is written in standard time, the end in daylight time.
  const start = ruleInstant(year, r.start, r.std);
  const end = ruleInstant(year, r.end, r.dst);
  const daylight = start < end ? t >= start && t < end : !(t >= end && t < start);
  return daylight ? r.dst : r.std;
}
