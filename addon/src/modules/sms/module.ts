/**
 * The sms module: wires the modem lifecycle, the outbox, the inbox and SMS commands to the
 * entity registry, RPC and the bus.
 * Inputs: notify entity (plain text → default recipients, or JSON {to, text, flash} on the same
 * command topic `<base>/<node>/sms/send/set`), RPC `send_sms`, bus `smsSend`.
 * Outputs: event entity `message` (received / command / rejected), RPC notification
 * `sms_received`, bus `smsReceived`, event entity `outgoing` for per-message status.
 */
import type { MonitorConfig } from '../../config/types.generated.js';
import { translator } from '../../core/i18n.js';
import type { ModuleContext, MonitorModule } from '../../core/module.js';
import { RpcError, RpcErrorCode } from '../../mqtt/rpc.js';
import type { Urc } from './at/engine.js';
import { splitArgs } from './at/lines.js';
import { CommandProcessor, isSenderStates } from './commands.js';
import { DEVICE_ID, smsDeclaration } from './entities.js';
import { dict } from './i18n.js';
import { Inbox, type InMessage, type PublishChannel, pduKey } from './inbox.js';
import { ModemLifecycle } from './modem/lifecycle.js';
import type { Modem, StoredPdu } from './modem/modem.js';
import { Outbox, type OutMessage } from './outbox.js';
import { decodePdu } from './pdu/index.js';
import { normalizeNumber } from './phone.js';
import { SendPolicy } from './policy.js';
import { memoryLine } from './serial/memory.js';
import { SerialPortTransport } from './serial/serialport.js';
import type { TransportFactory } from './serial/transport.js';

export type SmsConfig = NonNullable<MonitorConfig['sms']>;

/**
 * The `message` event is published retained (Home Assistant ignores a replayed retained
 * event: homeassistant/components/mqtt/event.py), so that the broker keeps the last one it
 * processed. An attempt that got no PUBACK (broker frozen, the service killed) may still
 * have reached the broker: after a (re)connection the module reads that copy back before
 * publishing anything, and a message the broker already has is not published twice. One
 * event is in doubt at most: after a failed attempt nothing more is published until then.
 */
const EVENT_SUFFIX = 'message/event';
/** How long after a (re)connection the retained event is given to arrive. */
const SETTLE_MS = 1500;

/** `memory:<name>` is an in-process line (the demo's simulated modem); anything else a serial device. */
export const defaultTransport: TransportFactory = (o) => {
  if (o.path.startsWith('memory:')) {
    const line = memoryLine(o.path.slice('memory:'.length));
    if (!line) throw new Error(`no in-memory line ${o.path}`);
    return line.host;
  }
  return new SerialPortTransport(o);
};

export class SmsModule implements MonitorModule {
  private readonly t;
  private lifecycle: ModemLifecycle | undefined;
  outbox: Outbox | undefined;
  inbox: Inbox | undefined;
  private commands: CommandProcessor | undefined;
  private modem: Modem | undefined;
  private readonly offs: Array<() => void> = [];
  private poller: NodeJS.Timeout | undefined;
  private sweeping = false;
  /** SIM slots announced by +CMTI whose read is queued or running (count per slot). */
  private readonly reading = new Map<number, number>();
  private policy: SendPolicy | undefined;
  private republishTimer: NodeJS.Timeout | undefined;
  /** Set at start and by any failed publish; cleared once the broker's copy was read back. */
  private publishHeld = true;
  private heldFallback: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: ModuleContext<SmsConfig>,
    private readonly transport: TransportFactory = defaultTransport,
  ) {
    this.t = translator(dict, ctx.lang);
  }

  async start(): Promise<void> {
    const { ctx } = this;
    const c = ctx.config;
    ctx.secrets.add(c.sim_pin);
    ctx.secrets.add(c.commands.pin);
    this.outbox = new Outbox(
      {
        store: ctx.store,
        smsc: c.smsc,
        statusReports: c.status_reports,
        maxPerMinute: c.max_per_minute,
        maxAttempts: c.max_attempts,
        retryInitialMs: c.retry_initial_seconds * 1000,
        retentionDays: c.journal_days,
        defaultCountry: c.default_country,
      },
      ctx.log.child('outbox'),
      (m) => this.onOutStatus(m),
    );
    const unconfirmed = await this.outbox.load();
    this.policy = new SendPolicy(
      {
        allowedRecipients: c.allowed_recipients,
        allowAnyRecipient: c.allow_any_recipient,
        defaultRecipients: c.default_recipients,
        maxRecipients: c.max_recipients,
        maxTextLength: c.max_text_length,
        dailyQuota: c.daily_quota,
        defaultCountry: c.default_country,
      },
      {
        bus: ctx.bus,
        t: this.t,
        acceptedToday: (origin) => this.outbox?.acceptedSince(origin, Date.now() - 86_400_000) ?? 0,
      },
    );
    this.commands = new CommandProcessor(c.commands as never, {
      bus: ctx.bus,
      ha: ctx.ha,
      log: ctx.log.child('commands'),
      t: this.t,
      defaultCountry: c.default_country,
      state: ctx.store.state('commands-state', { version: 1, validate: isSenderStates }),
    });
    await this.commands.load();
    this.inbox = new Inbox(
      ctx.store,
      { reassemblyMs: c.reassembly_timeout_seconds * 1000, retentionDays: c.journal_days },
      {
        classify: (m) => this.classify(m),
        redact: (text) => this.commands?.redact(text) ?? text,
        publish: (m, channel) => this.publish(m, channel),
        statusReport: (d) => this.outbox?.onStatusReport(d),
        deleteStored: (i, key) => this.deleteStored(i, key),
        undecodable: (pdu, error) => {
          ctx.log.warn(() => `undecodable PDU kept in the journal: ${error}`);
          ctx.entities.emitEvent(DEVICE_ID, 'message', 'rejected', { reason: 'undecodable', error, pdu });
        },
      },
      ctx.log.child('inbox'),
    );
    await this.inbox.load();
    this.declare();
    ctx.entities.setAvailability(DEVICE_ID, false);
    for (const m of unconfirmed) this.onOutStatus(m);
    this.updateCounters();

    ctx.rpc.register('send_sms', (p) => this.rpcSend(p));
    this.offs.push(
      ctx.bus.on('smsSend', async (e) => {
        await this.send(
          { to: e.to, text: e.text, flash: e.flash, urgent: e.priority === 'high' },
          e.origin ?? 'bus',
        );
      }),
      // Unacknowledged messages go again once the broker is back, after its markers.
      ctx.bus.on('mqttConnection', ({ connected }) => {
        if (connected) this.republishSoon();
      }),
    );
    if (ctx.topics) ctx.topics.subscribe(EVENT_SUFFIX, (_suffix, payload) => this.onEventCopy(payload));
    else this.publishHeld = false;
    await this.inbox.resume();
    if (ctx.mqtt.connected) this.republishSoon();

    this.lifecycle = new ModemLifecycle(
      {
        path: c.port,
        baud: c.baud,
        pin: c.sim_pin || undefined,
        smsc: c.smsc || undefined,
        storage: c.storage || undefined,
        commandTimeoutMs: c.command_timeout_seconds * 1000,
        sendTimeoutMs: c.send_timeout_seconds * 1000,
        watchdogMs: c.watchdog_seconds * 1000,
        reopenInitialMs: Math.min(2000, c.watchdog_seconds * 1000),
        reopenMaxMs: 60_000,
        resetAfterFailures: 3,
      },
      this.transport,
      {
        onReady: (modem, report) => this.onReady(modem, report.info),
        onDown: (reason) => this.onDown(reason),
        onUrc: (u) => this.onUrc(u),
      },
      ctx.log.child('modem'),
    );
    this.lifecycle.start();
  }

  async stop(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    this.ctx.timers.clear(this.poller);
    await this.lifecycle?.stop();
    this.outbox?.close();
    this.inbox?.close();
    this.ctx.entities.setAvailability(DEVICE_ID, false);
  }

  private declare(info?: Modem['info']): void {
    this.ctx.entities.declare(smsDeclaration(this.t, info, (payload) => this.onNotify(payload)));
  }

  private async onReady(modem: Modem, info: Modem['info']): Promise<void> {
    this.modem = modem;
    this.declare(info);
    this.ctx.entities.setAvailability(DEVICE_ID, true);
    this.ctx.setStatus('ok');
    this.ctx.entities.update(DEVICE_ID, { sim: 'ready' });
    this.outbox?.attach(modem);
    this.ctx.timers.clear(this.poller);
    this.poller = this.ctx.timers.setInterval(() => this.poll(), this.ctx.config.poll_seconds * 1000);
    await this.poll();
  }

  private onDown(reason: string): void {
    this.modem = undefined;
    this.outbox?.attach(undefined);
    this.ctx.entities.setAvailability(DEVICE_ID, false);
    this.ctx.setStatus('degraded', reason);
    const sim = /PIN/.test(reason)
      ? 'pin_required'
      : /PUK/.test(reason)
        ? 'puk_required'
        : /no SIM/.test(reason)
          ? 'absent'
          : undefined;
    if (sim) this.ctx.entities.update(DEVICE_ID, { sim });
  }

  /** Sweep (AT+CMGL) and status read. */
  private async poll(): Promise<void> {
    const modem = this.modem;
    if (!modem || this.sweeping) return;
    this.sweeping = true;
    try {
      for (const s of sweepOrder(await modem.listAll(), this.reading))
        await this.inbox?.handle(s.pdu, s.index);
      const st = await modem.status();
      this.ctx.entities.update(DEVICE_ID, {
        signal: st.signalPct,
        signal_dbm: st.signalDbm,
        registration: st.registration,
        operator: st.operator,
        storage_used: st.storageUsed,
        storage_total: st.storageTotal,
        storage_attributes: { total: st.storageTotal, memory: modem.storage },
      });
    } catch (err) {
      this.ctx.log.debug(() => `poll: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.sweeping = false;
    }
  }

  private onUrc(u: Urc): void {
    if (u.name === '+CMTI' || u.name === '+CDSI') {
      const index = Number(splitArgs(u.line.slice(u.name.length + 1))[1]);
      const modem = this.modem;
      if (!modem || !Number.isFinite(index)) return;
      this.reading.set(index, (this.reading.get(index) ?? 0) + 1);
      void modem
        .read(index)
        .then((s) => (s ? this.inbox?.handle(s.pdu, index) : undefined))
        .catch((err) => this.ctx.log.warn(() => `reading message ${index} failed, the sweep will retry`, err))
        .finally(() => {
          const n = (this.reading.get(index) ?? 1) - 1;
          if (n > 0) this.reading.set(index, n);
          else this.reading.delete(index);
        });
    } else if ((u.name === '+CMT' || u.name === '+CDS') && u.body) {
      void this.inbox?.handle(u.body);
    } else if (u.name === 'UNDER-VOLTAGE' || u.name === 'OVER-VOLTAGE' || u.line.includes('VOLTAGE')) {
      this.ctx.log.warn(() => `modem: ${u.line} (check its power supply)`);
    }
  }

  /** After a (re)connection: the broker's copy of the last event first, then the rest. */
  private republishSoon(): void {
    this.ctx.timers.clear(this.republishTimer);
    this.republishTimer = this.ctx.timers.setTimeout(() => {
      this.publishHeld = false;
      return this.inbox?.republishPending();
    }, SETTLE_MS);
  }

  /** The broker's (retained or echoed) copy of a message event: that message is there. */
  private async onEventCopy(payload: Buffer): Promise<void> {
    let id: unknown;
    try {
      id = (JSON.parse(payload.toString('utf8')) as { id?: unknown }).id;
    } catch {
      return;
    }
    if (typeof id !== 'string') return;
    await this.inbox?.confirmedByBroker(id, 'event');
    // The broker answers again (a thaw without reconnection): the held rest can go.
    if (this.publishHeld && this.ctx.mqtt.connected) this.republishSoon();
  }

  /** Reads the slot back first: deleting by index alone could delete a newer message. */
  private async deleteStored(index: number, key: string): Promise<void> {
    const modem = this.modem;
    if (!modem) return;
    try {
      const stored = await modem.read(index);
      if (!stored || pduKey(stored.pdu) !== key) {
        this.ctx.log.debug(() => `slot ${index} holds another message now: kept`);
        return;
      }
      await modem.delete(index);
    } catch (err) {
      this.ctx.log.debug(() => `deleting slot ${index}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Runs the command of a message (the clear text, in memory only) and queues its reply. */
  private async classify(m: InMessage) {
    const outcome = (await this.commands?.handle(
      m.from,
      m.clear ?? m.text,
      m.fromKind,
      m.clear === undefined,
    )) ?? { kind: 'received' as const };
    // Only an identified sender gets a reply (the command processor gives none otherwise); it
    // goes to the number as E.164, ahead of bulk messages, outside the recipients policy.
    if ('reply' in outcome && outcome.reply && m.fromKind === 'number')
      await this.outbox?.enqueue({
        to: [normalizeNumber(m.from, this.ctx.config.default_country)],
        text: outcome.reply,
        origin: 'command',
        urgent: true,
      });
    return outcome;
  }

  /**
   * One channel of a received message; resolves on the broker's PUBACK (event, notification),
   * so that the inbox journals it as published, then deletes it from the SIM. `m.text` is the
   * redacted text: the PIN of a command is never published.
   */
  private async publish(m: InMessage, channel: PublishChannel): Promise<void> {
    const o = m.outcome ?? { kind: 'received' as const };
    const user = 'user' in o && o.user ? o.user : null;
    const base = { id: m.id, from: m.from, text: m.text, timestamp: m.timestamp, incomplete: m.incomplete };
    const extra =
      o.kind === 'command'
        ? { keyword: o.keyword, ok: o.ok, result: o.message }
        : o.kind === 'rejected'
          ? { keyword: o.keyword, reason: o.reason }
          : {};
    if (channel !== 'bus' && (this.publishHeld || !this.ctx.mqtt.connected))
      throw new Error('held until the broker is back and its copy was read');
    try {
      if (channel === 'event') {
        const attributes = { ...base, ...(user ? { user } : {}), ...extra };
        if (this.ctx.topics)
          await this.ctx.topics.publish(EVENT_SUFFIX, JSON.stringify({ ...attributes, event_type: o.kind }), {
            retain: true,
          });
        else await this.ctx.entities.emitEvent(DEVICE_ID, 'message', o.kind, attributes);
      } else if (channel === 'notify')
        // The contract of docs/rpc.md; the message id makes a twice-delivered notification one event.
        await this.ctx.rpc.notify('sms_received', {
          event_id: m.id,
          from: m.from,
          user,
          text: m.text,
          time: m.timestamp,
          incomplete: m.incomplete,
          command: o.kind === 'received' ? null : { kind: o.kind, ...extra },
        });
    } catch (err) {
      // In doubt (it may have reached the broker): nothing more until the copy is read back.
      if (channel !== 'bus' && !this.publishHeld) {
        this.publishHeld = true;
        // Normally a reconnection (or the event's echo) releases it; this is the fallback
        // for a connection that stayed up, after mqtt.js's keepalive would have dropped it.
        this.ctx.timers.clear(this.heldFallback);
        this.heldFallback = this.ctx.timers.setTimeout(() => {
          if (this.publishHeld && this.ctx.mqtt.connected) this.republishSoon();
        }, 60_000);
      }
      throw err;
    }
    if (channel !== 'bus') return;
    this.ctx.bus.emit('smsReceived', {
      from: m.from,
      text: m.text,
      timestamp: m.timestamp,
      incomplete: m.incomplete,
      ...(o.kind === 'received'
        ? {}
        : {
            command: {
              keyword: o.keyword,
              kind: o.kind,
              user,
              ...(o.kind === 'rejected' ? { reason: o.reason } : {}),
            },
          }),
    });
  }

  /**
   * The one way a request becomes queued messages: the policy first (recipients, count,
   * length, daily quota), then the journal. A refusal queues nothing; it is logged and
   * published as an `outgoing` event `refused`, and the RPC caller gets it as error 6.
   */
  private async send(
    req: { to: string[]; text: string; flash?: boolean; urgent?: boolean },
    origin: string,
  ): Promise<
    { ok: true; messages: Array<OutMessage & { user: string | null }> } | { ok: false; message: string }
  > {
    const policy = this.policy as SendPolicy;
    const verdict = await policy.check(req.to, req.text, origin);
    if (!verdict.ok) {
      this.ctx.log.warn(() => `SMS from ${origin} refused: ${verdict.message}`);
      this.ctx.entities.emitEvent(DEVICE_ID, 'outgoing', 'refused', {
        status: 'refused',
        origin,
        recipients: req.to.length,
        error: verdict.message,
      });
      return verdict;
    }
    const outbox = this.outbox as Outbox;
    const messages = await outbox.enqueue({
      to: verdict.recipients.map((r) => r.number),
      text: req.text,
      flash: req.flash,
      origin,
      urgent: req.urgent,
    });
    return {
      ok: true,
      messages: messages.map((m, i) => Object.assign(m, { user: verdict.recipients[i]?.user ?? null })),
    };
  }

  private onOutStatus(m: OutMessage): void {
    this.ctx.entities.emitEvent(DEVICE_ID, 'outgoing', m.status, {
      id: m.id,
      to: m.to,
      status: m.status,
      parts: m.total,
      references: m.parts.map((p) => p.mr ?? null),
      ...(m.error ? { error: m.error } : {}),
      origin: m.origin,
    });
    this.updateCounters();
    for (const w of this.waiters) w();
  }

  private updateCounters(): void {
    const o = this.outbox;
    if (!o) return;
    this.ctx.entities.update(DEVICE_ID, {
      outbox: o.pendingCount,
      sent: o.counters.sent,
      failed: o.counters.failed,
    });
  }

  /** HA notify.send_message publishes the plain text; a JSON object {to, text, flash} is also accepted. */
  private onNotify(payload: string): void {
    let req: { to: string[]; text: string; flash?: boolean } | undefined;
    const trimmed = payload.trim();
    if (trimmed.startsWith('{')) {
      try {
        const j = JSON.parse(trimmed) as Record<string, unknown>;
        if (typeof j.text === 'string') {
          const to =
            typeof j.to === 'string'
              ? [j.to]
              : Array.isArray(j.to)
                ? j.to.filter((x) => typeof x === 'string')
                : [];
          req = {
            to: to.length ? to : this.ctx.config.default_recipients,
            text: j.text,
            flash: j.flash === true,
          };
        }
      } catch {
        // not JSON: a plain message that starts with "{"
      }
    }
    req ??= { to: this.ctx.config.default_recipients, text: payload };
    if (!req.to.length) {
      this.ctx.log.warn(() => this.t('no_recipients'));
      return;
    }
    if (!req.text) return;
    this.send(req, 'mqtt').catch((err) => this.ctx.log.error('queuing the notify message failed', err));
  }

  private readonly waiters = new Set<() => void>();

  /** RPC send_sms {to, text, flash?, wait_seconds?} → per-recipient status. */
  private async rpcSend(p: Record<string, unknown>): Promise<unknown> {
    const to =
      typeof p.to === 'string'
        ? [p.to]
        : Array.isArray(p.to)
          ? p.to.filter((x): x is string => typeof x === 'string')
          : [];
    const recipients = to.length ? to : this.ctx.config.default_recipients;
    if (!recipients.length) throw new RpcError(RpcErrorCode.INVALID_PARAMS, this.t('no_recipients'));
    if (typeof p.text !== 'string' || !p.text)
      throw new RpcError(RpcErrorCode.INVALID_PARAMS, this.t('empty_text'));
    const sent = await this.send({ to: recipients, text: p.text, flash: p.flash === true }, 'rpc');
    if (!sent.ok) throw new RpcError(RpcErrorCode.REFUSED, sent.message);
    const msgs = sent.messages;
    const waitMs = Math.min(120, Math.max(0, Number(p.wait_seconds ?? 30))) * 1000;
    const settled = () => msgs.every((m) => m.status !== 'queued' && m.status !== 'sending');
    if (waitMs > 0 && !settled()) {
      await new Promise<void>((resolve) => {
        const done = () => {
          if (!settled()) return;
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(() => {
          this.waiters.delete(done);
          resolve();
        }, waitMs);
        this.waiters.add(done);
      });
    }
    return {
      results: msgs.map((m) => ({
        number: m.to,
        user: m.user,
        id: m.id,
        status: m.status,
        parts: m.total,
        references: m.parts.map((x) => x.mr ?? null),
        ...(m.error ? { error: m.error } : {}),
      })),
    };
  }

  /** For tests and diagnostics. */
  get modemLifecycle(): ModemLifecycle | undefined {
    return this.lifecycle;
  }
}

/**
 * What a sweep handles, and in which order. One sender's SMS must be handled in the order they
 * were sent (a command is never checked before the one sent before it: a right PIN after wrong
 * ones meets the lockout), but a listing is in slot order, and a slot freed a moment before
 * holds the newest SMS. Slots whose +CMTI read is queued are left to those reads, which come in
 * the order the modem announced them; the rest go in the order the service centre stamped
 * them (to the second), then by slot. SMS stamped within the same second keep slot order.
 */
export function sweepOrder(listed: StoredPdu[], reading: ReadonlyMap<number, number>): StoredPdu[] {
  const at = (s: StoredPdu) => {
    const d = decodePdu(s.pdu);
    const t = d.ok && d.value.timestamp ? Date.parse(d.value.timestamp) : Number.NaN;
    return Number.isFinite(t) ? t : Number.POSITIVE_INFINITY;
  };
  return listed
    .filter((s) => !reading.has(s.index))
    .map((s) => ({ s, t: at(s) }))
    .sort((a, b) => (a.t === b.t ? a.s.index - b.s.index : a.t < b.t ? -1 : 1))
    .map((x) => x.s);
}
