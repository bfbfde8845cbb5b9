/**
 * GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1), and the
 * septet packing of TS 23.038 §6.1.2.1.1. Pure functions.
 */

/** Index = septet value. 0x1B is the escape to the extension table (shown as a placeholder here). */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Extension table: septet after 0x1B → character. 0x0A (page break) decodes as form feed. */
const EXTENSION: ReadonlyArray<[number, string]> = [
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
];

export const ESC = 0x1b;

const BASIC_MAP = new Map<string, number>();
for (let i = 0; i < BASIC.length; i++) if (i !== ESC) BASIC_MAP.set(BASIC[i] as string, i);
const EXT_MAP = new Map<string, number>(EXTENSION.map(([v, c]) => [c, v]));
const EXT_DECODE = new Map<number, string>(EXTENSION);

if (BASIC.length !== 128) throw new Error(`GSM 7-bit table has ${BASIC.length} entries`);

/** Septets of one character (1 or 2), or null when it has no GSM 7-bit form. */
export function charToSeptets(ch: string): number[] | null {
  const b = BASIC_MAP.get(ch);
  if (b !== undefined) return [b];
  const e = EXT_MAP.get(ch);
  if (e !== undefined) return [ESC, e];
  return null;
}

/** Whether every character of the text exists in the default alphabet or its extension. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC_MAP.has(ch) && !EXT_MAP.has(ch)) return false;
  return true;
}

/** Septets of a text; null if a character cannot be represented. */
export function textToSeptets(text: string): number[] | null {
  const out: number[] = [];
  for (const ch of text) {
    const s = charToSeptets(ch);
    if (!s) return null;
    out.push(...s);
  }
  return out;
}

/**
 * Septets to text. An escape followed by an unknown value shows the basic character of that
 * value (TS 23.038: "the receiving entity shall display the character in the default table");
 * a trailing lone escape is dropped.
 */
export function septetsToText(septets: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < septets.length; i++) {
    const s = (septets[i] as number) & 0x7f;
    if (s === ESC) {
      if (i + 1 >= septets.length) break;
      const n = (septets[++i] as number) & 0x7f;
      out += EXT_DECODE.get(n) ?? (n === ESC ? ' ' : (BASIC[n] as string));
    } else {
      out += BASIC[s] as string;
    }
  }
  return out;
}

/**
 * Packs septets into octets, LSB first. `fillBits` (0..6) zero bits come first, so that the
 * septets start on a septet boundary after a user data header.
 */
export function packSeptets(septets: ArrayLike<number>, fillBits = 0): Uint8Array {
  const totalBits = fillBits + septets.length * 7;
  const out = new Uint8Array(Math.ceil(totalBits / 8));
  let bit = fillBits;
  for (let i = 0; i < septets.length; i++) {
    const v = (septets[i] as number) & 0x7f;
    const byte = bit >> 3;
    const shift = bit & 7;
    out[byte] = (out[byte] as number) | ((v << shift) & 0xff);
    if (shift > 1) out[byte + 1] = (out[byte + 1] as number) | (v >> (8 - shift));
    bit += 7;
  }
  return out;
}

/** Unpacks `count` septets from octets, skipping `fillBits` leading bits. Missing bits read as 0. */
export function unpackSeptets(octets: ArrayLike<number>, count: number, fillBits = 0): number[] {
  const out: number[] = [];
  let bit = fillBits;
  for (let i = 0; i < count; i++) {
    const byte = bit >> 3;
    const shift = bit & 7;
    let v = ((octets[byte] ?? 0) as number) >> shift;
    if (shift > 1) v |= ((octets[byte + 1] ?? 0) as number) << (8 - shift);
    out.push(v & 0x7f);
    bit += 7;
  }
  return out;
}
