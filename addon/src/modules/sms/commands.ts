/**
 * SMS commands: "<keyword> [PIN]" from an authorised sender runs a configured action (an
 * action another module offers on the bus, such as alarm.arm_away, or an HA service call).
 * The SMS is data: only the first word selects a configured entry and the second is compared
 * with the PIN; nothing of it is evaluated, interpolated or passed to the action. Wrong PINs
 * lock the sender out for a while, commands are rate-limited per sender, and lockouts survive
 * restarts (state file).
 *
 * Who may command: a sender whose address is a real phone number (international or national
 * type of number, never an alphanumeric name a bulk-SMS service lets anyone choose; a short
 * code only when listed as written) that belongs to an enabled user — through
 * `users.identify_phone` when the users module offers it, else `authorized_senders`. Unknown,
 * locked-out and rate-limited senders get no reply: a spoofed number must not make the
 * gateway text its owner.
 */
import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ActionContext } from '../../core/bus.js';
import type { ModuleBus } from '../../core/context.js';
import type { Translate } from '../../core/i18n.js';
import type { Logger } from '../../core/logger.js';
import type { StateFile } from '../../core/store.js';
import type { HaClient } from '../../ha/websocket.js';
import { normalizeNumber, type SenderKind } from './phone.js';

export interface KeywordConfig {
  keyword: string;
  action: string;
  service: string;
  data: Record<string, unknown>;
  require_pin: boolean;
}

export interface CommandsConfig {
  enabled: boolean;
  authorized_senders: string[];
  pin: string;
  keywords: KeywordConfig[];
  max_pin_failures: number;
  lockout_minutes: number;
  max_per_hour: number;
  reply: boolean;
  /** Seconds an action or service call may take before the command answers "timed out". */
  action_timeout_seconds: number;
}

/** Why a command was refused (the `reason` of a `rejected` message event). */
export type RejectReason =
  | 'unknown_sender'
  | 'wrong_pin'
  | 'locked_out'
  | 'rate_limited'
  /** The service stopped between reception and classification: the PIN is never stored. */
  | 'interrupted';

export type Outcome =
  | { kind: 'received' }
  | { kind: 'command'; keyword: string; ok: boolean; message: string; reply?: string; user?: string }
  | { kind: 'rejected'; keyword: string; reason: RejectReason; reply?: string; user?: string };

/** The sender as the users registry knows it (or the config fallback: no user name). */
interface Identity {
  user?: string;
}

/** What `users.identify_phone` answers in `data`. */
interface IdentifiedUser {
  username: string;
  rights: string[];
  enabled: boolean;
  lang?: string;
}

export const IDENTIFY_PHONE = 'users.identify_phone';
export const VERIFY_PIN = 'users.verify_pin';

/**
 * "Alon 4321" → "Alon ***": what may be published or journaled of a command. Everything after
 * a keyword is masked (the PIN, and anything a person typed after it); other texts are kept.
 */
export function redactCommandText(text: string, keywords: readonly string[]): string {
  const m = /^(\s*)(\S+)(\s+)\S[\s\S]*$/.exec(text);
  if (!m) return text;
  const first = fold(m[2] as string);
  if (!keywords.some((k) => fold(k) === first)) return text;
  return `${m[1]}${m[2]}${m[3]}***`;
}

/** The state file's shape (a corrupt one is reported and kept aside by the store). */
export function isSenderStates(v: unknown): v is Record<string, SenderState> {
  return (
    !!v &&
    typeof v === 'object' &&
    Object.values(v).every(
      (s) =>
        !!s &&
        typeof s === 'object' &&
        typeof (s as SenderState).failures === 'number' &&
        typeof (s as SenderState).lockedUntil === 'number' &&
        Array.isArray((s as SenderState).recent),
    )
  );
}

export interface SenderState {
  failures: number;
  lockedUntil: number;
  recent: number[];
}

/** Case- and accent-insensitive form of a word. */
export function fold(word: string): string {
  return word
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface CommandDeps {
  bus: Pick<ModuleBus, 'hasAction' | 'callAction'>;
  ha: HaClient | undefined;
  log: Logger;
  t: Translate;
  defaultCountry: string;
  /** Lockouts and recent commands per sender (ctx.store state file, kept across restarts). */
  state: StateFile<Record<string, SenderState>>;
  now?: () => number;
}

export class CommandProcessor {
  private readonly senders = new Map<string, SenderState>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly authorised: Set<string>;
  /** Listed senders that are short codes or names, compared as written. */
  private readonly shortCodes: Set<string>;
  private readonly warned = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly cfg: CommandsConfig,
    private readonly d: CommandDeps,
  ) {
    this.now = d.now ?? Date.now;
    this.authorised = new Set(cfg.authorized_senders.map((n) => normalizeNumber(n, d.defaultCountry)));
    this.shortCodes = new Set(cfg.authorized_senders.map((n) => n.trim()));
  }

  /** Reads the lockouts back (a file of the first release, a bare object, is taken over). */
  async load(): Promise<void> {
    try {
      const raw = JSON.parse(await readFile(this.d.state.path, 'utf8')) as Record<string, unknown>;
      if (raw && typeof raw === 'object' && !('version' in raw))
        await this.d.state.save(raw as Record<string, SenderState>);
    } catch {
      // missing or not JSON: the store says which
    }
    const r = await this.d.state.load();
    if (r.status === 'ok') for (const [k, v] of Object.entries(r.value)) this.senders.set(k, v);
    else if (r.status === 'corrupt')
      this.d.log.warn(() => `command state unreadable (${r.reason}), starting afresh`);
  }

  /** Written (atomically, fsynced) before the command's outcome is known to anyone. */
  private save(): Promise<void> {
    return this.d.state.save(Object.fromEntries(this.senders));
  }

  private state(sender: string): SenderState {
    let s = this.senders.get(sender);
    if (!s) {
      s = { failures: 0, lockedUntil: 0, recent: [] };
      this.senders.set(sender, s);
    }
    return s;
  }

  isAuthorised(from: string): boolean {
    return this.authorised.has(normalizeNumber(from, this.d.defaultCountry));
  }

  /** The published and journaled form of a text (see redactCommandText). */
  redact(text: string): string {
    return this.cfg.enabled
      ? redactCommandText(
          text,
          this.cfg.keywords.map((k) => k.keyword),
        )
      : text;
  }

  /** Matches a configured keyword; undefined for an ordinary message. */
  match(text: string): KeywordConfig | undefined {
    if (!this.cfg.enabled) return undefined;
    const first = text.trim().split(/\s+/)[0] ?? '';
    if (!first) return undefined;
    const f = fold(first);
    return this.cfg.keywords.find((k) => fold(k.keyword) === f);
  }

  /**
   * Who the sender is, or undefined when it may not command. A name or a short code is never
   * looked up as a number; a short code passes only if listed exactly as written.
   */
  private async identify(from: string, kind: SenderKind): Promise<Identity | undefined> {
    if (kind === 'alphanumeric') return undefined;
    if (kind === 'short') return this.shortCodes.has(from.trim()) ? {} : undefined;
    if (this.d.bus.hasAction(IDENTIFY_PHONE)) {
      const r = await this.d.bus.callAction(IDENTIFY_PHONE, { number: from }, { origin: `sms:${from}` });
      const u = r.ok ? (r.data as IdentifiedUser | undefined) : undefined;
      if (u?.username && u.enabled) return { user: u.username };
      // The registry is the authority when offered; the config list still works beside it.
    }
    return this.isAuthorised(from) ? {} : undefined;
  }

  /** PIN check: the user's own PIN through `users.verify_pin`, else the configured one. */
  private async checkPin(
    given: string,
    id: Identity,
    from: string,
  ): Promise<{ ok: boolean; duress?: boolean }> {
    if (id.user && this.d.bus.hasAction(VERIFY_PIN)) {
      const r = await this.d.bus.callAction(
        VERIFY_PIN,
        { username: id.user, pin: given },
        { origin: `sms:${from}`, user: id.user },
      );
      if (r.ok) return { ok: true, duress: (r.data as { duress?: boolean } | undefined)?.duress === true };
      return { ok: false };
    }
    return { ok: !!this.cfg.pin && sameSecret(given, this.cfg.pin) };
  }

  /**
   * `kind` is what the PDU's type of address says the sender is; `pinLost` marks a text read
   * back from the journal, where the PIN was never written.
   */
  handle(fromRaw: string, text: string, kind: SenderKind = 'number', pinLost = false): Promise<Outcome> {
    // One sender's commands run one after the other: the PIN check is asynchronous (the users
    // module hashes), and concurrent checks would let an SMS through before the wrong PIN that
    // arrived with it locked the sender out.
    const key = fromRaw.trim();
    const prev = this.chains.get(key) ?? Promise.resolve();
    const run = prev.then(() => this.handleOne(fromRaw, text, kind, pinLost));
    const tail = run.catch(() => {});
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return run;
  }

  private async handleOne(
    fromRaw: string,
    text: string,
    kind: SenderKind = 'number',
    pinLost = false,
  ): Promise<Outcome> {
    const kw = this.match(text);
    if (!kw) return { kind: 'received' };
    const from = kind === 'number' ? normalizeNumber(fromRaw, this.d.defaultCountry) : fromRaw.trim();
    const { t } = this.d;
    const id = await this.identify(from, kind);
    if (!id) {
      this.warnOnce(
        from,
        () => `command "${kw.keyword}" from unauthorised sender ${from} (${kind}) rejected`,
      );
      return { kind: 'rejected', keyword: kw.keyword, reason: 'unknown_sender' };
    }
    const user = id.user ? { user: id.user } : {};
    const s = this.state(from);
    const now = this.now();
    const reply = (r: string | undefined) => (this.cfg.reply ? r : undefined);
    if (s.lockedUntil > now) {
      this.warnOnce(from, () => `command from locked-out sender ${from} rejected`);
      return { kind: 'rejected', keyword: kw.keyword, reason: 'locked_out', ...user };
    }
    s.recent = s.recent.filter((x) => x > now - 3_600_000);
    if (s.recent.length >= this.cfg.max_per_hour) {
      await this.save();
      this.warnOnce(from, () => `commands from ${from} over ${this.cfg.max_per_hour} per hour rejected`);
      return { kind: 'rejected', keyword: kw.keyword, reason: 'rate_limited', ...user };
    }
    if (kw.require_pin && pinLost)
      return {
        kind: 'rejected',
        keyword: kw.keyword,
        reason: 'interrupted',
        reply: reply(t('interrupted')),
        ...user,
      };
    s.recent.push(now);
    let duress: boolean | undefined;
    if (kw.require_pin) {
      const given = text.trim().split(/\s+/)[1] ?? '';
      const pin = await this.checkPin(given, id, from);
      if (!pin.ok) {
        s.failures++;
        let r: string;
        if (s.failures >= this.cfg.max_pin_failures) {
          s.lockedUntil = now + this.cfg.lockout_minutes * 60_000;
          s.failures = 0;
          r = t('locked', { minutes: this.cfg.lockout_minutes });
          this.d.log.warn(() => `sender ${from} locked out after wrong PINs`);
        } else r = t('wrong_pin', { left: this.cfg.max_pin_failures - s.failures });
        await this.save();
        return { kind: 'rejected', keyword: kw.keyword, reason: 'wrong_pin', reply: reply(r), ...user };
      }
      s.failures = 0;
      duress = pin.duress;
    }
    await this.save();
    const ctx: ActionContext & { channel: 'sms'; duress?: boolean } = {
      origin: `sms:${from}`,
      channel: 'sms',
      ...user,
      ...(duress !== undefined ? { duress } : {}),
    };
    const result = await this.withTimeout(kw, this.execute(kw, ctx));
    return {
      kind: 'command',
      keyword: kw.keyword,
      ok: result.ok,
      message: result.message,
      reply: reply(t(result.ok ? 'reply_ok' : 'reply_fail', { message: result.message })),
      ...user,
    };
  }

  /** A hung service call answers "timed out" instead of holding the command for ever. */
  private withTimeout(
    kw: KeywordConfig,
    run: Promise<{ ok: boolean; message: string }>,
  ): Promise<{ ok: boolean; message: string }> {
    const ms = this.cfg.action_timeout_seconds * 1000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<{ ok: boolean; message: string }>((resolve) => {
      timer = setTimeout(() => {
        this.d.log.warn(() => `command "${kw.keyword}": no result after ${ms} ms`);
        resolve({
          ok: false,
          message: this.d.t('action_timeout', { seconds: this.cfg.action_timeout_seconds }),
        });
      }, ms);
    });
    return Promise.race([run, late]).finally(() => clearTimeout(timer));
  }

  /** Refusals are logged at most once per sender and 10 minutes (a flood must not flood the log). */
  private warnOnce(from: string, msg: () => string): void {
    const now = this.now();
    if ((this.warned.get(from) ?? 0) > now - 600_000) return;
    this.warned.set(from, now);
    this.d.log.warn(msg);
  }

  private async execute(kw: KeywordConfig, ctx: ActionContext): Promise<{ ok: boolean; message: string }> {
    const { t } = this.d;
    if (kw.action) {
      if (!this.d.bus.hasAction(kw.action))
        return { ok: false, message: t('action_missing', { action: kw.action }) };
      const r = await this.d.bus.callAction(kw.action, { ...kw.data }, ctx);
      return { ok: r.ok, message: r.message };
    }
    if (kw.service) {
      const [domain, service] = kw.service.split('.', 2);
      if (!this.d.ha) return { ok: false, message: t('ha_missing') };
      try {
        await this.d.ha.callService(domain as string, service as string, { ...kw.data });
        return { ok: true, message: `${kw.service} ${t('done')}` };
      } catch (err) {
        return { ok: false, message: err instanceof Error ? err.message : String(err) };
      }
    }
    return { ok: false, message: `${kw.keyword}: no action configured` };
  }
}
