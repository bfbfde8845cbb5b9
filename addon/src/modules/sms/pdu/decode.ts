/**
 * Decoding of SMS-DELIVER, SMS-SUBMIT and SMS-STATUS-REPORT (TS 23.040 §9.2.2) with the
 * data coding schemes of TS 23.038 §4. Pure: hex or bytes in, a typed result out; never throws.
 *
 * Why our own codec rather than the npm package node-pdu: its decoder is fine, but its encoder
 * splits long texts at 133 septets / 63 UCS2 units (not 153/67), can cut an escape pair or a
 * surrogate pair, and maps some characters outside the default alphabet wrongly. Sharing one
 * set of tables between the encoder and the decoder, with typed errors instead of exceptions,
 * is simpler than patching around it; the published vectors in test/sms/fixtures check both.
 */
import { decodeAddress, decodeSmsc } from './address.js';
import { septetsToText, unpackSeptets } from './gsm7.js';
import { deliveryOf, statusMeaning } from './status.js';
import { decodeTimestamp } from './timestamp.js';
import { type Concat, type DecodedPdu, type Encoding, fail, ok, type PduResult } from './types.js';

export function hexToBytes(hex: string): PduResult<Uint8Array> {
  const h = hex.replace(/\s+/g, '');
  if (h.length === 0) return fail('bad_input', 'empty PDU');
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h))
    return fail('not_hex', 'PDU is not an even number of hex digits');
  return ok(Uint8Array.from(Buffer.from(h, 'hex')));
}

export function bytesToHex(b: ArrayLike<number>): string {
  return Buffer.from(Uint8Array.from(b as ArrayLike<number>))
    .toString('hex')
    .toUpperCase();
}

/**
 * Alphabet and class from the TP-DCS (TS 23.038 §4). `reserved`: a value the standard leaves
 * undefined (alphabet bits 11, coding groups 8 to B), whose text phones still send — its
 * alphabet is then chosen from the length of the user data. `compressed`: TS 23.042 text.
 */
export function parseDcs(dcs: number): {
  encoding: Encoding;
  messageClass: number | null;
  reserved: boolean;
  compressed: boolean;
} {
  const group = dcs >> 4;
  if (group <= 0x7) {
    // General data coding (00xx) and automatic deletion group (01xx).
    const alphabet = (dcs >> 2) & 0x03;
    const compressed = (dcs & 0x20) !== 0;
    const encoding: Encoding = alphabet === 1 ? '8bit' : alphabet === 2 ? 'ucs2' : 'gsm7';
    return { encoding, messageClass: dcs & 0x10 ? dcs & 0x03 : null, reserved: alphabet === 3, compressed };
  }
  const plain = { reserved: false, compressed: false };
  if (group === 0xc || group === 0xd) return { encoding: 'gsm7', messageClass: null, ...plain };
  if (group === 0xe) return { encoding: 'ucs2', messageClass: null, ...plain };
  if (group === 0xf) return { encoding: dcs & 0x04 ? '8bit' : 'gsm7', messageClass: dcs & 0x03, ...plain };
  return { encoding: 'gsm7', messageClass: null, reserved: true, compressed: false };
}

/**
 * The alphabet of a reserved coding value, from the octets present: UDL counts octets in UCS2
 * and septets in GSM 7-bit, so the reading whose length matches what arrived is the one the
 * phone used (a UCS2 text is never fewer octets than its UDL; GSM 7-bit needs 7/8 of it).
 */
function alphabetByLength(udl: number, present: number): Encoding {
  const gsmOctets = Math.ceil((udl * 7) / 8);
  if (present === udl && udl % 2 === 0 && present !== gsmOctets) return 'ucs2';
  return 'gsm7';
}

interface UserData {
  text: string;
  concat: Concat | null;
  dataHex: string;
  end: number;
}

function parseUdh(udh: Uint8Array, warnings: string[]): Concat | null {
  let concat: Concat | null = null;
  let i = 0;
  while (i + 2 <= udh.length) {
    const iei = udh[i] as number;
    const len = udh[i + 1] as number;
    const v = udh.subarray(i + 2, i + 2 + len);
    if (v.length < len) {
      warnings.push('user data header element runs past the header');
      break;
    }
    let c: Concat | null = null;
    if (iei === 0x00 && len === 3)
      c = { ref: v[0] as number, total: v[1] as number, seq: v[2] as number, bits: 8 };
    if (iei === 0x08 && len === 4)
      c = {
        ref: ((v[0] as number) << 8) | (v[1] as number),
        total: v[2] as number,
        seq: v[3] as number,
        bits: 16,
      };
    if (c) {
      if (c.total >= 1 && c.seq >= 1 && c.seq <= c.total) concat = c;
      else warnings.push(`concatenation header ${c.seq}/${c.total} ignored`);
    }
    i += 2 + len;
  }
  return concat;
}

function decodeUserData(
  b: Uint8Array,
  off: number,
  udhi: boolean,
  dcsEncoding: Encoding | 'by-length',
  warnings: string[],
): PduResult<UserData & { encoding: Encoding }> {
  if (off >= b.length) return fail('truncated', 'PDU ends before the user data length');
  const udl = b[off] as number;
  const start = off + 1;
  const available = b.length - start;
  const encoding = dcsEncoding === 'by-length' ? alphabetByLength(udl, available) : dcsEncoding;
  const needed = encoding === 'gsm7' ? Math.ceil((udl * 7) / 8) : udl;
  if (needed > available) warnings.push(`user data length says ${needed} octets, ${available} present`);
  if (needed < available) warnings.push(`${available - needed} octets after the user data`);
  const ud = b.subarray(start, start + Math.min(needed, available));
  let concat: Concat | null = null;
  let headerOctets = 0;
  if (udhi) {
    // Phones set the flag without a header (or without any user data): what a person would
    // read is the text as it is, so the flag is ignored rather than the message refused.
    if (ud.length < 1) warnings.push('user data header indicated, no user data');
    else if (1 + (ud[0] as number) > ud.length)
      warnings.push('user data header indicated, longer than the user data: read as text');
    else {
      headerOctets = 1 + (ud[0] as number);
      concat = parseUdh(ud.subarray(1, headerOctets), warnings);
    }
  }
  let text: string;
  if (encoding === 'gsm7') {
    const headerBits = headerOctets * 8;
    const headerSeptets = Math.ceil(headerBits / 7);
    const fill = headerSeptets * 7 - headerBits;
    const availableSeptets = Math.floor((ud.length * 8) / 7);
    const count = Math.max(0, Math.min(udl, availableSeptets) - headerSeptets);
    text = septetsToText(unpackSeptets(ud.subarray(headerOctets), count, fill));
  } else {
    const body = ud.subarray(headerOctets);
    if (encoding === 'ucs2') {
      if (body.length % 2) warnings.push('odd number of UCS2 octets, last one dropped');
      let s = '';
      for (let i = 0; i + 1 < body.length; i += 2)
        s += String.fromCharCode(((body[i] as number) << 8) | (body[i + 1] as number));
      text = s;
    } else {
      text = Buffer.from(body).toString('latin1');
    }
  }
  return ok({
    text,
    concat,
    dataHex: bytesToHex(ud.subarray(headerOctets)),
    end: start + ud.length,
    encoding,
  });
}

function base(type: DecodedPdu['type'], smsc: string | null): DecodedPdu {
  return {
    type,
    smsc,
    address: '',
    addressType: 0,
    text: '',
    encoding: 'gsm7',
    timestamp: null,
    concat: null,
    reference: null,
    status: null,
    statusText: null,
    delivery: null,
    dischargeTime: null,
    messageClass: null,
    statusReportRequested: false,
    pid: 0,
    dcs: 0,
    dataHex: '',
    tpduLength: 0,
  };
}

/** Decodes a TPDU (no SMSC prefix). */
export function decodeTpdu(
  b: Uint8Array,
  smsc: string | null,
  warnings: string[] = [],
): PduResult<DecodedPdu> {
  if (b.length < 1) return fail('truncated', 'empty TPDU');
  const fo = b[0] as number;
  const mti = fo & 0x03;
  const udhi = (fo & 0x40) !== 0;
  let off = 1;
  if (mti === 0x02) {
    const r = base('status-report', smsc);
    if (b.length < 2) return fail('truncated', 'PDU ends before the message reference');
    r.reference = b[1] as number;
    r.statusReportRequested = (fo & 0x20) !== 0;
    const a = decodeAddress(b, 2);
    if (!a.ok) return a;
    r.address = a.value.address;
    r.addressType = a.value.toa;
    const ts = decodeTimestamp(b, a.value.next);
    if (!ts.ok) return ts;
    const dt = decodeTimestamp(b, a.value.next + 7);
    if (!dt.ok) return dt;
    r.timestamp = ts.value;
    r.dischargeTime = dt.value;
    const stAt = a.value.next + 14;
    if (stAt >= b.length) return fail('truncated', 'PDU ends before the status');
    const st = b[stAt] as number;
    r.status = st;
    r.statusText = statusMeaning(st);
    r.delivery = deliveryOf(st);
    r.tpduLength = b.length;
    return ok(r);
  }
  if (mti === 0x03)
    return fail('unsupported_type', 'message type 3 (reserved) is not an SMS this gateway reads');
  const r = base(mti === 0 ? 'deliver' : 'submit', smsc);
  if (mti === 0x01) {
    if (b.length < 2) return fail('truncated', 'PDU ends before the message reference');
    r.reference = b[1] as number;
    r.statusReportRequested = (fo & 0x20) !== 0;
    off = 2;
  } else {
    r.statusReportRequested = (fo & 0x20) !== 0;
  }
  const a = decodeAddress(b, off);
  if (!a.ok) return a;
  r.address = a.value.address;
  r.addressType = a.value.toa;
  off = a.value.next;
  if (off + 2 > b.length) return fail('truncated', 'PDU ends before the coding scheme');
  r.pid = b[off] as number;
  r.dcs = b[off + 1] as number;
  off += 2;
  const { encoding, messageClass, reserved, compressed } = parseDcs(r.dcs);
  if (compressed)
    return fail(
      'compressed',
      `compressed text (TP-DCS 0x${r.dcs.toString(16).padStart(2, '0')}, TS 23.042) cannot be decoded; phones almost never send it`,
    );
  r.encoding = encoding;
  r.messageClass = messageClass;
  if (mti === 0) {
    const ts = decodeTimestamp(b, off);
    if (!ts.ok) return ts;
    r.timestamp = ts.value;
    off += 7;
  } else {
    const vpf = (fo >> 3) & 0x03;
    off += vpf === 0 ? 0 : vpf === 2 ? 1 : 7;
  }
  const ud = decodeUserData(b, off, udhi, reserved ? 'by-length' : encoding, warnings);
  if (!ud.ok) return ud;
  if (reserved) warnings.push(`reserved coding 0x${r.dcs.toString(16)}: read as ${ud.value.encoding}`);
  r.encoding = ud.value.encoding;
  r.text = ud.value.text;
  r.concat = ud.value.concat;
  r.dataHex = ud.value.dataHex;
  r.tpduLength = b.length;
  return ok(r);
}

export interface DecodeOptions {
  /**
   * Whether the hex starts with the SMSC prefix (as after +CMGR/+CMGL/+CMT). 'auto' tries both
   * and keeps the reading that accounts for every octet (some modems omit it in +CDS).
   */
  smscPrefix?: boolean | 'auto';
}

export interface Decoded extends DecodedPdu {
  warnings: string[];
}

function decodeWith(b: Uint8Array, prefix: boolean): PduResult<Decoded> {
  const warnings: string[] = [];
  let smsc: string | null = null;
  let tpdu = b;
  if (prefix) {
    const s = decodeSmsc(b);
    if (!s.ok) return s;
    smsc = s.value.smsc;
    tpdu = b.subarray(s.value.next);
  }
  const r = decodeTpdu(tpdu, smsc, warnings);
  if (!r.ok) return r;
  return ok({ ...r.value, warnings });
}

export function decodePdu(input: string | Uint8Array, opts: DecodeOptions = {}): PduResult<Decoded> {
  try {
    let b: Uint8Array;
    if (typeof input === 'string') {
      const h = hexToBytes(input);
      if (!h.ok) return h;
      b = h.value;
    } else b = input;
    const mode = opts.smscPrefix ?? true;
    if (mode !== 'auto') return decodeWith(b, mode);
    const withPrefix = decodeWith(b, true);
    if (withPrefix.ok && withPrefix.value.warnings.length === 0) return withPrefix;
    const without = decodeWith(b, false);
    if (without.ok && without.value.warnings.length === 0) return without;
    return withPrefix.ok ? withPrefix : without.ok ? without : withPrefix;
  } catch (err) {
    // Defensive: the code above is written not to throw; a bug must still give a typed error.
    return fail('bad_input', `internal decoder error: ${err instanceof Error ? err.message : String(err)}`);
  }
}
