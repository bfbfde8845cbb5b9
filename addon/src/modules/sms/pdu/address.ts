/**
 * Addresses of TS 23.040 §9.1.2.5 (semi-octets, type of address) and the SMSC prefix of
 * TS 24.011 that AT+CMGS / +CMGR add in front of the TPDU. Pure functions.
 */
import { packSeptets, septetsToText, textToSeptets, unpackSeptets } from './gsm7.js';
import { fail, ok, type PduResult } from './types.js';

const TOA_INTERNATIONAL = 0x91;
const TOA_UNKNOWN = 0x81;
const TON_ALPHANUMERIC = 0x50;

/** Semi-octet digits (including * # a b c for the extended BCD) from octets, F as filler. */
export function decodeSemiOctets(bytes: ArrayLike<number>, digits: number): string {
  const map = '0123456789*#abc';
  let out = '';
  for (let i = 0; i < digits; i++) {
    const b = (bytes[i >> 1] ?? 0xff) as number;
    const n = i & 1 ? b >> 4 : b & 0x0f;
    if (n === 0x0f) break;
    out += map[n];
  }
  return out;
}

export function encodeSemiOctets(digits: string): number[] {
  const map: Record<string, number> = { '*': 10, '#': 11, a: 12, b: 13, c: 14 };
  const out: number[] = [];
  for (let i = 0; i < digits.length; i += 2) {
    const lo = map[digits[i] as string] ?? Number(digits[i]);
    const hiCh = digits[i + 1];
    const hi = hiCh === undefined ? 0x0f : (map[hiCh] ?? Number(hiCh));
    out.push(((hi & 0x0f) << 4) | (lo & 0x0f));
  }
  return out;
}

/** A phone number for an address field: "+33612345678" (international) or digits. */
export function addressParts(number: string): PduResult<{ toa: number; digits: string }> {
  const n = number.replace(/[\s.()-]/g, '');
  if (/^\+\d{1,20}$/.test(n)) return ok({ toa: TOA_INTERNATIONAL, digits: n.slice(1) });
  if (/^[\d*#]{1,20}$/.test(n)) return ok({ toa: TOA_UNKNOWN, digits: n });
  return fail('bad_address', `"${number}" is not a phone number (digits, optionally with a leading +)`);
}

/** TP-DA / TP-OA: length in digits, type of address, semi-octets. */
export function encodeAddress(number: string): PduResult<number[]> {
  const p = addressParts(number);
  if (!p.ok) return p;
  return ok([p.value.digits.length, p.value.toa, ...encodeSemiOctets(p.value.digits)]);
}

/** SMSC prefix: length in octets (type included), type, semi-octets; "00" when empty. */
export function encodeSmsc(number: string | undefined): PduResult<number[]> {
  if (!number) return ok([0]);
  const p = addressParts(number);
  if (!p.ok) return p;
  const body = [p.value.toa, ...encodeSemiOctets(p.value.digits)];
  return ok([body.length, ...body]);
}

function formatNumber(toa: number, digits: string): string {
  return (toa & 0x70) === 0x10 && digits ? `+${digits}` : digits;
}

/** Decodes TP-OA/DA/RA at `off`; returns the address and the offset after it. */
export function decodeAddress(
  b: Uint8Array,
  off: number,
): PduResult<{ address: string; toa: number; next: number }> {
  if (off + 2 > b.length) return fail('truncated', 'PDU ends inside an address');
  const len = b[off] as number;
  const toa = b[off + 1] as number;
  if (len > 20) return fail('bad_address', `address length ${len} is longer than 20 digits`);
  const octets = Math.ceil(len / 2);
  const start = off + 2;
  if (start + octets > b.length) return fail('truncated', 'PDU ends inside an address');
  const body = b.subarray(start, start + octets);
  if ((toa & 0x70) === TON_ALPHANUMERIC) {
    // Alphanumeric sender (TS 23.040 §9.1.2.5): GSM 7-bit packed, length counts semi-octets.
    const septets = Math.floor((len * 4) / 7);
    return ok({ address: septetsToText(unpackSeptets(body, septets)), toa, next: start + octets });
  }
  return ok({ address: formatNumber(toa, decodeSemiOctets(body, len)), toa, next: start + octets });
}

/** Decodes the SMSC prefix; returns null for an empty one. */
export function decodeSmsc(b: Uint8Array): PduResult<{ smsc: string | null; next: number }> {
  if (b.length < 1) return fail('truncated', 'empty PDU');
  const len = b[0] as number;
  if (len === 0) return ok({ smsc: null, next: 1 });
  if (len > 12) return fail('bad_address', `SMSC length ${len} octets is more than 12`);
  if (1 + len > b.length) return fail('truncated', 'PDU ends inside the SMSC address');
  const toa = b[1] as number;
  const digits = decodeSemiOctets(b.subarray(2, 1 + len), (len - 1) * 2);
  return ok({ smsc: formatNumber(toa, digits), next: 1 + len });
}

/** Alphanumeric address field (the simulator's network-side senders such as "Orange"). */
export function encodeAlphanumericAddress(text: string): PduResult<number[]> {
  const septets = textToSeptets(text);
  if (!septets || septets.length > 11)
    return fail('bad_address', `"${text}" is not a GSM 7-bit name of 11 characters or less`);
  const packed = packSeptets(septets);
  return ok([Math.ceil((septets.length * 7) / 4), 0xd0, ...packed]);
}
