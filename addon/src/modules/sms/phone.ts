/**
 * Phone numbers in E.164 (+33612345678) from whatever people and networks write: spaces,
 * dots, dashes, 0033…, national 06… with a default country, +33 06… or +44 (0)7… with the
 * trunk prefix kept. Parsed by libphonenumber-js with its `max` metadata (Google's
 * PhoneNumberMetadata.xml): every country, and validity by digit patterns rather than by
 * length alone (docs/sms.md gives the bundle and memory cost measured against `min`).
 * Alphanumeric senders ("Orange") are returned as they are and never match an authorised number.
 */
import type { CountryCode, MetadataJson, NumberingPlan, PhoneNumber } from 'libphonenumber-js/core';
import { onDemand } from '../../core/on-demand.js';

type Core = typeof import('libphonenumber-js/core');

/**
 * libphonenumber-js and its `max` metadata are the largest dependency (~300 kB of code and a
 * metadata object graph): required the first time a number is parsed, so a process that never
 * handles a phone number (a Linky-only service, the TIC tools) never loads them. Synchronous,
 * because `config check` and the user registry validate numbers synchronously; kept out of the
 * bundle (rollup.config.mjs, LOAD_ON_DEMAND), installed beside it by npm. The `core` entry with
 * the metadata passed explicitly is what the `max` entry does (its CommonJS build lacks `Metadata`).
 */
const core = onDemand<Core>('libphonenumber-js/core');
const metadata = onDemand<MetadataJson>('libphonenumber-js/metadata.max.json');

const isSupportedCountry = (c: string): c is CountryCode =>
  core().isSupportedCountry(c as CountryCode, metadata());

/**
 * What a phone number may be written with: digits, an optional +, separators, then an
 * optional extension (";ext=12", "ext. 12", "x12", "#12", "poste 12"). Anything else (a letter
 * outside the extension marker) is an alphanumeric sender: libphonenumber would read letters
 * as keypad digits ("1-800-FLOWERS") or find a number inside a name.
 */
const PHONE_TEXT = /^\+?[\d\s.()/-]+(?:\s*(?:;ext=|ext\.?|x|#|poste)\s*\d+)?$/i;

/**
 * E.164 has 15 digits at most; with separators and an extension 64 characters is ample. The
 * cap also bounds the regex's backtracking on a long string from an HA payload.
 */
const MAX_PHONE_TEXT = 64;

const looksLikeNumber = (text: string) => text.length <= MAX_PHONE_TEXT && PHONE_TEXT.test(text);

export function callingCode(country: string): string | undefined {
  const c = country.toUpperCase();
  return isSupportedCountry(c) ? core().getCountryCallingCode(c, metadata()) : undefined;
}

/** The countries whose national numbers `normalizeNumber` understands (ISO 3166-1 alpha-2). */
export function knownCountries(): string[] {
  return core().getCountries(metadata());
}

/** The number libphonenumber-js reads in `raw`, or undefined for a name or unparsable text. */
export function parseNumber(raw: string, defaultCountry = 'FR'): PhoneNumber | undefined {
  const text = raw.trim();
  if (!looksLikeNumber(text)) return undefined;
  const country = defaultCountry.toUpperCase();
  return core().parsePhoneNumberFromString(
    text,
    { defaultCountry: isSupportedCountry(country) ? country : undefined },
    metadata(),
  );
}

/**
 * E.164 for a number of a possible length for its country (valid or in a range the metadata
 * does not list yet), without its extension, which an SMS cannot reach. Anything else (an
 * operator short code such as 36179, a name) is returned without its separators, never given
 * a country code it does not have.
 */
export function normalizeNumber(raw: string, defaultCountry = 'FR'): string {
  const text = raw.trim();
  if (!looksLikeNumber(text)) return text;
  const parsed = parseNumber(text, defaultCountry);
  if (parsed?.isPossible()) return parsed.number;
  const s = text.replace(/[\s.()/-]/g, '');
  return s.startsWith('00') ? `+${s.slice(2)}` : s;
}

/** A number libphonenumber-js deems valid (its digits in an assigned range of its country). */
export function isValidNumber(raw: string, defaultCountry = 'FR'): boolean {
  return parseNumber(raw, defaultCountry)?.isValid() ?? false;
}

/** The digit counts a national significant number has in a country (its possible lengths). */
export function nationalLengths(country: string): number[] {
  return numberingPlan(country)?.possibleLengths() ?? [];
}

/** The national (trunk) prefix of a country, "0" in France, undefined where there is none. */
export function trunkPrefix(country: string): string | undefined {
  // nationalPrefix() is in the Metadata class of the pinned 1.13.18 but not in its typings.
  const plan = numberingPlan(country) as
    | (NumberingPlan & { nationalPrefix?(): string | undefined })
    | undefined;
  return plan?.nationalPrefix?.() || undefined;
}

function numberingPlan(country: string): NumberingPlan | undefined {
  const c = country.toUpperCase();
  if (!isSupportedCountry(c)) return undefined;
  const plan = new (core().Metadata)(metadata());
  plan.selectNumberingPlan(c);
  return plan.numberingPlan;
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
