/** TP-Status of SMS-STATUS-REPORT (TS 23.040 §9.2.3.15): meaning and delivery state. */

const MEANINGS: Record<number, string> = {
  0: 'received by the recipient',
  1: 'forwarded, delivery unconfirmed',
  2: 'replaced by the service centre',
  32: 'congestion, still trying',
  33: 'recipient busy, still trying',
  34: 'no response from recipient, still trying',
  35: 'service rejected, still trying',
  36: 'quality of service not available, still trying',
  37: 'error in recipient, still trying',
  64: 'remote procedure error',
  65: 'incompatible destination',
  66: 'connection rejected by recipient',
  67: 'not obtainable',
  68: 'quality of service not available',
  69: 'no interworking available',
  70: 'validity period expired',
  71: 'deleted by the sender',
  72: 'deleted by the service centre',
  73: 'message does not exist',
  96: 'congestion, gave up',
  97: 'recipient busy, gave up',
  98: 'no response from recipient, gave up',
  99: 'service rejected, gave up',
  100: 'quality of service not available, gave up',
  101: 'error in recipient, gave up',
};

export function statusMeaning(st: number): string {
  return MEANINGS[st] ?? (st < 0x20 ? 'delivered' : st < 0x40 ? 'temporary error, still trying' : 'failed');
}

export function deliveryOf(st: number): 'delivered' | 'pending' | 'failed' {
  if (st < 0x20) return 'delivered';
  if (st < 0x40) return 'pending';
  return 'failed';
}
