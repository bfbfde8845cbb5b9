/**
 * Phone numbers in E.164 (+33612345678) from whatever people and networks write: spaces,
 * dots, dashes, 0033…, national 06… with a default country. Alphanumeric senders ("Orange")
 * are returned as they are and never match an authorised number.
 */

const CALLING_CODES: Record<string, string> = {
  FR: '33',
  BE: '32',
  CH: '41',
  LU: '352',
  MC: '377',
  DE: '49',
  ES: '34',
  IT: '39',
  PT: '351',
  NL: '31',
  GB: '44',
  IE: '353',
  AT: '43',
  US: '1',
  CA: '1',
  RE: '262',
  GP: '590',
  MQ: '596',
  GF: '594',
};

export function callingCode(country: string): string | undefined {
  return CALLING_CODES[country.toUpperCase()];
}

export function normalizeNumber(raw: string, defaultCountry = 'FR'): string {
  const s = raw.trim().replace(/[\s.()/-]/g, '');
  if (!/^\+?\d+$/.test(s)) return raw.trim();
  if (s.startsWith('+')) return s;
  if (s.startsWith('00')) return `+${s.slice(2)}`;
  const cc = callingCode(defaultCountry);
  // National format: trunk prefix 0 then the subscriber number (FR, BE, CH, DE, GB, …).
  if (cc && s.startsWith('0') && s.length >= 9) return `+${cc}${s.slice(1)}`;
  // Already international without + (as some modems report with type 129).
  if (cc && s.startsWith(cc) && s.length >= 10) return `+${s}`;
  return s;
}

export function sameNumber(a: string, b: string, defaultCountry = 'FR'): boolean {
  return normalizeNumber(a, defaultCountry) === normalizeNumber(b, defaultCountry);
}

/**
 * What an originating address is, from its type of number (TS 23.040 §9.1.2.5, bits 6-4 of
 * the type-of-address octet): `alphanumeric` (101) is a name anyone can choose at a bulk-SMS
 * service and is never a phone number, whatever its text; `short` is a network-specific or
 * abbreviated number, or too short to be a subscriber's; anything else with digits is a
 * `number`. `toa` undefined (a journal written before the type was kept): judged by the text.
 */
export type SenderKind = 'number' | 'short' | 'alphanumeric';

export function senderKind(address: string, toa: number | undefined): SenderKind {
  const ton = toa === undefined ? undefined : (toa >> 4) & 0x07;
  if (ton === 5) return 'alphanumeric';
  const digits = address.replace(/^\+/, '');
  if (!/^\d+$/.test(digits)) return toa === undefined ? 'alphanumeric' : 'short';
  if (ton === 3 || ton === 6) return 'short';
  // International numbers have a country code; a national subscriber number has 8+ digits
  // (06 12 34 56 78); 3- to 6-digit numbers are operator services and short codes.
  if (ton !== 1 && digits.length < 8) return 'short';
  return 'number';
}
