/**
 * Meanings of +CME ERROR (TS 27.007 §9.2) and +CMS ERROR (TS 27.005 §3.2.5) codes, so that
 * logs and failed statuses say what went wrong, and which SMS errors are worth a retry.
 */

const CME: Record<number, string> = {
  0: 'phone failure',
  3: 'operation not allowed',
  4: 'operation not supported',
  10: 'SIM not inserted',
  11: 'SIM PIN required',
  12: 'SIM PUK required',
  13: 'SIM failure',
  14: 'SIM busy',
  15: 'SIM wrong',
  16: 'incorrect password',
  17: 'SIM PIN2 required',
  18: 'SIM PUK2 required',
  20: 'memory full',
  21: 'invalid index',
  22: 'not found',
  23: 'memory failure',
  30: 'no network service',
  31: 'network timeout',
  32: 'network not allowed, emergency calls only',
  100: 'unknown error',
};

const CMS: Record<number, string> = {
  1: 'unassigned (unallocated) number',
  8: 'operator determined barring',
  10: 'call barred',
  21: 'short message transfer rejected',
  27: 'destination out of service',
  28: 'unidentified subscriber',
  29: 'facility rejected',
  30: 'unknown subscriber',
  38: 'network out of order',
  41: 'temporary failure',
  42: 'congestion',
  47: 'resources unavailable',
  50: 'requested facility not subscribed',
  69: 'requested facility not implemented',
  81: 'invalid short message transfer reference',
  95: 'invalid message',
  96: 'invalid mandatory information',
  97: 'message type non-existent or not implemented',
  111: 'protocol error',
  127: 'interworking unspecified',
  300: 'ME failure',
  301: 'SMS service of ME reserved',
  302: 'operation not allowed',
  303: 'operation not supported',
  304: 'invalid PDU mode parameter',
  305: 'invalid text mode parameter',
  310: 'SIM not inserted',
  311: 'SIM PIN required',
  312: 'PH-SIM PIN required',
  313: 'SIM failure',
  314: 'SIM busy',
  315: 'SIM wrong',
  316: 'SIM PUK required',
  317: 'SIM PIN2 required',
  318: 'SIM PUK2 required',
  320: 'memory failure',
  321: 'invalid memory index',
  322: 'memory full',
  330: 'SMSC address unknown',
  331: 'no network service',
  332: 'network timeout',
  340: 'no +CNMA acknowledgement expected',
  500: 'unknown error',
};

export function cmeMeaning(code: number): string {
  return CME[code] ?? `error ${code}`;
}

export function cmsMeaning(code: number): string {
  return CMS[code] ?? (code >= 512 ? `manufacturer-specific error ${code}` : `error ${code}`);
}

/**
 * Whether a failed send may succeed later: network/SIM busy and unknown errors (500 is what
 * SIM800 and Huawei sticks answer when the network drops the submission). A bad PDU (304),
 * an unassigned number (1) or barring are permanent.
 */
export function isTransientCms(code: number): boolean {
  return [38, 41, 42, 47, 300, 314, 331, 332, 500].includes(code) || code >= 512;
}
