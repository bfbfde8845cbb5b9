/**
 * Incoming SMS: every PDU is journaled (fsync) as soon as it is read; parts of a long SMS are
 * reassembled by sender + reference + total, and delivered marked incomplete after a timeout
 * (counted from the first part on disk, so it survives restarts). A message is published
 * once: its outcome (command result) and its publication are journaled, and a PDU already
 * journaled (same TPDU bytes) is never taken twice, across restarts. A stored message is
 * deleted from the SIM only after its message is published.
 *
 * The sender's type of address is kept with every part (an alphanumeric name is never taken
 * for a number), and what is journaled of a text is its redacted form (`hooks.redact`: the PIN
 * of a command is never written); the clear text lives only in memory until classified.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import type { Outcome } from './commands.js';
import { Journal } from './journal.js';
import { type Concat, type Decoded, decodePdu, decodeSmsc, hexToBytes } from './pdu/index.js';
import { type SenderKind, senderKind } from './phone.js';

export interface InMessage {
  id: string;
  from: string;
  fromKind: SenderKind;
  /** What may be published (the PIN of a command masked). */
  text: string;
  /** The text as received, until classified; absent when read back from the journal. */
  clear?: string;
  timestamp: string;
  incomplete: boolean;
  keys: string[];
  outcome?: Outcome;
  published: boolean;
}

interface Part {
  key: string;
  from: string;
  /** Type of address of the originator (undefined in journals written before it was kept). */
  toa?: number;
  text: string;
  clear?: string;
  ts: string;
  concat: Concat | null;
  at: number;
  msg?: string;
}

type Rec =
  | ({ t: 'part' } & Omit<Part, 'msg' | 'clear'>)
  | { t: 'bad'; key: string; pdu: string; error: string; at: number }
  | {
      t: 'msg';
      id: string;
      from: string;
      toa?: number;
      text: string;
      ts: string;
      incomplete: boolean;
      keys: string[];
      at: number;
    }
  | { t: 'out'; id: string; outcome: Outcome; at: number }
  | { t: 'pub'; id: string; at: number };

export interface InboxHooks {
  /** Decides what a message is (plain, command, rejected) and runs the command. */
  classify(m: InMessage): Promise<Outcome>;
  /** The form of a text that may be journaled and published (a command's PIN masked). */
  redact(text: string): string;
  /** Publishes (MQTT event, RPC notification, bus); returns false if it could not. */
  publish(m: InMessage): boolean;
  /** Status reports go to the outbox. */
  statusReport(d: Decoded): void;
  /** Deletes a SIM slot (errors ignored by the caller). */
  deleteStored(index: number): Promise<void>;
  /** A PDU that could not be decoded (journaled, then deleted). */
  undecodable(pdu: string, error: string): void;
}

/** Key of a PDU: hash of its TPDU (the SMSC prefix may differ between +CMT and +CMGR). */
export function pduKey(hex: string): string {
  const b = hexToBytes(hex);
  let body = hex.toUpperCase();
  if (b.ok) {
    const s = decodeSmsc(b.value);
    if (s.ok) body = hex.slice(s.value.next * 2).toUpperCase();
  }
  return createHash('sha256').update(body).digest('hex').slice(0, 24);
}

export class Inbox {
  readonly parts = new Map<string, Part>();
  readonly messages = new Map<string, InMessage>();
  private readonly bad = new Set<string>();
  /** SIM slots holding each part, deleted once its message is published. */
  private readonly slots = new Map<string, Set<number>>();
  private readonly journal: Journal<Rec>;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private processing: Promise<void> = Promise.resolve();
  /** Messages whose command is running (classified outside the chain). */
  private readonly classifying = new Set<string>();
  private closed = false;

  constructor(
    dataDir: string,
    private readonly o: { reassemblyMs: number; retentionDays: number; now?: () => number },
    private readonly hooks: InboxHooks,
    private readonly log: Logger,
  ) {
    this.journal = new Journal<Rec>(join(dataDir, 'inbox.jsonl'));
    this.now = o.now ?? Date.now;
  }

  load(): void {
    const recs = this.journal.open();
    for (const r of recs) this.apply(r);
    const keepAfter = this.now() - this.o.retentionDays * 86_400_000;
    const old = [...this.messages.values()].filter((m) => m.published && (this.partAt(m) ?? 0) < keepAfter);
    if (old.length) {
      const drop = new Set(old.flatMap((m) => [m.id, ...m.keys]));
      this.journal.compact(recs.filter((r) => !drop.has('id' in r ? r.id : r.key)));
      for (const m of old) {
        this.messages.delete(m.id);
        for (const k of m.keys) this.parts.delete(k);
      }
    }
  }

  private partAt(m: InMessage): number | undefined {
    return this.parts.get(m.keys[0] as string)?.at;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.journal.close();
  }

  private apply(r: Rec): void {
    if (r.t === 'part')
      this.parts.set(r.key, {
        key: r.key,
        from: r.from,
        toa: r.toa,
        text: r.text,
        ts: r.ts,
        concat: r.concat,
        at: r.at,
      });
    else if (r.t === 'bad') this.bad.add(r.key);
    else if (r.t === 'msg') {
      this.messages.set(r.id, {
        id: r.id,
        from: r.from,
        fromKind: senderKind(r.from, r.toa),
        text: r.text,
        timestamp: r.ts,
        incomplete: r.incomplete,
        keys: r.keys,
        published: false,
      });
      for (const k of r.keys) {
        const p = this.parts.get(k);
        if (p) p.msg = r.id;
      }
    } else if (r.t === 'out') {
      const m = this.messages.get(r.id);
      if (m) m.outcome = r.outcome;
    } else if (r.t === 'pub') {
      const m = this.messages.get(r.id);
      if (m) m.published = true;
    }
  }

  private record(r: Rec): void {
    this.journal.append(r);
    this.apply(r);
  }

  /** Serialises the work: PDUs are handled one after the other. */
  private run(fn: () => Promise<void>): Promise<void> {
    this.processing = this.processing
      .then(fn)
      .catch((err) => this.log.error('incoming SMS handling failed', err));
    return this.processing;
  }

  /** After a restart: messages assembled but not published, and expired partial ones. */
  resume(): Promise<void> {
    return this.run(async () => {
      for (const m of this.messages.values()) if (!m.published) await this.finish(m);
      await this.expire();
    });
  }

  /** A PDU read from the SIM (index) or routed directly (+CMT/+CDS, no index). */
  handle(pdu: string, index?: number): Promise<void> {
    return this.run(async () => {
      const key = pduKey(pdu);
      const d = decodePdu(pdu, { smscPrefix: 'auto' });
      if (!d.ok) {
        if (!this.bad.has(key)) {
          this.record({ t: 'bad', key, pdu, error: d.error.message, at: this.now() });
          this.hooks.undecodable(pdu, d.error.message);
        }
        if (index !== undefined) await this.hooks.deleteStored(index);
        return;
      }
      if (d.value.type === 'status-report') {
        this.hooks.statusReport(d.value);
        if (index !== undefined) await this.hooks.deleteStored(index);
        return;
      }
      if (d.value.type !== 'deliver') {
        if (index !== undefined) await this.hooks.deleteStored(index);
        return;
      }
      if (index !== undefined) {
        const set = this.slots.get(key) ?? new Set<number>();
        set.add(index);
        this.slots.set(key, set);
      }
      const known = this.parts.get(key);
      if (known) {
        const m = known.msg ? this.messages.get(known.msg) : undefined;
        if (m?.published) await this.release(m);
        return;
      }
      const v = d.value;
      this.record({
        t: 'part',
        key,
        from: v.address,
        toa: v.addressType,
        text: this.hooks.redact(v.text),
        ts: v.timestamp ?? '',
        concat: v.concat,
        at: this.now(),
      });
      const part = this.parts.get(key) as Part;
      part.clear = v.text;
      await this.assemble(part);
    });
  }

  private groupOf(p: Part): Part[] {
    if (!p.concat) return [p];
    const c = p.concat;
    return [...this.parts.values()].filter(
      (q) =>
        !q.msg &&
        q.from === p.from &&
        q.concat &&
        q.concat.ref === c.ref &&
        q.concat.total === c.total &&
        q.concat.bits === c.bits,
    );
  }

  private async assemble(p: Part, force = false): Promise<void> {
    const group = this.groupOf(p);
    const total = p.concat?.total ?? 1;
    const bySeq = new Map<number, Part>();
    for (const q of group) if (!bySeq.has(q.concat?.seq ?? 1)) bySeq.set(q.concat?.seq ?? 1, q);
    if (bySeq.size < total && !force) {
      this.armTimer();
      return;
    }
    const ordered = [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([, q]) => q);
    const keys = ordered.map((q) => q.key);
    const id = createHash('sha256').update(keys.join(',')).digest('hex').slice(0, 16);
    // The clear text exists only if every part was read by this process (not from the journal).
    const clear = ordered.every((q) => q.clear !== undefined)
      ? ordered.map((q) => q.clear).join('')
      : undefined;
    this.record({
      t: 'msg',
      id,
      from: p.from,
      toa: p.toa,
      text: this.hooks.redact(clear ?? ordered.map((q) => q.text).join('')),
      ts: ordered[0]?.ts ?? '',
      incomplete: bySeq.size < total,
      keys,
      at: this.now(),
    });
    // Duplicated parts (same seq) belong to the message too, so their slots are freed.
    for (const q of group) {
      q.msg = id;
      q.clear = undefined;
    }
    const m = this.messages.get(id) as InMessage;
    m.clear = clear;
    await this.finish(m);
  }

  /**
   * Classifies (runs the command) outside the serialised chain — one slow or hung service call
   * must not hold up every SMS after it — then journals the outcome, publishes and frees the
   * SIM slots back inside the chain.
   */
  private async finish(m: InMessage): Promise<void> {
    if (!m.outcome) {
      if (this.classifying.has(m.id)) return;
      this.classifying.add(m.id);
      void this.hooks
        .classify(m)
        .catch((err): Outcome => {
          this.log.error(`classifying message ${m.id} failed`, err);
          return { kind: 'received' };
        })
        .then((outcome) =>
          this.run(async () => {
            this.classifying.delete(m.id);
            if (this.closed) return;
            if (!m.outcome) this.record({ t: 'out', id: m.id, outcome, at: this.now() });
            m.clear = undefined;
            await this.publishAndRelease(m);
          }),
        );
      return;
    }
    await this.publishAndRelease(m);
  }

  private async publishAndRelease(m: InMessage): Promise<void> {
    if (!m.published) {
      if (!this.hooks.publish(m)) return;
      this.record({ t: 'pub', id: m.id, at: this.now() });
    }
    await this.release(m);
  }

  /** Deletes the SIM slots of a published message. */
  private async release(m: InMessage): Promise<void> {
    for (const k of m.keys) {
      const set = this.slots.get(k);
      if (!set) continue;
      for (const i of [...set]) {
        await this.hooks.deleteStored(i);
        set.delete(i);
      }
      this.slots.delete(k);
    }
    for (const p of this.parts.values()) {
      if (p.msg === m.id && this.slots.has(p.key)) {
        for (const i of this.slots.get(p.key) ?? []) await this.hooks.deleteStored(i);
        this.slots.delete(p.key);
      }
    }
  }

  private armTimer(): void {
    const waiting = [...this.parts.values()].filter((p) => !p.msg);
    if (this.timer) clearTimeout(this.timer);
    if (!waiting.length) return;
    const first = Math.min(...waiting.map((p) => p.at));
    this.timer = setTimeout(
      () => void this.run(() => this.expire()),
      Math.max(10, first + this.o.reassemblyMs - this.now()),
    );
  }

  private async expire(): Promise<void> {
    const now = this.now();
    for (const p of [...this.parts.values()]) {
      if (p.msg || p.at + this.o.reassemblyMs > now) continue;
      this.log.warn(() => `long SMS from ${p.from}: parts missing after the timeout, delivered incomplete`);
      await this.assemble(p, true);
    }
    this.armTimer();
  }

  /** Published messages that were not (MQTT down): published again. */
  republishPending(): Promise<void> {
    return this.run(async () => {
      for (const m of this.messages.values()) if (!m.published && m.outcome) await this.finish(m);
    });
  }
}
