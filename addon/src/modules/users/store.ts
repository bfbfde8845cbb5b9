/**
 * Atomic JSON state on disk: written to a temporary file, fsynced, renamed over the old one,
 * then the directory fsynced, so that a power cut leaves either the old or the new content,
 * never a mix. Files are 0600 in a 0700 directory (PIN hashes, phone numbers). A file that
 * cannot be read is reported, never replaced by an empty state: the caller decides.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export type LoadResult<T> =
  | { kind: 'ok'; data: T }
  | { kind: 'missing' }
  | { kind: 'corrupt'; error: string };

/** The persistence the users and alarm modules need; the core's durable store can replace it. */
export interface JsonStore<T> {
  readonly path: string;
  load(): LoadResult<T>;
  save(data: T): void;
}

/** A versioned document: `check` turns parsed JSON into T or says what is wrong. */
export class AtomicJsonFile<T> implements JsonStore<T> {
  constructor(
    readonly path: string,
    private readonly check: (raw: unknown) => T | string,
  ) {}

  load(): LoadResult<T> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      return { kind: 'corrupt', error: (err as Error).message };
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return { kind: 'corrupt', error: `${this.path} is not valid JSON (truncated?)` };
    }
    const r = this.check(raw);
    return typeof r === 'string' ? { kind: 'corrupt', error: `${this.path}: ${r}` } : { kind: 'ok', data: r };
  }

  save(data: T): void {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(data, null, 1)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }
}
