/**
 * The network side of the simulator: SMS-DELIVER and SMS-STATUS-REPORT PDUs as a service
 * centre sends them (TS 23.040), built with the codec's own pieces.
 */
import { encodeAddress, encodeAlphanumericAddress, encodeSmsc } from '../pdu/address.js';
import { bytesToHex } from '../pdu/decode.js';
import { isGsm7, packSeptets, textToSeptets } from '../pdu/gsm7.js';
import { splitText } from '../pdu/split.js';
import { encodeTimestamp } from '../pdu/timestamp.js';

export interface DeliverOptions {
  from: string;
  text: string;
  smsc?: string;
  date?: Date;
  /** Minutes east of UTC of the service centre's clock. */
  offsetMinutes?: number;
  concatRef?: number;
  /** 16-bit concatenation reference (IEI 0x08) instead of 8-bit. */
  ref16?: boolean;
  flash?: boolean;
  /** Send `from` as an alphanumeric sender name (type of number 101), even when it is digits. */
  alphanumeric?: boolean;
}

function originator(from: string, alphanumeric = false): number[] {
  if (!alphanumeric && /^\+?\d+$/.test(from)) {
    const a = encodeAddress(from);
    if (a.ok) return a.value;
  }
  const alpha = encodeAlphanumericAddress(from);
  if (alpha.ok) return alpha.value;
  throw new Error(`simulator: bad originator ${from}`);
}

/** One PDU (hex, SMSC prefix included) per part. */
export function buildDeliver(o: DeliverOptions): string[] {
  const sca = encodeSmsc(o.smsc ?? '+33695000695');
  if (!sca.ok) throw sca.error;
  const encoding = isGsm7(o.text) ? 'gsm7' : 'ucs2';
  const parts = splitText(o.text, encoding);
  const multi = parts.length > 1;
  const ts = encodeTimestamp(o.date ?? new Date(), o.offsetMinutes ?? 60);
  return parts.map((seg, i) => {
    const ref = (o.concatRef ?? 1) & (o.ref16 ? 0xffff : 0xff);
    // A 16-bit reference header is one octet longer, so the part holds one septet less; the
    // split above is for 8-bit headers, which is what networks send for these texts.
    const header = multi
      ? o.ref16
        ? [0x06, 0x08, 0x04, ref >> 8, ref & 0xff, parts.length, i + 1]
        : [0x05, 0x00, 0x03, ref, parts.length, i + 1]
      : [];
    let ud: number[];
    let udl: number;
    if (encoding === 'gsm7') {
      const septets = textToSeptets(seg.text) ?? [];
      const hs = Math.ceil((header.length * 8) / 7);
      ud = [...header, ...packSeptets(septets, hs * 7 - header.length * 8)];
      udl = hs + septets.length;
    } else {
      ud = [...header];
      for (let k = 0; k < seg.text.length; k++) {
        const c = seg.text.charCodeAt(k);
        ud.push(c >> 8, c & 0xff);
      }
      udl = ud.length;
    }
    let dcs = encoding === 'gsm7' ? 0x00 : 0x08;
    if (o.flash) dcs |= 0x10;
    const fo = 0x04 | (multi ? 0x40 : 0); // SMS-DELIVER, no more messages waiting
    const tpdu = [fo, ...originator(o.from, o.alphanumeric), 0x00, dcs, ...ts, udl, ...ud];
    return bytesToHex([...sca.value, ...tpdu]);
  });
}

/** SMS-STATUS-REPORT for a submitted message reference; `withSmsc` false for modems that omit it in +CDS. */
export function buildStatusReport(
  mr: number,
  recipient: string,
  status: number,
  opts: { withSmsc?: boolean; smsc?: string; date?: Date } = {},
): { hex: string; tpduLength: number } {
  const ra = encodeAddress(recipient);
  if (!ra.ok) throw ra.error;
  const now = opts.date ?? new Date();
  const tpdu = [
    0x06,
    mr & 0xff,
    ...ra.value,
    ...encodeTimestamp(now, 60),
    ...encodeTimestamp(now, 60),
    status,
  ];
  const sca =
    opts.withSmsc === false ? [] : (encodeSmsc(opts.smsc ?? '+33695000695') as { value: number[] }).value;
  return { hex: bytesToHex([...sca, ...tpdu]), tpduLength: tpdu.length };
}
