/**
 * Who may be sent an SMS, how many and how long: every request (RPC, the notify entity and its
 * JSON, other modules on the bus) passes here before anything is journaled. Anyone who can
 * publish on the broker could otherwise make the modem text premium numbers for hours.
 *
 * A recipient is allowed when it is one of `default_recipients`, matches `allowed_recipients`
 * (E.164 patterns, `*` for any digits: `+336*`), or is the phone of an enabled user
 * (`users.identify_phone`, when the users module offers it) — or when the configuration says
 * `allow_any_recipient: true`, knowingly. A request is refused whole, with one clear message,
 * when any recipient is not allowed, when it has too many recipients or too long a text, or
 * when its origin has used its daily quota: nothing of it is queued.
 */
import type { ModuleBus } from '../../core/context.js';
import type { Translate } from '../../core/i18n.js';
import { IDENTIFY_PHONE } from './commands.js';
import { callingCode, normalizeNumber } from './phone.js';

export interface SendPolicyConfig {
  allowedRecipients: string[];
  allowAnyRecipient: boolean;
  defaultRecipients: string[];
  maxRecipients: number;
  maxTextLength: number;
  dailyQuota: number;
  defaultCountry: string;
}

export interface PolicyDeps {
  bus: Pick<ModuleBus, 'hasAction' | 'callAction'>;
  t: Translate;
  /** Messages (one per recipient) accepted from this origin in the last 24 hours. */
  acceptedToday(origin: string): number;
}

export interface Recipient {
  number: string;
  user: string | null;
}

export type PolicyResult = { ok: true; recipients: Recipient[] } | { ok: false; message: string };

/** The users module's look-up of user names → phones (`{usernames}` → `{recipients}`). */
const USER_RECIPIENTS = 'users.recipients';

/** Digits, spaces and the usual separators, optionally a leading + : a number, not a user name. */
const NUMBER_LIKE = /^\+?[\d\s.()/-]+$/;

export class SendPolicy {
  private readonly patterns: RegExp[];
  private readonly defaults: Set<string>;

  constructor(
    private readonly cfg: SendPolicyConfig,
    private readonly d: PolicyDeps,
  ) {
    this.patterns = cfg.allowedRecipients.map((p) => patternToRegExp(p, cfg.defaultCountry));
    this.defaults = new Set(cfg.defaultRecipients.map((n) => normalizeNumber(n, cfg.defaultCountry)));
  }

  async check(to: readonly string[], text: string, origin: string): Promise<PolicyResult> {
    const { t } = this.d;
    if (to.length > this.cfg.maxRecipients)
      return {
        ok: false,
        message: t('too_many_recipients', { count: to.length, max: this.cfg.maxRecipients }),
      };
    if ([...text].length > this.cfg.maxTextLength)
      return {
        ok: false,
        message: t('text_too_long', { length: [...text].length, max: this.cfg.maxTextLength }),
      };
    const recipients: Recipient[] = [];
    for (const raw of to) {
      const r = NUMBER_LIKE.test(raw.trim())
        ? await this.resolve(raw, origin)
        : await this.phonesOf(raw, origin);
      if (!r || (Array.isArray(r) && r.length === 0))
        return { ok: false, message: t('recipient_refused', { to: raw }) };
      recipients.push(...(Array.isArray(r) ? r : [r]));
    }
    if (recipients.length > this.cfg.maxRecipients)
      return {
        ok: false,
        message: t('too_many_recipients', { count: recipients.length, max: this.cfg.maxRecipients }),
      };
    const used = this.d.acceptedToday(origin);
    if (used + recipients.length > this.cfg.dailyQuota)
      return { ok: false, message: t('quota_exceeded', { origin, quota: this.cfg.dailyQuota }) };
    return { ok: true, recipients };
  }

  /**
   * A user name → that enabled user's phones, through the users module's `users.recipients`
   * when it runs (a user's phones are allowed recipients); nothing otherwise.
   */
  private async phonesOf(name: string, origin: string): Promise<Recipient[]> {
    if (!this.d.bus.hasAction(USER_RECIPIENTS)) return [];
    const r = await this.d.bus.callAction(USER_RECIPIENTS, { usernames: [name.trim()] }, { origin });
    const list = r.ok
      ? (r.data as { recipients?: Array<{ username?: unknown; phone?: unknown }> })?.recipients
      : [];
    return (list ?? []).flatMap((x) =>
      typeof x.phone === 'string' && typeof x.username === 'string'
        ? [{ number: normalizeNumber(x.phone, this.cfg.defaultCountry), user: x.username }]
        : [],
    );
  }

  /** A number → an allowed recipient, or undefined. */
  private async resolve(raw: string, origin: string): Promise<Recipient | undefined> {
    const number = normalizeNumber(raw, this.cfg.defaultCountry);
    if (!/^\+\d{6,15}$/.test(number) && !this.cfg.allowAnyRecipient && !this.listed(number)) return undefined;
    const user = await this.userOf(number, origin);
    if (user) return { number, user };
    if (this.cfg.allowAnyRecipient || this.defaults.has(number) || this.listed(number))
      return { number, user: null };
    return undefined;
  }

  private listed(number: string): boolean {
    return this.patterns.some((p) => p.test(number));
  }

  private async userOf(number: string, origin: string): Promise<string | undefined> {
    if (!this.d.bus.hasAction(IDENTIFY_PHONE)) return undefined;
    const r = await this.d.bus.callAction(IDENTIFY_PHONE, { number }, { origin });
    const u = r.ok ? (r.data as { username?: string; enabled?: boolean } | undefined) : undefined;
    return u?.username && u.enabled ? u.username : undefined;
  }
}

/**
 * `+336*`, `06*`, `+33612345678` → a whole-string pattern on E.164 numbers. A national prefix
 * is written as the user would (`06*`) and compared in E.164 (`+336…`); `*` is any digits.
 */
export function patternToRegExp(pattern: string, defaultCountry: string): RegExp {
  let p = pattern.trim().replace(/[\s.()/-]/g, '');
  if (p.startsWith('00')) p = `+${p.slice(2)}`;
  else if (p.startsWith('0')) {
    const cc = callingCode(defaultCountry);
    if (cc) p = `+${cc}${p.slice(1)}`;
  }
  const body = p
    .split('*')
    .map((s) => s.replace(/[^+\d]/g, '').replace(/\+/g, '\\+'))
    .join('\\d*');
  return new RegExp(`^${body}$`);
}
