/**
 * TP-SCTS / TP-DT (TS 23.040 §9.2.3.11): seven semi-octet pairs, the last one the zone in
 * quarters of an hour whose sign is bit 3 of the octet (the first semi-octet).
 */
import { fail, ok, type PduResult } from './types.js';

function swapped(b: number): number {
  return (b & 0x0f) * 10 + (b >> 4);
}

const pad = (n: number) => String(n).padStart(2, '0');

export function decodeTimestamp(b: Uint8Array, off: number): PduResult<string> {
  if (off + 7 > b.length) return fail('truncated', 'PDU ends inside a timestamp');
  const v: number[] = [];
  for (let i = 0; i < 6; i++) {
    const o = b[off + i] as number;
    if ((o & 0x0f) > 9 || o >> 4 > 9) return fail('bad_timestamp', `timestamp octet ${i} is not BCD`);
    v.push(swapped(o));
  }
  const [yy, mo, dd, hh, mi, ss] = v as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59)
    return fail('bad_timestamp', `timestamp ${yy}-${mo}-${dd} ${hh}:${mi}:${ss} is not a date`);
  const tz = b[off + 6] as number;
  const negative = (tz & 0x08) !== 0;
  const quarters = (tz & 0x07) * 10 + (tz >> 4);
  if (tz >> 4 > 9 || quarters > 79) return fail('bad_timestamp', 'time zone out of range');
  const minutes = quarters * 15;
  const zone = `${negative && minutes ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  // Two-digit years: 90..99 are 1990s (old examples), the rest 2000s.
  const year = yy >= 90 ? 1900 + yy : 2000 + yy;
  return ok(`${year}-${pad(mo)}-${pad(dd)}T${pad(hh)}:${pad(mi)}:${pad(ss)}${zone}`);
}

/** Encodes a local time and its offset in minutes (for the simulator and tests). */
export function encodeTimestamp(date: Date, offsetMinutes: number): number[] {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const parts = [
    local.getUTCFullYear() % 100,
    local.getUTCMonth() + 1,
    local.getUTCDate(),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
  ];
  const out = parts.map((n) => ((n % 10) << 4) | Math.floor(n / 10));
  const q = Math.round(Math.abs(offsetMinutes) / 15);
  out.push(((q % 10) << 4) | Math.floor(q / 10) | (offsetMinutes < 0 ? 0x08 : 0));
  return out;
}
