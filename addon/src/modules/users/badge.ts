/**
 * Badge uids (RFID/NFC) as readers and people write them, in one normal form: upper-case hex
 * without separators. Accepted: byte pairs with `:`, `-` or spaces (`04:A3:2B:1C`), a `0x`
 * prefix, plain hex containing a letter (`04a32b1c`), a UUID-like tag id from HA, and plain
 * digits, read as the decimal number printed on many cards and typed by keyboard-emulating
 * readers (`0004718362`). A hex uid made only of digits must be written with separators or
 * `0x`, otherwise it is read as decimal.
 */

export type BadgeResult = { ok: true; uid: string } | { ok: false; error: string };

export function normalizeBadge(raw: unknown): BadgeResult {
  if (typeof raw !== 'string' && typeof raw !== 'number') return { ok: false, error: 'uid must be a string' };
  const s = String(raw).trim();
  if (!s) return { ok: false, error: 'empty uid' };
  if (s.length > 128) return { ok: false, error: 'uid too long' };
  if (/^\d+$/.test(s)) {
    const hex = BigInt(s).toString(16).toUpperCase();
    return { ok: true, uid: hex.length % 2 ? `0${hex}` : hex };
  }
  let h = s.replace(/^0x/i, '');
  h = h.replace(/[\s:-]/g, '');
  if (!/^[0-9a-fA-F]+$/.test(h)) return { ok: false, error: 'uid is neither hex nor decimal' };
  h = h.toUpperCase();
  return { ok: true, uid: h.length % 2 ? `0${h}` : h };
}
