/**
 * SMS commands: "<keyword> [PIN]" from an authorised sender runs a configured action (an
 * action another module offers on the bus, such as alarm.arm_away, or an HA service call).
 * The SMS is data: only the first word selects a configured entry and the second is compared
 * with the PIN; nothing of it is evaluated, interpolated or passed to the action. Wrong PINs
 * lock the sender out for a while, commands are rate-limited per sender, and lockouts survive
 * restarts (state file).
 */
import { timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ModuleBus } from '../../core/context.js';
import type { Translate } from '../../core/i18n.js';
import type { Logger } from '../../core/logger.js';
import type { HaClient } from '../../ha/websocket.js';
import { normalizeNumber } from './phone.js';

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
}

export type Outcome =
  | { kind: 'received' }
  | { kind: 'command'; keyword: string; ok: boolean; message: string; reply?: string }
  | {
      kind: 'rejected';
      keyword: string;
      reason: 'unknown_sender' | 'wrong_pin' | 'locked_out' | 'rate_limited';
      reply?: string;
    };

interface SenderState {
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
  stateFile: string;
  now?: () => number;
}

export class CommandProcessor {
  private readonly senders = new Map<string, SenderState>();
  private readonly authorised: Set<string>;
  private readonly now: () => number;

  constructor(
    private readonly cfg: CommandsConfig,
    private readonly d: CommandDeps,
  ) {
    this.now = d.now ?? Date.now;
    this.authorised = new Set(cfg.authorized_senders.map((n) => normalizeNumber(n, d.defaultCountry)));
    if (existsSync(d.stateFile)) {
      try {
        const raw = JSON.parse(readFileSync(d.stateFile, 'utf8')) as Record<string, SenderState>;
        for (const [k, v] of Object.entries(raw)) this.senders.set(k, v);
      } catch {
        d.log.warn('command state file unreadable, starting afresh');
      }
    }
  }

  private save(): void {
    const tmp = `${this.d.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.senders)));
    renameSync(tmp, this.d.stateFile);
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

  /** Matches a configured keyword; undefined for an ordinary message. */
  match(text: string): KeywordConfig | undefined {
    if (!this.cfg.enabled) return undefined;
    const first = text.trim().split(/\s+/)[0] ?? '';
    if (!first) return undefined;
    const f = fold(first);
    return this.cfg.keywords.find((k) => fold(k.keyword) === f);
  }

  async handle(fromRaw: string, text: string): Promise<Outcome> {
    const kw = this.match(text);
    if (!kw) return { kind: 'received' };
    const from = normalizeNumber(fromRaw, this.d.defaultCountry);
    const { t } = this.d;
    if (!this.isAuthorised(from)) {
      this.d.log.warn(() => `command "${kw.keyword}" from unauthorised sender ${from} rejected`);
      return { kind: 'rejected', keyword: kw.keyword, reason: 'unknown_sender' };
    }
    const s = this.state(from);
    const now = this.now();
    const reply = (r: string | undefined) => (this.cfg.reply ? r : undefined);
    if (s.lockedUntil > now) {
      return {
        kind: 'rejected',
        keyword: kw.keyword,
        reason: 'locked_out',
        reply: reply(t('locked', { minutes: Math.ceil((s.lockedUntil - now) / 60_000) })),
      };
    }
    s.recent = s.recent.filter((x) => x > now - 3_600_000);
    if (s.recent.length >= this.cfg.max_per_hour) {
      this.save();
      return {
        kind: 'rejected',
        keyword: kw.keyword,
        reason: 'rate_limited',
        reply: reply(t('rate_limited')),
      };
    }
    s.recent.push(now);
    if (kw.require_pin) {
      const given = text.trim().split(/\s+/)[1] ?? '';
      if (!this.cfg.pin || !sameSecret(given, this.cfg.pin)) {
        s.failures++;
        let r: string;
        if (s.failures >= this.cfg.max_pin_failures) {
          s.lockedUntil = now + this.cfg.lockout_minutes * 60_000;
          s.failures = 0;
          r = t('locked', { minutes: this.cfg.lockout_minutes });
          this.d.log.warn(() => `sender ${from} locked out after wrong PINs`);
        } else r = t('wrong_pin', { left: this.cfg.max_pin_failures - s.failures });
        this.save();
        return { kind: 'rejected', keyword: kw.keyword, reason: 'wrong_pin', reply: reply(r) };
      }
      s.failures = 0;
    }
    this.save();
    const result = await this.execute(kw, from);
    return {
      kind: 'command',
      keyword: kw.keyword,
      ok: result.ok,
      message: result.message,
      reply: reply(t(result.ok ? 'reply_ok' : 'reply_fail', { message: result.message })),
    };
  }

  private async execute(kw: KeywordConfig, from: string): Promise<{ ok: boolean; message: string }> {
    const { t } = this.d;
    if (kw.action) {
      if (!this.d.bus.hasAction(kw.action))
        return { ok: false, message: t('action_missing', { action: kw.action }) };
      const r = await this.d.bus.callAction(kw.action, { ...kw.data }, { origin: `sms:${from}` });
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
