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
import type { Logger } from '../../core/logger.js';
import type { Outcome } from './commands.js';
import { type DurableStore, SmsJournal } from './journal.js';
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
  /** Channels the broker acknowledged (or that cannot fail): never published twice. */
  done: Set<PublishChannel>;
}

/**
 * Where a received message goes, one after the other, each journaled once done: the
 * `message` event (QoS 1, acknowledged), the RPC notification (QoS 1, acknowledged), the bus.
 */
export const CHANNELS = ['event', 'notify', 'bus'] as const;
export type PublishChannel = (typeof CHANNELS)[number];

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
  | { t: 'pubc'; id: string; ch: PublishChannel; at: number }
  | { t: 'pub'; id: string; at: number };

export interface InboxHooks {
  /** Decides what a message is (plain, command, rejected) and runs the command. */
  classify(m: InMessage): Promise<Outcome>;
  /** The form of a text that may be journaled and published (a command's PIN masked). */
  redact(text: string): string;
  /** Publishes on one channel; resolves once acknowledged, rejects when not (kept for a retry). */
  publish(m: InMessage, channel: PublishChannel): Promise<void>;
  /** Status reports go to the outbox. */
  statusReport(d: Decoded): unknown;
  /** Deletes a SIM slot (errors ignored by the caller). */
  /**
   * Deletes a SIM slot if it still holds the PDU of this key (errors ignored by the caller): a
   * sweep's listing can be stale, and a slot freed meanwhile may hold a new, unread message.
   */
  deleteStored(index: number, key: string): Promise<void>;
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
  private readonly journal: SmsJournal<Rec>;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private processing: Promise<void> = Promise.resolve();
  /** Messages whose command is running (classified outside the chain). */
  private readonly classifying = new Set<string>();
  private readonly senderChains = new Map<string, Promise<Outcome>>();
  private closed = false;

  constructor(
    store: DurableStore,
    private readonly o: { reassemblyMs: number; retentionDays: number; now?: () => number },
    private readonly hooks: InboxHooks,
    private readonly log: Logger,
  ) {
    this.journal = new SmsJournal<Rec>(store, 'inbox');
    this.now = o.now ?? Date.now;
  }

  async load(): Promise<void> {
    const recs = await this.journal.open();
    for (const r of recs) this.apply(r);
    const keepAfter = this.now() - this.o.retentionDays * 86_400_000;
    const old = [...this.messages.values()].filter((m) => m.published && (this.partAt(m) ?? 0) < keepAfter);
    if (old.length) {
      const drop = new Set(old.flatMap((m) => [m.id, ...m.keys]));
      await this.journal.compact(recs.filter((r) => !drop.has('id' in r ? r.id : r.key)));
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
        done: new Set(),
      });
      for (const k of r.keys) {
        const p = this.parts.get(k);
        if (p) p.msg = r.id;
      }
    } else if (r.t === 'out') {
      const m = this.messages.get(r.id);
      if (m) m.outcome = r.outcome;
    } else if (r.t === 'pubc') {
      this.messages.get(r.id)?.done.add(r.ch);
    } else if (r.t === 'pub') {
      const m = this.messages.get(r.id);
      if (m) m.published = true;
    }
  }

  private async record(r: Rec): Promise<void> {
    await this.journal.append(r);
    this.apply(r);
  }

  /** Serialises the work: PDUs are handled one after the other. */
  private run(fn: () => Promise<void>): Promise<void> {
    this.processing = this.processing
      .then(fn)
      .catch((err) => this.log.error('incoming SMS handling failed', err));
    return this.processing;
  }

  /**
   * After a restart: messages assembled but not classified, and expired partial ones. Those
   * classified but not acknowledged may have reached the broker before the crash: they wait
   * for `republishPending()`, which the module calls once the broker's markers have arrived.
   */
  resume(): Promise<void> {
    return this.run(async () => {
      for (const m of this.messages.values()) if (!m.published && !m.outcome) await this.finish(m);
      await this.expire();
    });
  }

  /**
   * The broker has this message's event (its retained copy, or our own echo): an attempt that
   * got no PUBACK (broker frozen, the service killed) did reach it. Journaled as done on that
   * channel, so that it is never published twice; the other channels follow when the module
   * republishes.
   */
  confirmedByBroker(id: string, channel: PublishChannel): Promise<void> {
    return this.run(async () => {
      const m = this.messages.get(id);
      if (!m || m.published || !m.outcome || m.done.has(channel)) return;
      await this.record({ t: 'pubc', id, ch: channel, at: this.now() });
    });
  }

  /** A PDU read from the SIM (index) or routed directly (+CMT/+CDS, no index). */
  handle(pdu: string, index?: number): Promise<void> {
    return this.run(async () => {
      const key = pduKey(pdu);
      const d = decodePdu(pdu, { smscPrefix: 'auto' });
      if (!d.ok) {
        if (!this.bad.has(key)) {
          await this.record({ t: 'bad', key, pdu, error: d.error.message, at: this.now() });
          this.hooks.undecodable(pdu, d.error.message);
        }
        if (index !== undefined) await this.hooks.deleteStored(index, key);
        return;
      }
      if (d.value.type === 'status-report') {
        await this.hooks.statusReport(d.value);
        if (index !== undefined) await this.hooks.deleteStored(index, key);
        return;
      }
      if (d.value.type !== 'deliver') {
        if (index !== undefined) await this.hooks.deleteStored(index, key);
        return;
      }
      if (index !== undefined) {
        const set = this.slots.get(key) ?? new Set<number>();
        set.add(index);
        this.slots.set(key, set);
      }
      const known = this.parts.get(key);
      if (known) {
        this.log.debug(() => `PDU ${key} (slot ${index}) already journaled`);
        const m = known.msg ? this.messages.get(known.msg) : undefined;
        if (m?.published) await this.release(m);
        return;
      }
      const v = d.value;
      await this.record({
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
    await this.record({
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
      // One sender's messages are classified in order (a PIN lockout applies to the next
      // one); different senders do not wait for each other.
      const previous = this.senderChains.get(m.from) ?? Promise.resolve();
      const classified = previous.then(() =>
        this.hooks.classify(m).catch((err): Outcome => {
          this.log.error(`classifying message ${m.id} failed`, err);
          return { kind: 'received' };
        }),
      );
      this.senderChains.set(m.from, classified);
      void classified.then((outcome) =>
        this.run(async () => {
          this.classifying.delete(m.id);
          if (this.closed) return;
          if (this.senderChains.get(m.from) === classified) this.senderChains.delete(m.from);
          if (!m.outcome) await this.record({ t: 'out', id: m.id, outcome, at: this.now() });
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
      for (const ch of CHANNELS) {
        if (m.done.has(ch)) continue;
        this.log.debug(() => `publishing ${m.id} on ${ch}`);
        try {
          await this.hooks.publish(m, ch);
        } catch (err) {
          // Not acknowledged: the message stays on the SIM and in the journal, and is
          // published again (this channel onwards) when the broker is back.
          this.log.debug(() => `message ${m.id} not acknowledged on ${ch}: ${String(err)}`);
          return;
        }
        await this.record({ t: 'pubc', id: m.id, ch, at: this.now() });
      }
      await this.record({ t: 'pub', id: m.id, at: this.now() });
    }
    await this.release(m);
  }

  /** Deletes the SIM slots of a published message. */
  private async release(m: InMessage): Promise<void> {
    for (const k of m.keys) {
      const set = this.slots.get(k);
      if (!set) continue;
      for (const i of [...set]) {
        await this.hooks.deleteStored(i, k);
        set.delete(i);
      }
      this.slots.delete(k);
    }
    for (const p of this.parts.values()) {
      if (p.msg === m.id && this.slots.has(p.key)) {
        for (const i of this.slots.get(p.key) ?? []) await this.hooks.deleteStored(i, p.key);
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

  /** Messages whose publication was not acknowledged: published again. */
  republishPending(): Promise<void> {
    return this.run(async () => {
      for (const m of this.messages.values()) if (!m.published && m.outcome) await this.finish(m);
    });
  }
}
