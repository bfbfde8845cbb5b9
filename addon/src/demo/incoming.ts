/**
 * An SMS typed by the user for the simulated modem of `monitor demo`: published on
 * `<base>/<node>/demo/modem/incoming` as JSON `{"from": "+33612345678", "text": "Alon 1234"}`,
 * or as plain text (then from the demo's authorised number). The text is data: it reaches the
 * simulated network as the body of an SMS and nothing else.
 */

export const INCOMING_LEAF = 'demo/modem/incoming';

export function incomingTopic(baseTopic: string, nodeId: string): string {
  return `${baseTopic}/${nodeId}/${INCOMING_LEAF}`;
}

/** A number (3 to 20 digits, + allowed) or an alphanumeric sender name as networks send them (≤ 11). */
const SENDER = /^(\+?\d{3,20}|[A-Za-z0-9][A-Za-z0-9 ]{0,10})$/;
const MAX_TEXT = 1600;

export type Incoming = { ok: true; from: string; text: string } | { ok: false; error: string };

export function parseIncoming(payload: string, defaultFrom: string): Incoming {
  let from = defaultFrom;
  let text: unknown = payload;
  if (payload.trimStart().startsWith('{')) {
    let o: unknown;
    try {
      o = JSON.parse(payload);
    } catch {
      return { ok: false, error: 'not JSON' };
    }
    const r = (o ?? {}) as { from?: unknown; text?: unknown };
    if (r.from !== undefined) {
      if (typeof r.from !== 'string') return { ok: false, error: '"from" must be a string' };
      from = r.from.trim();
    }
    text = r.text;
  }
  if (typeof text !== 'string' || text.length === 0)
    return { ok: false, error: '"text" must be a non-empty string' };
  if (text.length > MAX_TEXT) return { ok: false, error: `"text" is longer than ${MAX_TEXT} characters` };
  if (!SENDER.test(from)) return { ok: false, error: `"from" is not a phone number or a sender name` };
  return { ok: true, from, text };
}
