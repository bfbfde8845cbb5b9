/**
 * Types shared by the PDU codec. Decoding never throws past its boundary: it returns a
 * `PduResult`, either the decoded value or a `PduError` with a code and a clear message.
 */

export type PduErrorCode =
  | 'not_hex'
  | 'truncated'
  | 'trailing_data'
  | 'bad_length'
  | 'bad_address'
  | 'bad_timestamp'
  | 'bad_udh'
  | 'unsupported_type'
  | 'compressed'
  | 'bad_input';

export class PduError extends Error {
  constructor(
    readonly code: PduErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PduError';
  }
}

export type PduResult<T> = { ok: true; value: T } | { ok: false; error: PduError };

export const ok = <T>(value: T): PduResult<T> => ({ ok: true, value });
export const fail = <T>(code: PduErrorCode, message: string): PduResult<T> => ({
  ok: false,
  error: new PduError(code, message),
});

export type Encoding = 'gsm7' | 'ucs2' | '8bit';

export interface Concat {
  ref: number;
  total: number;
  seq: number;
  /** 8- or 16-bit reference (IEI 0x00 or 0x08). */
  bits: 8 | 16;
}

export interface DecodedPdu {
  type: 'deliver' | 'submit' | 'status-report';
  /** SMSC address from the prefix, or null when absent / empty. */
  smsc: string | null;
  /** Originator (deliver), destination (submit) or recipient (status report). */
  address: string;
  /** Type of address octet (0x91 international, 0x81 unknown, 0xD0 alphanumeric, …). */
  addressType: number;
  text: string;
  encoding: Encoding;
  /** ISO 8601 with the offset given by the network (deliver, status report). */
  timestamp: string | null;
  concat: Concat | null;
  /** TP-MR (submit, status report). */
  reference: number | null;
  /** TP-ST of a status report, with its meaning. */
  status: number | null;
  statusText: string | null;
  /** Delivery state derived from TP-ST: delivered, pending (still trying), failed. */
  delivery: 'delivered' | 'pending' | 'failed' | null;
  /** Discharge time of a status report. */
  dischargeTime: string | null;
  /** Message class 0..3 from the DCS, null when none (class 0 = flash). */
  messageClass: number | null;
  statusReportRequested: boolean;
  pid: number;
  dcs: number;
  /** User data as hex (for 8-bit data). */
  dataHex: string;
  /** Number of TPDU octets (what AT+CMGS / +CMT length counts). */
  tpduLength: number;
}
