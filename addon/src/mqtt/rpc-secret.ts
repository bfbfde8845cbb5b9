/**
 * The per-installation RPC secret (docs/rpc.md): `rpc.secret` from the configuration, else
 * `<data_dir>/rpc.secret`, generated on first start (32 random bytes, hex), mode 0600, created
 * exclusively so that two processes never write two different secrets.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const RPC_SECRET_FILE = 'rpc.secret';

export interface RpcSecret {
  secret: string;
  source: 'config' | 'file' | 'generated';
  file?: string;
}

export function loadOrCreateRpcSecret(configured: string, dataDir: string): RpcSecret {
  if (configured) return { secret: configured, source: 'config' };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, RPC_SECRET_FILE);
  const read = (): string | undefined => {
    try {
      const s = readFileSync(file, 'utf8').trim();
      return s.length >= 16 ? s : undefined;
    } catch {
      return undefined;
    }
  };
  const existing = read();
  if (existing) {
    chmodSync(file, 0o600);
    return { secret: existing, source: 'file', file };
  }
  const secret = randomBytes(32).toString('hex');
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    // Another process created it first: use theirs.
    const theirs = read();
    if (theirs) return { secret: theirs, source: 'file', file };
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new Error(`${file} holds no secret of 16 characters or more: remove it, or set rpc.secret`);
    throw err;
  }
  try {
    writeSync(fd, `${secret}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { secret, source: 'generated', file };
}
