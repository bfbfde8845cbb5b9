/**
 * SMS-SUBMIT encoding (TS 23.040 §9.2.2.2): GSM 7-bit when every character allows it, UCS2
 * otherwise (or when asked), split into concatenated parts (split.ts) with an 8-bit reference,
 * optional status report request and flash (class 0). Output is what follows AT+CMGS: the SMSC
 * prefix then the TPDU, in hex, with the TPDU length AT+CMGS wants. Pure; never throws.
 */
import { encodeAddress, encodeSmsc } from './address.js';
import { bytesToHex } from './decode.js';
import { isGsm7, packSeptets, textToSeptets } from './gsm7.js';
import { MAX_PARTS, splitText } from './split.js';
import { fail, ok, type PduResult } from './types.js';

export interface SubmitOptions {
  to: string;
  text: string;
  /** SMSC number; empty: the one stored in the SIM ("00" prefix). */
  smsc?: string;
  /** Force UCS2 even when the text fits the GSM alphabet. */
  unicode?: boolean;
  statusReport?: boolean;
  /** Class 0: shown at once, not stored. */
  flash?: boolean;
  /** Concatenation reference (0..255), used only when the text needs several parts. */
  concatRef?: number;
  /** TP-MR; 0 lets the modem choose (what modems do anyway). */
  messageRef?: number;
  rejectDuplicates?: boolean;
  /** Relative validity period in minutes; none when undefined. */
  validityMinutes?: number;
}

export interface EncodedPart {
  hex: string;
  /** Octets after the SMSC prefix: the number AT+CMGS=<n> takes. */
  tpduLength: number;
  seq: number;
  total: number;
}

export interface EncodedSubmit {
  encoding: 'gsm7' | 'ucs2';
  parts: EncodedPart[];
  concatRef: number | null;
}

/** TP-VP relative format (TS 23.040 §9.2.3.12.1). */
export function relativeValidity(minutes: number): number {
  if (minutes <= 720) return Math.max(0, Math.ceil(minutes / 5) - 1);
  if (minutes <= 1440) return 143 + Math.ceil((minutes - 720) / 30);
  const days = Math.ceil(minutes / 1440);
  if (days <= 30) return 166 + days;
  return Math.min(255, 192 + Math.ceil(days / 7));
}

function ucs2Bytes(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out.push(c >> 8, c & 0xff);
  }
  return out;
}

export function encodeSubmit(o: SubmitOptions): PduResult<EncodedSubmit> {
  if (typeof o.text !== 'string') return fail('bad_input', 'text must be a string');
  const da = encodeAddress(o.to);
  if (!da.ok) return da;
  const sca = encodeSmsc(o.smsc);
  if (!sca.ok) return sca;
  const encoding = !o.unicode && isGsm7(o.text) ? 'gsm7' : 'ucs2';
  const segments = splitText(o.text, encoding);
  if (segments.length > MAX_PARTS)
    return fail('bad_length', `text needs ${segments.length} parts, at most ${MAX_PARTS}`);
  const multi = segments.length > 1;
  const ref = multi ? (o.concatRef ?? 0) & 0xff : null;
  const vp = o.validityMinutes !== undefined ? relativeValidity(o.validityMinutes) : undefined;
  let fo = 0x01;
  if (o.rejectDuplicates) fo |= 0x04;
  if (vp !== undefined) fo |= 0x10;
  if (o.statusReport) fo |= 0x20;
  if (multi) fo |= 0x40;
  let dcs = encoding === 'gsm7' ? 0x00 : 0x08;
  if (o.flash) dcs |= 0x10; // class 0, coding group 00xx with class meaning
  const parts: EncodedPart[] = [];
  segments.forEach((seg, i) => {
    const header = multi ? [0x05, 0x00, 0x03, ref as number, segments.length, i + 1] : [];
    let udl: number;
    let ud: number[];
    if (encoding === 'gsm7') {
      const septets = textToSeptets(seg.text) ?? [];
      const headerSeptets = Math.ceil((header.length * 8) / 7);
      const fill = headerSeptets * 7 - header.length * 8;
      udl = headerSeptets + septets.length;
      ud = [...header, ...packSeptets(septets, fill)];
    } else {
      ud = [...header, ...ucs2Bytes(seg.text)];
      udl = ud.length;
    }
    const tpdu = [fo, (o.messageRef ?? 0) & 0xff, ...da.value, 0x00, dcs];
    if (vp !== undefined) tpdu.push(vp);
    tpdu.push(udl, ...ud);
    parts.push({
      hex: bytesToHex([...sca.value, ...tpdu]),
      tpduLength: tpdu.length,
      seq: i + 1,
      total: segments.length,
    });
  });
  return ok({ encoding, parts, concatRef: ref });
}
