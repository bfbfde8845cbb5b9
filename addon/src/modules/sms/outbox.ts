/**
 * The durable outbox. An accepted message is in the journal (fsync) before `enqueue` returns;
 * one worker sends parts in order, rate-limited, retrying transient +CMS errors with backoff.
 * The commit point of a part is journaled right before the PDU and Ctrl-Z are written: after a
 * crash, a part committed but not confirmed is NOT sent again (it may have left; a duplicate
 * alarm SMS is worse than a part marked "unconfirmed"), parts never committed are sent.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/logger.js';
import { AtError } from './at/engine.js';
import { cmsMeaning, isTransientCms } from './at/errors.js';
import { type DurableStore, SmsJournal } from './journal.js';
import type { Modem } from './modem/modem.js';
import { type Decoded, type EncodedPart, encodeSubmit } from './pdu/index.js';
import { normalizeNumber } from './phone.js';

export type OutStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'unconfirmed';

type Rec =
  | {
      t: 'acc';
      id: string;
      batch: string;
      to: string;
      text: string;
      flash: boolean;
      sr: boolean;
      ref: number;
      origin: string;
      /** 1: urgent (command replies, alarm notifications), sent before bulk messages. */
      pri?: 1;
      at: number;
    }
  | { t: 'com'; id: string; seq: number; at: number }
  | { t: 'sent'; id: string; seq: number; mr: number; at: number }
  | { t: 'err'; id: string; error: string; next: number; at: number }
  | { t: 'fail'; id: string; error: string; at: number }
  | { t: 'unc'; id: string; seq: number; at: number }
  | {
      t: 'rep';
      id: string;
      seq: number;
      st: number;
      delivery: 'delivered' | 'pending' | 'failed';
      at: number;
    };

interface PartState {
  committed: boolean;
  mr?: number;
  unconfirmed?: boolean;
  delivery?: 'delivered' | 'pending' | 'failed';
}

export interface OutMessage {
  id: string;
  batch: string;
  to: string;
  text: string;
  flash: boolean;
  statusReport: boolean;
  ref: number;
  origin: string;
  /** Urgent messages leave before bulk ones, whatever their age. */
  urgent: boolean;
  acceptedAt: number;
  parts: PartState[];
  total: number;
  attempts: number;
  nextAt: number;
  status: OutStatus;
  error?: string;
  finishedAt?: number;
  /** Time of the last journal record about this message (what retention counts from). */
  lastAt: number;
}

export interface OutboxOptions {
  store: DurableStore;
  smsc?: string;
  statusReports: boolean;
  maxPerMinute: number;
  maxAttempts: number;
  retryInitialMs: number;
  retentionDays: number;
  defaultCountry: string;
  now?: () => number;
}

export interface SendRequest {
  to: string[];
  text: string;
  flash?: boolean;
  origin?: string;
  /** Command replies and alarm notifications: ahead of bulk messages. */
  urgent?: boolean;
}

export class Outbox {
  readonly messages = new Map<string, OutMessage>();
  readonly counters = { sent: 0, failed: 0 };
  private readonly journal: SmsJournal<Rec>;
  private modem: Modem | undefined;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private nextRef = Math.floor(Math.random() * 256);
  private readonly sentTimes: number[] = [];
  private readonly now: () => number;
  private stopped = false;
  private rateTimer: NodeJS.Timeout | undefined;
  private rateWake: (() => void) | undefined;

  constructor(
    private readonly o: OutboxOptions,
    private readonly log: Logger,
    private readonly onStatus: (m: OutMessage) => void,
  ) {
    this.journal = new SmsJournal<Rec>(o.store, 'outbox');
    this.now = o.now ?? Date.now;
  }

  /** Reads the journal; parts committed but never confirmed become "unconfirmed". */
  async load(): Promise<OutMessage[]> {
    const recs = await this.journal.open();
    for (const r of recs) this.apply(r);
    const fixes: Rec[] = [];
    for (const m of this.messages.values()) {
      m.parts.forEach((p, i) => {
        if (p.committed && p.mr === undefined && !p.unconfirmed)
          fixes.push({ t: 'unc', id: m.id, seq: i + 1, at: this.now() });
      });
    }
    await this.journal.appendMany(fixes);
    for (const r of fixes) this.apply(r);
    // The rate limit holds across a restart: parts that left (or may have) in the last minute.
    const since = this.now() - 60_000;
    this.sentTimes.push(
      ...[...recs, ...fixes]
        .filter((r) => (r.t === 'sent' || r.t === 'unc') && r.at > since)
        .map((r) => r.at)
        .sort((a, b) => a - b),
    );
    for (const m of this.messages.values()) this.refresh(m);
    // Compaction: finished messages older than the retention go.
    const keepAfter = this.now() - this.o.retentionDays * 86_400_000;
    const keep = new Set(
      [...this.messages.values()].filter((m) => !m.finishedAt || m.finishedAt >= keepAfter).map((m) => m.id),
    );
    if (keep.size < this.messages.size) {
      await this.journal.compact([...recs, ...fixes].filter((r) => keep.has(r.id)));
      for (const id of [...this.messages.keys()]) if (!keep.has(id)) this.messages.delete(id);
    }
    if (fixes.length)
      this.log.warn(
        () => `${fixes.length} part(s) were in flight at the last stop: marked unconfirmed, not resent`,
      );
    const touched = new Set(fixes.map((f) => f.id));
    return [...this.messages.values()].filter((m) => touched.has(m.id));
  }

  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.rateTimer) clearTimeout(this.rateTimer);
    this.rateWake?.();
  }

  private apply(r: Rec): void {
    if (r.t === 'acc') {
      const enc = encodeSubmit({ to: r.to, text: r.text });
      const total = enc.ok ? enc.value.parts.length : 1;
      this.messages.set(r.id, {
        id: r.id,
        batch: r.batch,
        to: r.to,
        text: r.text,
        flash: r.flash,
        statusReport: r.sr,
        ref: r.ref,
        origin: r.origin,
        urgent: r.pri === 1,
        acceptedAt: r.at,
        parts: Array.from({ length: total }, () => ({ committed: false })),
        total,
        attempts: 0,
        nextAt: 0,
        status: 'queued',
        lastAt: r.at,
      });
      this.nextRef = (r.ref + 1) & 0xff;
      return;
    }
    const m = this.messages.get(r.id);
    if (!m) return;
    m.lastAt = Math.max(m.lastAt, r.at);
    const part = 'seq' in r ? m.parts[r.seq - 1] : undefined;
    if (r.t === 'com' && part) part.committed = true;
    else if (r.t === 'sent' && part) part.mr = r.mr;
    else if (r.t === 'unc' && part) part.unconfirmed = true;
    else if (r.t === 'rep' && part) part.delivery = r.delivery;
    else if (r.t === 'err') {
      m.attempts++;
      m.nextAt = r.next;
      m.error = r.error;
    } else if (r.t === 'fail') {
      m.status = 'failed';
      m.error = r.error;
      m.finishedAt = r.at;
    }
  }

  /** Derives the status from the parts. */
  private refresh(m: OutMessage): void {
    if (m.status === 'failed') return;
    const done = m.parts.every((p) => p.mr !== undefined || p.unconfirmed);
    if (!done) {
      m.status = m.parts.some((p) => p.committed) ? 'sending' : 'queued';
      return;
    }
    if (m.parts.some((p) => p.delivery === 'failed')) {
      m.status = 'failed';
      m.error = m.error ?? 'the network reported a failed delivery';
    } else if (m.parts.some((p) => p.unconfirmed)) {
      m.status = 'unconfirmed';
      const which = m.parts.flatMap((p, i) => (p.unconfirmed ? [i + 1] : [])).join(', ');
      m.error = `part ${which} not confirmed by the modem: it may or may not have left; not sent again`;
    } else {
      m.status = m.statusReport && m.parts.every((p) => p.delivery === 'delivered') ? 'delivered' : 'sent';
      // An error of an earlier, retried attempt says nothing about a message that left.
      m.error = undefined;
    }
    // From the journal's own times: on load, a message finished a month ago is not "finished now".
    m.finishedAt = m.finishedAt ?? m.lastAt;
  }

  private async record(r: Rec): Promise<void> {
    await this.journal.append(r);
    this.apply(r);
  }

  /** Messages accepted from this origin in the last 24 hours (the daily quota). */
  acceptedSince(origin: string, since: number): number {
    let n = 0;
    for (const m of this.messages.values()) if (m.origin === origin && m.acceptedAt > since) n++;
    return n;
  }

  get pendingCount(): number {
    let n = 0;
    for (const m of this.messages.values()) if (m.status === 'queued' || m.status === 'sending') n++;
    return n;
  }

  /** Journals one message per recipient (fsync) and returns them; sending happens later. */
  async enqueue(req: SendRequest): Promise<OutMessage[]> {
    const batch = randomUUID();
    const at = this.now();
    const recs: Rec[] = [];
    for (const raw of req.to) {
      const to = normalizeNumber(raw, this.o.defaultCountry);
      const ref = this.nextRef;
      this.nextRef = (this.nextRef + 1) & 0xff;
      recs.push({
        t: 'acc',
        id: randomUUID(),
        batch,
        to,
        text: req.text,
        flash: req.flash === true,
        sr: this.o.statusReports,
        ref,
        origin: req.origin ?? 'unknown',
        ...(req.urgent ? { pri: 1 as const } : {}),
        at,
      });
    }
    await this.journal.appendMany(recs);
    const out: OutMessage[] = [];
    for (const r of recs) {
      this.apply(r);
      const m = this.messages.get(r.id) as OutMessage;
      out.push(m);
      this.onStatus(m);
    }
    this.kick();
    return out;
  }

  /** The modem is ready (or gone: undefined). */
  attach(modem: Modem | undefined): void {
    this.modem = modem;
    if (modem) this.kick();
  }

  kick(delay = 0): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pump(), delay);
  }

  private due(): OutMessage | undefined {
    const now = this.now();
    let best: OutMessage | undefined;
    for (const m of this.messages.values()) {
      if (m.status !== 'queued' && m.status !== 'sending') continue;
      if (m.nextAt > now) continue;
      if (!best || (m.urgent && !best.urgent) || (m.urgent === best.urgent && m.acceptedAt < best.acceptedAt))
        best = m;
    }
    return best;
  }

  private nextWake(): number | undefined {
    let t: number | undefined;
    for (const m of this.messages.values())
      if ((m.status === 'queued' || m.status === 'sending') && m.nextAt > this.now())
        t = Math.min(t ?? m.nextAt, m.nextAt);
    return t;
  }

  private async pump(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      for (;;) {
        const modem = this.modem;
        if (!modem || this.stopped) return;
        const m = this.due();
        if (!m) break;
        await this.sendMessage(m, modem);
      }
      const wake = this.nextWake();
      if (wake !== undefined) this.kick(Math.max(10, wake - this.now()));
    } finally {
      this.running = false;
    }
  }

  /** Waits until one more part may leave; false if the outbox closed meanwhile. */
  private async rateLimit(): Promise<boolean> {
    for (;;) {
      if (this.stopped) return false;
      const now = this.now();
      while (this.sentTimes.length && (this.sentTimes[0] as number) <= now - 60_000) this.sentTimes.shift();
      if (this.sentTimes.length < this.o.maxPerMinute) return true;
      await new Promise<void>((resolve) => {
        this.rateWake = resolve;
        this.rateTimer = setTimeout(resolve, (this.sentTimes[0] as number) + 60_000 - now);
        // A module stopping must not be held up to a minute by this wait.
        this.rateTimer.unref?.();
      });
    }
  }

  private async sendMessage(m: OutMessage, modem: Modem): Promise<void> {
    const enc = encodeSubmit({
      to: m.to,
      text: m.text,
      flash: m.flash,
      statusReport: m.statusReport,
      concatRef: m.ref,
      smsc: this.o.smsc || undefined,
    });
    if (!enc.ok) {
      await this.finishFailed(m, enc.error.message);
      return;
    }
    for (let i = 0; i < enc.value.parts.length; i++) {
      const p = m.parts[i] as PartState;
      if (p.mr !== undefined || p.unconfirmed) continue;
      if (!(await this.rateLimit()) || this.modem !== modem) return;
      const ok = await this.sendPart(m, i, enc.value.parts[i] as EncodedPart, modem);
      if (!ok) return;
    }
    this.refresh(m);
    if (m.status !== 'sending' && m.status !== 'queued') {
      if (m.status !== 'failed') this.counters.sent++;
      this.onStatus(m);
    }
  }

  private async sendPart(m: OutMessage, i: number, part: EncodedPart, modem: Modem): Promise<boolean> {
    const seq = i + 1;
    let committed = false;
    try {
      const mr = await modem.send(part.hex, part.tpduLength, async () => {
        // On disk before the PDU and Ctrl-Z are written: the commit point.
        await this.record({ t: 'com', id: m.id, seq, at: this.now() });
        committed = true;
      });
      this.sentTimes.push(this.now());
      await this.record({ t: 'sent', id: m.id, seq, mr, at: this.now() });
      this.log.info(() => `SMS ${m.id} part ${seq}/${m.total} to ${m.to} sent (reference ${mr})`);
      if (m.status === 'queued') {
        m.status = 'sending';
      }
      return true;
    } catch (err) {
      if (err instanceof AtError && err.kind === 'cms' && err.code !== undefined) {
        const code = err.code;
        const attempts = m.attempts + 1;
        if (!isTransientCms(code) || attempts >= this.o.maxAttempts) {
          await this.finishFailed(m, `+CMS ERROR ${code} (${cmsMeaning(code)})`);
          return false;
        }
        const next = this.now() + this.o.retryInitialMs * 2 ** (attempts - 1);
        await this.record({
          t: 'err',
          id: m.id,
          error: `+CMS ERROR ${code} (${cmsMeaning(code)})`,
          next,
          at: this.now(),
        });
        this.log.warn(
          () => `SMS ${m.id} to ${m.to}: +CMS ERROR ${code} (${cmsMeaning(code)}), retry ${attempts}`,
        );
        this.onStatus(m);
        return false;
      }
      if (committed) {
        // The PDU reached the modem but no answer came: it may be on its way; never send it twice.
        this.sentTimes.push(this.now());
        await this.record({ t: 'unc', id: m.id, seq, at: this.now() });
        this.log.warn(
          () => `SMS ${m.id} part ${seq}: no confirmation from the modem (${String(err)}), not resent`,
        );
        return true;
      }
      // Not committed (no prompt, line closed): retry when the modem is back, without counting.
      this.log.warn(() => `SMS ${m.id}: ${err instanceof Error ? err.message : String(err)}; will retry`);
      m.nextAt = this.now() + 1000;
      return false;
    }
  }

  private async finishFailed(m: OutMessage, error: string): Promise<void> {
    await this.record({ t: 'fail', id: m.id, error, at: this.now() });
    this.counters.failed++;
    this.log.warn(() => `SMS ${m.id} to ${m.to} failed: ${error}`);
    this.onStatus(m);
  }

  /** A status report from the network: matched by reference and recipient, most recent first. */
  async onStatusReport(r: Decoded): Promise<boolean> {
    if (r.reference === null || r.status === null || !r.delivery) return false;
    const who = normalizeNumber(r.address, this.o.defaultCountry);
    const candidates = [...this.messages.values()]
      .filter(
        (m) =>
          m.parts.some((p) => p.mr === r.reference) && normalizeNumber(m.to, this.o.defaultCountry) === who,
      )
      .sort((a, b) => b.acceptedAt - a.acceptedAt);
    const m = candidates[0];
    if (!m) {
      this.log.debug(() => `status report for reference ${r.reference} matches no message`);
      return false;
    }
    const seq = m.parts.findIndex((p) => p.mr === r.reference) + 1;
    await this.record({ t: 'rep', id: m.id, seq, st: r.status, delivery: r.delivery, at: this.now() });
    const before = m.status;
    m.finishedAt = undefined;
    this.refresh(m);
    if (m.status === 'failed' && before !== 'failed') this.counters.failed++;
    this.onStatus(m);
    return true;
  }
}
