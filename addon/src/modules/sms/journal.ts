/**
 * The sms module's journals on the core's durable store (`ctx.store`: each append written and
 * fsynced before it resolves, files 0600 in a 0700 directory, a corrupt file reported and kept
 * aside, compaction atomic). Records carry their own time (`at`), which the store also keeps.
 *
 * Two things on top of the store: several records appended as one line (the recipients of one
 * request are accepted together or not at all), and the migration of journals written before
 * the store existed (one bare record per line), rewritten once in the store's format.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { DurableStore, Journal } from '../../core/store.js';

export interface Timed {
  at: number;
}

export class SmsJournal<R extends Timed> {
  private readonly journal: Journal<R | R[]>;

  constructor(store: DurableStore, name: string) {
    this.journal = store.journal<R | R[]>(name);
  }

  get path(): string {
    return this.journal.path;
  }

  /** Every record in order (a batch line gives its records in order). */
  async open(): Promise<R[]> {
    await this.migrateLegacy();
    const out: R[] = [];
    const records = await this.journal.replay();
    for (const r of records) {
      if (Array.isArray(r.entry)) out.push(...r.entry);
      else out.push(r.entry);
    }
    // The journal exists from the first start (empty, 0600), not from the first message: where
    // Monitor keeps its data, and with which modes, can be checked before anything happened.
    if (records.length === 0 && !existsSync(this.journal.path)) await this.journal.rewrite([]);
    return out;
  }

  append(record: R): Promise<void> {
    return this.journal.append(record);
  }

  /** Several records as one line: after a crash, all of them or none. */
  appendMany(records: R[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return this.journal.append(records.length === 1 ? (records[0] as R) : records);
  }

  /** Replaces the journal by these records, atomically. */
  compact(records: R[]): Promise<void> {
    return this.journal.rewrite(records.map((r) => ({ at: r.at, entry: r })));
  }

  /** A journal of the first release: bare records, one per line, each with its `at`. */
  private async migrateLegacy(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.journal.path, 'utf8');
    } catch {
      return;
    }
    const lines = text.split('\n').filter((l) => l.trim());
    const first = lines[0];
    if (!first) return;
    let head: unknown;
    try {
      head = JSON.parse(first);
    } catch {
      return; // the store reports it
    }
    if (!head || typeof head !== 'object' || 'entry' in head || !('t' in head)) return;
    const records: R[] = [];
    lines.forEach((l, i) => {
      try {
        records.push(JSON.parse(l) as R);
      } catch {
        // A torn last line of the old format: dropped, as the old reader did.
        if (i !== lines.length - 1) throw new Error(`${this.journal.path}: unreadable line ${i + 1}`);
      }
    });
    await this.compact(records);
  }
}

export type { DurableStore };
