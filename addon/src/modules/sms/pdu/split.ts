/**
 * Splitting a text into SMS segments (TS 23.040 §9.2.3.24.1, TS 23.038):
 * - GSM 7-bit: 160 septets alone, 153 per part when concatenated (7 septets of header);
 *   an extension character (escape + value) is never cut in two.
 * - UCS2: 70 units alone, 67 per part; a surrogate pair (emoji…) is never cut in two.
 */
import { charToSeptets } from './gsm7.js';
import type { Encoding } from './types.js';

export const LIMITS = {
  gsm7: { single: 160, multi: 153 },
  ucs2: { single: 70, multi: 67 },
} as const;

export const MAX_PARTS = 255;

export interface Segment {
  /** The part's characters. */
  text: string;
  /** GSM septets (gsm7) or UTF-16 units (ucs2). */
  units: number;
}

/** Units of each character: septets (1 or 2) for gsm7, UTF-16 code units (1 or 2) for ucs2. */
function charUnits(text: string, encoding: 'gsm7' | 'ucs2'): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const ch of text) {
    // for…of walks code points: a surrogate pair stays one element.
    out.push([ch, encoding === 'gsm7' ? (charToSeptets(ch)?.length ?? 1) : ch.length]);
  }
  return out;
}

export function splitText(text: string, encoding: Exclude<Encoding, '8bit'>): Segment[] {
  const chars = charUnits(text, encoding);
  const total = chars.reduce((n, [, u]) => n + u, 0);
  const lim = LIMITS[encoding];
  if (total <= lim.single) return [{ text, units: total }];
  const parts: Segment[] = [];
  let cur = '';
  let units = 0;
  for (const [ch, u] of chars) {
    if (units + u > lim.multi) {
      parts.push({ text: cur, units });
      cur = '';
      units = 0;
    }
    cur += ch;
    units += u;
  }
  if (cur) parts.push({ text: cur, units });
  return parts;
}
