/**
 * Signing of RPC requests, exactly as docs/rpc.md says (shared with the Python side,
 * custom_components_bridge/monitor_bridge): the payload is `{"body": "<JSON text>", "sig":
 * "<hex HMAC-SHA256 of body's UTF-8 bytes, keyed with the secret's UTF-8 bytes>"}`; the body
 * holds `id`, `method`, `ts` (Unix seconds), `nonce` (16–64 of `[A-Za-z0-9_-]`) and `params`.
 * The signature covers the exact bytes of `body`, so no canonical JSON is needed.
 *
 * Pure (no I/O, no clock of its own): the server, the tests and the demo use it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface RequestBody {
  id: string;
  method: string;
  ts: number;
  nonce: string;
  params: Record<string, unknown>;
}

/** How far a request's `ts` may be from now, and how long a nonce is remembered. */
export const RPC_TS_WINDOW_S = 60;
export const RPC_NONCE_TTL_S = 120;

const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

export function signBody(body: string, secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(body, 'utf8')).digest('hex');
}

/** The MQTT payload of a signed request. `ts` and `nonce` default to now and random. */
export function signRequest(
  secret: string,
  r: { id: string; method: string; params: Record<string, unknown>; ts?: number; nonce?: string },
): string {
  const body = JSON.stringify({
    id: r.id,
    method: r.method,
    ts: r.ts ?? Math.floor(Date.now() / 1000),
    nonce: r.nonce ?? randomBytes(12).toString('base64url'),
    params: r.params,
  });
  return JSON.stringify({ body, sig: signBody(body, secret) });
}

export type VerifyResult =
  | { ok: true; body: RequestBody }
  /** `code` as in docs/rpc.md: 1 not JSON / not an object, 3 invalid params, 5 unauthorised. */
  | { ok: false; code: 1 | 3 | 5; reason: string; id: string | null };

function sameHex(a: string, b: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(a)) return false;
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks a request received on the topic of `method` at `nowS` (Unix seconds). The nonce is
 * not checked here (the server keeps the cache): the caller refuses a nonce it saw.
 */
export function verifyRequest(payload: string, secret: string, method: string, nowS: number): VerifyResult {
  let outer: unknown;
  try {
    outer = JSON.parse(payload);
  } catch {
    return { ok: false, code: 1, reason: 'request is not JSON', id: null };
  }
  if (!outer || typeof outer !== 'object' || Array.isArray(outer))
    return { ok: false, code: 1, reason: 'request must be a JSON object', id: null };
  const { body, sig } = outer as { body?: unknown; sig?: unknown };
  if (typeof body !== 'string' || typeof sig !== 'string')
    return { ok: false, code: 5, reason: 'request is not signed', id: idOf(outer) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const id = idOf(parsed);
  if (!sameHex(sig.toLowerCase(), signBody(body, secret)))
    return { ok: false, code: 5, reason: 'bad signature', id };
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return { ok: false, code: 1, reason: 'body must be a JSON object', id };
  const b = parsed as Partial<RequestBody>;
  if (b.method !== method) return { ok: false, code: 5, reason: 'method does not match the topic', id };
  if (typeof b.ts !== 'number' || !Number.isInteger(b.ts) || Math.abs(nowS - b.ts) > RPC_TS_WINDOW_S)
    return { ok: false, code: 5, reason: 'timestamp outside the allowed window', id };
  if (typeof b.nonce !== 'string' || !NONCE.test(b.nonce))
    return { ok: false, code: 5, reason: 'invalid nonce', id };
  if (typeof b.id !== 'string') return { ok: false, code: 1, reason: 'id must be a string', id };
  const params = b.params ?? {};
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    return { ok: false, code: 3, reason: 'params must be an object', id };
  return { ok: true, body: { id: b.id, method: b.method, ts: b.ts, nonce: b.nonce, params } };
}

function idOf(x: unknown): string | null {
  if (!x || typeof x !== 'object') return null;
  const id = (x as { id?: unknown }).id;
  return typeof id === 'string' ? id : null;
}
