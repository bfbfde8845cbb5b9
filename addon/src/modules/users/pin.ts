/**
 * PIN hashing: scrypt from node:crypto with a random salt per PIN, compared in constant time.
 * The parameters are stored with the hash so they can be raised later without breaking
 * existing PINs. N = 2^14 costs tens of milliseconds per check (`npm run bench` measures it):
 * slow enough that guessing a 4-digit PIN from a stolen file takes minutes per user instead of
 * microseconds, fast enough for a keypad.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const PREFIX = 'scrypt';
const DEFAULT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

function derive(pin: string, salt: Buffer, N: number, r: number, p: number, keylen: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, keylen, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>`: never contains the PIN. */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keylen } = DEFAULT;
  const key = await derive(pin, salt, N, r, p, keylen);
  return [PREFIX, N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `pin` matches `stored`; false for any malformed hash (never throws on data). */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N > 1 << 20) return false;
  const salt = Buffer.from(parts[4] as string, 'base64');
  const expected = Buffer.from(parts[5] as string, 'base64');
  if (salt.length < 8 || expected.length < 16) return false;
  const key = await derive(pin, salt, N, r, p, expected.length);
  return timingSafeEqual(key, expected);
}

/** What a PIN must look like: digits only (HA's number pad, SMS), between min and 12 long. */
export function pinProblem(
  pin: unknown,
  minLength: number,
): 'not_digits' | 'too_short' | 'too_long' | undefined {
  if (typeof pin !== 'string' || !/^\d*$/.test(pin)) return 'not_digits';
  if (pin.length < minLength) return 'too_short';
  if (pin.length > 12) return 'too_long';
  return undefined;
}
