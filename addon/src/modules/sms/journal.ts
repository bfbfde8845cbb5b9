/**
 * Append-only JSON-lines journal with fsync: a record is on disk before the caller goes on
 * (an accepted SMS survives a crash, a received one is safe before it leaves the SIM).
 * Reading tolerates a torn last line (a crash in the middle of a write). Compaction rewrites
 * the live records to a temporary file, fsyncs it and renames it over the journal. Journals
 * hold phone numbers and message texts: 0600, whatever the umask (older files are tightened).
 */

const PRIVATE = 0o600;

import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export class Journal<T> {
  private fd: number | undefined;
  /** Lines that could not be parsed when opening (a torn write). */
  skipped = 0;

  constructor(readonly path: string) {}

  /** Reads every record, then opens the file for appending. */
  open(): T[] {
    const out: T[] = [];
    if (existsSync(this.path)) {
      const text = readFileSync(this.path, 'utf8');
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        try {
          out.push(JSON.parse(line) as T);
        } catch {
          this.skipped++;
        }
      }
      // A torn last line without newline would glue onto the next record: end it.
      if (text.length && !text.endsWith('\n')) {
        const fd = openSync(this.path, 'a', PRIVATE);
        writeSync(fd, '\n');
        fsyncSync(fd);
        closeSync(fd);
      }
    }
    this.fd = openSync(this.path, 'a', PRIVATE);
    chmodSync(this.path, PRIVATE);
    return out;
  }

  append(record: T): void {
    this.appendMany([record]);
  }

  appendMany(records: T[]): void {
    if (this.fd === undefined) throw new Error(`journal ${this.path} is not open`);
    if (records.length === 0) return;
    writeSync(this.fd, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    fsyncSync(this.fd);
  }

  /** Replaces the journal by these records, atomically. */
  compact(records: T[]): void {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w', PRIVATE);
    writeSync(fd, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    fsyncSync(fd);
    closeSync(fd);
    if (this.fd !== undefined) closeSync(this.fd);
    renameSync(tmp, this.path);
    try {
      const dfd = openSync(dirname(this.path), 'r');
      fsyncSync(dfd);
      closeSync(dfd);
    } catch {
      // Directories cannot be fsynced on every platform; the rename is still atomic.
    }
    this.fd = openSync(this.path, 'a', PRIVATE);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
