/**
 * The one durable store of the core (`ctx.store`): every module persists through it, so that
 * there is one way to get durability right.
 *
 * - State files (`state(name, {version, migrate})`): one JSON document
 *   `{"version": n, "saved_at": "<ISO>", "value": …}` written atomically: temp file (0600),
 *   write, fsync, rename over the old one, fsync of the directory. A crash leaves the old
 *   file or the new one, never half of one.
 * - Journals (`journal(name)`): append-only, one JSON line `{"at": <ms>, "entry": …}` per
 *   record, each append written and fsynced before its promise resolves; `replay()` reads
 *   them back with their recorded time; `rewrite()` compacts atomically (as a state file);
 *   `retain(maxAgeMs)` drops records older than that by their recorded time, not by when the
 *   process happened to load them.
 * - Files are 0600 in a 0700 directory. A file that cannot be read back (not JSON, not the
 *   expected shape, a version from the future) is reported (`onCorrupt`: the app logs it and
 *   the gateway shows it), moved aside as `<name>.corrupt-<time>`, and never silently
 *   replaced: `load()` says `corrupt` and the module decides. A journal's torn last line (a
 *   crash during an append) is expected and dropped with a warning; a bad line before the
 *   end is corruption: the file is kept aside, the valid records are replayed.
 *
 * Operations on one file run one after the other (a per-file queue), so that an append
 * never interleaves with a rewrite.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Logger } from './logger.js';

export type LoadResult<T> =
  | { status: 'ok'; value: T; savedAt: number | undefined; migratedFrom?: number }
  | { status: 'missing' }
  | { status: 'corrupt'; reason: string; movedTo: string };

export interface CorruptFile {
  file: string;
  movedTo: string;
  reason: string;
}

export interface StateOptions<T> {
  /** Version of the value's shape; bump it when the shape changes and give `migrate`. */
  version: number;
  /** From an older version's value to the current shape; throw if it cannot be migrated. */
  migrate?: (old: unknown, fromVersion: number) => T;
  /** Checks the shape of what was read (after migration); false = corrupt. */
  validate?: (value: unknown) => value is T;
}

export interface StateFile<T> {
  readonly path: string;
  load(): Promise<LoadResult<T>>;
  save(value: T): Promise<void>;
}

export interface JournalRecord<E> {
  /** When it was appended (ms since the epoch). */
  at: number;
  entry: E;
}

export interface Journal<E> {
  readonly path: string;
  /** Written and fsynced when the promise resolves. */
  append(entry: E): Promise<void>;
  /** Every record in order; a corrupt file is reported and kept aside (see above). */
  replay(): Promise<Array<JournalRecord<E>>>;
  /** Replaces the whole journal atomically (compaction). */
  rewrite(records: Array<JournalRecord<E>>): Promise<void>;
  /** Drops the records older than `maxAgeMs` (by their recorded time); returns how many went. */
  retain(maxAgeMs: number, keep?: (r: JournalRecord<E>) => boolean): Promise<number>;
}

export interface StoreOptions {
  log: Logger;
  onCorrupt?: (c: CorruptFile) => void;
  now?: () => number;
}

const NAME = /^[a-z0-9][a-z0-9_.-]*$/;

/** fsync of a directory, so that a rename or a new file survives a power cut. */
async function fsyncDir(dir: string): Promise<void> {
  const fd = await open(dir, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

/** Writes `data` to `path` atomically (temp file 0600, fsync, rename, fsync of the directory). */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const fd = await open(tmp, 'w', 0o600);
  try {
    await fd.writeFile(data, 'utf8');
    await fd.sync();
  } finally {
    await fd.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dirname(path));
}

export class DurableStore {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly now: () => number;

  constructor(
    readonly dir: string,
    private readonly opts: StoreOptions,
  ) {
    this.now = opts.now ?? Date.now;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // mkdir does not change the mode of a directory that already exists (an earlier version).
    chmodSync(dir, 0o700);
  }

  /** Runs `fn` after every earlier operation on the same file. */
  private serial<R>(path: string, fn: () => Promise<R>): Promise<R> {
    const prev = this.queues.get(path) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => {});
    this.queues.set(path, tail);
    void tail.then(() => {
      if (this.queues.get(path) === tail) this.queues.delete(path);
    });
    return next;
  }

  private file(name: string, ext: string): string {
    if (!NAME.test(name)) throw new Error(`invalid store file name "${name}"`);
    return join(this.dir, `${name}${ext}`);
  }

  /** Moves a file that cannot be read aside and reports it. */
  private async quarantine(path: string, reason: string, copy = false): Promise<string> {
    const stamp = new Date(this.now()).toISOString().replace(/[:.]/g, '-');
    const movedTo = `${path}.corrupt-${stamp}`;
    if (copy) {
      const data = await readFile(path);
      const fd = await open(movedTo, 'w', 0o600);
      try {
        await fd.writeFile(data);
        await fd.sync();
      } finally {
        await fd.close();
      }
    } else {
      await rename(path, movedTo);
    }
    await fsyncDir(this.dir);
    this.opts.log.error(() => `${basename(path)} is corrupt (${reason}): kept aside as ${basename(movedTo)}`);
    try {
      this.opts.onCorrupt?.({ file: path, movedTo, reason });
    } catch (err) {
      this.opts.log.error('corrupt-file report failed', err);
    }
    return movedTo;
  }

  state<T>(name: string, options: StateOptions<T>): StateFile<T> {
    const path = this.file(name, '.json');
    const load = async (): Promise<LoadResult<T>> => {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
        throw err;
      }
      const corrupt = async (reason: string): Promise<LoadResult<T>> => ({
        status: 'corrupt',
        reason,
        movedTo: await this.quarantine(path, reason),
      });
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        return corrupt('not JSON');
      }
      if (!doc || typeof doc !== 'object' || !('value' in doc) || !('version' in doc))
        return corrupt('no version or value field');
      const d = doc as { version: unknown; value: unknown; saved_at?: unknown };
      if (typeof d.version !== 'number' || !Number.isInteger(d.version))
        return corrupt('version is not an integer');
      if (d.version > options.version)
        return corrupt(`version ${d.version} written by a newer Monitor (this one reads ${options.version})`);
      let value = d.value;
      let migratedFrom: number | undefined;
      if (d.version < options.version) {
        if (!options.migrate) return corrupt(`version ${d.version} and no migration to ${options.version}`);
        try {
          value = options.migrate(d.value, d.version);
          migratedFrom = d.version;
        } catch (err) {
          return corrupt(`migration from version ${d.version} failed: ${(err as Error).message}`);
        }
      }
      if (options.validate && !options.validate(value)) return corrupt('unexpected content');
      const savedAt = typeof d.saved_at === 'string' ? Date.parse(d.saved_at) : Number.NaN;
      return {
        status: 'ok',
        value: value as T,
        savedAt: Number.isFinite(savedAt) ? savedAt : undefined,
        ...(migratedFrom !== undefined ? { migratedFrom } : {}),
      };
    };
    return {
      path,
      load: () => this.serial(path, load),
      save: (value: T) =>
        this.serial(path, () =>
          writeFileAtomic(
            path,
            JSON.stringify({ version: options.version, saved_at: new Date(this.now()).toISOString(), value }),
          ),
        ),
    };
  }

  journal<E>(name: string): Journal<E> {
    const path = this.file(name, '.jsonl');
    const line = (r: JournalRecord<E>) => `${JSON.stringify({ at: r.at, entry: r.entry })}\n`;
    const write = (records: Array<JournalRecord<E>>) => writeFileAtomic(path, records.map(line).join(''));
    const replay = async (): Promise<Array<JournalRecord<E>>> => {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      const lines = text.split('\n');
      const out: Array<JournalRecord<E>> = [];
      let bad = 0;
      let firstBad = -1;
      let torn = false;
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i] as string;
        if (l === '') continue;
        const r = parseRecord<E>(l);
        // The last line without its newline: an append cut by a crash. Expected; even when it
        // parses, it is rewritten so that the next append does not glue onto it.
        if (i === lines.length - 1) torn = true;
        if (r) out.push(r);
        else if (i === lines.length - 1)
          this.opts.log.warn(() => `${basename(path)}: incomplete last record dropped (interrupted write)`);
        else {
          bad++;
          if (firstBad < 0) firstBad = i + 1;
        }
      }
      if (bad > 0)
        await this.quarantine(path, `${bad} unreadable record(s), first at line ${firstBad}`, true);
      if (bad > 0 || torn) await write(out);
      return out;
    };
    const journal: Journal<E> = {
      path,
      append: (entry: E) =>
        this.serial(path, async () => {
          const fd = await open(path, 'a', 0o600);
          let created = false;
          try {
            created = (await fd.stat()).size === 0;
            await fd.writeFile(line({ at: this.now(), entry }), 'utf8');
            await fd.sync();
          } finally {
            await fd.close();
          }
          if (created) await fsyncDir(this.dir);
        }),
      replay: () => this.serial(path, replay),
      rewrite: (records) => this.serial(path, () => write(records)),
      retain: (maxAgeMs, keep) =>
        this.serial(path, async () => {
          const all = await replay();
          const since = this.now() - maxAgeMs;
          const kept = all.filter((r) => r.at >= since || (keep?.(r) ?? false));
          if (kept.length !== all.length) await write(kept);
          return all.length - kept.length;
        }),
    };
    return journal;
  }

  /** Whether a store file exists (for migrations from a module's older files). */
  async exists(name: string, kind: 'state' | 'journal'): Promise<boolean> {
    try {
      await stat(this.file(name, kind === 'state' ? '.json' : '.jsonl'));
      return true;
    } catch {
      return false;
    }
  }
}

function parseRecord<E>(l: string): JournalRecord<E> | undefined {
  try {
    const o = JSON.parse(l) as { at?: unknown; entry?: unknown };
    if (!o || typeof o !== 'object' || typeof o.at !== 'number' || !('entry' in o)) return undefined;
    return { at: o.at, entry: o.entry as E };
  } catch {
    return undefined;
  }
}
