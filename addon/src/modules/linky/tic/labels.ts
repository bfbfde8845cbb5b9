/**
 * What each TIC label may carry, from Enedis-NOI-CPT_54E (historic §6.1, standard §6.2).
 * The 6-bit checksum misses a change of 64 in one character (for instance '.' ↔ 'n'), so a
 * group of a known label is also checked against its documented format: a numeric index that
 * passed its checksum but holds a letter is still refused. Unknown labels (a later version of
 * the specification) are accepted on their checksum alone.
 */

export type TicMode = 'historic' | 'standard';

const digits = (n: number) => new RegExp(`^\\d{${n}}$`);
const D2 = digits(2);
const D3 = digits(3);
const D5 = digits(5);
const D9 = digits(9);
/**
 * TIC text is upper case: space, digits, capitals and punctuation (0x20-0x5F). Flipping bit 6
 * of a character keeps the 6-bit checksum and maps 0x20-0x3F onto 0x60-0x7F (a space becomes a
 * backquote, a digit a lower-case letter) and 0x40-0x5F onto control characters: refusing
 * 0x60-0x7F and controls catches every such flip.
 */
const TEXT = (min: number, max: number) => new RegExp(`^[\\x20-\\x5f]{${min},${max}}$`);
/** A day profile (PJOURF+1, PPOINTE): 11 blocks of 8 characters, `hhmmSSSS` or NONUTILE. */
const DAY_PROFILE = /^(?:[0-9A-F]{8}|NONUTILE)(?: (?:[0-9A-F]{8}|NONUTILE)){10}$/;

/** Historic mode labels (monophasé CBEMM, triphasé CBETM, Linky in historic mode). */
export const HISTORIC_FORMATS: Record<string, RegExp> = {
  ADCO: digits(12),
  OPTARIF: /^(BASE|HC\.\.|EJP\.|BBR[\x21-\x5f])$/,
  ISOUSC: D2,
  BASE: D9,
  HCHC: D9,
  HCHP: D9,
  EJPHN: D9,
  EJPHPM: D9,
  BBRHCJB: D9,
  BBRHPJB: D9,
  BBRHCJW: D9,
  BBRHPJW: D9,
  BBRHCJR: D9,
  BBRHPJR: D9,
  PEJP: D2,
  PTEC: /^(TH\.\.|HC\.\.|HP\.\.|HN\.\.|PM\.\.|HCJ[BWR]|HPJ[BWR])$/,
  DEMAIN: /^(----|BLEU|BLAN|ROUG)$/,
  IINST: D3,
  IINST1: D3,
  IINST2: D3,
  IINST3: D3,
  ADPS: D3,
  ADIR1: D3,
  ADIR2: D3,
  ADIR3: D3,
  IMAX: D3,
  IMAX1: D3,
  IMAX2: D3,
  IMAX3: D3,
  PMAX: D5,
  PAPP: D5,
  HHPHC: /^[A-Z0-9]$/,
  MOTDETAT: /^[0-9A-F]{6}$/,
  PPOT: /^[0-9A-F]{2}$/,
  // Pulse inputs of some electronic meters (gas, other), 7 digits.
  GAZ: digits(7),
  AUTRE: digits(7),
};

/** Standard mode labels (Linky). */
export const STANDARD_FORMATS: Record<string, RegExp> = {
  ADSC: digits(12),
  VTIC: D2,
  DATE: /^$/,
  NGTF: TEXT(1, 16),
  LTARF: TEXT(1, 16),
  EAST: D9,
  EAIT: D9,
  IRMS1: D3,
  IRMS2: D3,
  IRMS3: D3,
  URMS1: D3,
  URMS2: D3,
  URMS3: D3,
  PREF: D2,
  PCOUP: D2,
  SINSTS: D5,
  SINSTS1: D5,
  SINSTS2: D5,
  SINSTS3: D5,
  SINSTI: D5,
  STGE: /^[0-9A-F]{8}$/,
  MSG1: TEXT(1, 32),
  MSG2: TEXT(1, 16),
  PRM: digits(14),
  RELAIS: D3,
  NTARF: D2,
  NJOURF: D2,
  'NJOURF+1': D2,
  'PJOURF+1': DAY_PROFILE,
  PPOINTE: DAY_PROFILE,
};
for (let i = 1; i <= 10; i++) STANDARD_FORMATS[`EASF${String(i).padStart(2, '0')}`] = D9;
for (let i = 1; i <= 4; i++) {
  STANDARD_FORMATS[`EASD0${i}`] = D9;
  STANDARD_FORMATS[`ERQ${i}`] = D9;
}

/** Standard labels that carry a horodate (SAAMMJJhhmmss) between the label and the value. */
export const DATED_LABELS: ReadonlySet<string> = new Set([
  'DATE',
  'SMAXSN',
  'SMAXSN1',
  'SMAXSN2',
  'SMAXSN3',
  'SMAXSN-1',
  'SMAXSN1-1',
  'SMAXSN2-1',
  'SMAXSN3-1',
  'SMAXIN',
  'SMAXIN-1',
  'CCASN',
  'CCASN-1',
  'CCAIN',
  'CCAIN-1',
  'UMOY1',
  'UMOY2',
  'UMOY3',
  'DPM1',
  'DPM2',
  'DPM3',
  'FPM1',
  'FPM2',
  'FPM3',
]);
for (const l of DATED_LABELS) {
  if (l in STANDARD_FORMATS) continue;
  STANDARD_FORMATS[l] = l.startsWith('UMOY') ? D3 : /^[DF]PM/.test(l) ? D2 : D5;
}

/** A label: capitals, digits, '+' and '-' (PJOURF+1, SMAXSN-1), at most 10 characters. */
export const LABEL = /^[A-Z0-9+-]{1,10}$/;

/**
 * Checks a parsed value against its label's documented format. The historic label set is
 * closed (the mode is frozen), so an unknown historic label is a corrupted one; an unknown
 * standard label may come from a newer version of the specification and is accepted.
 */
export function valueMatchesFormat(mode: TicMode, label: string, value: string): boolean {
  const f = (mode === 'historic' ? HISTORIC_FORMATS : STANDARD_FORMATS)[label];
  if (f) return f.test(value);
  return mode === 'standard';
}
