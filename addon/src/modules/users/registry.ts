/**
 * The user registry: names, PIN hashes, duress PIN hashes, phones (E.164), badge uids, rights,
 * enabled flag and validity window. One document, versioned, saved atomically after each
 * change and before the change is visible, so memory and disk never disagree. Operations run
 * one at a time (PIN hashing is asynchronous: two concurrent RPC calls must not both pass the
 * duplicate check). Errors carry a code and a translated message; none contains a PIN.
 */
import type { Translate } from '../../core/i18n.js';
import type { LoadResult, StateFile } from '../../core/store.js';
import { isValidNumber, normalizeNumber } from '../sms/phone.js';
import { normalizeBadge } from './badge.js';
import { hashPin, pinProblem, verifyPin } from './pin.js';

export const RIGHTS = ['arm', 'disarm', 'admin'] as const;
export type Right = (typeof RIGHTS)[number];

export interface StoredUser {
  username: string;
  pin_hash: string | null;
  duress_hash: string | null;
  phones: string[];
  badges: string[];
  rights: Right[];
  enabled: boolean;
  valid_from: string | null;
  valid_until: string | null;
  lang: 'fr' | 'en' | null;
}

/** The registry's value in its state file (the store adds the version and the time). */
export interface RegistryDoc {
  users: StoredUser[];
}

/** What list_users and every operation return: never PIN material. */
export interface PublicUser {
  username: string;
  phones: string[];
  badges: string[];
  rights: Right[];
  enabled: boolean;
  valid_from: string | null;
  valid_until: string | null;
  has_pin: boolean;
  has_duress_pin: boolean;
}

export type RegistryErrorCode =
  | 'duplicate'
  | 'unknown_user'
  | 'badge_owned'
  | 'phone_owned'
  | 'pin_too_short'
  | 'pin_too_long'
  | 'pin_not_digits'
  | 'duress_same'
  | 'invalid_username'
  | 'invalid_phone'
  | 'invalid_badge'
  | 'invalid_right'
  | 'invalid_date'
  | 'badge_not_owned';

export class RegistryError extends Error {
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const REGISTRY_VERSION = 1;

/** What was read is a registry (the store reports and keeps aside anything else). */
export function isRegistryDoc(raw: unknown): raw is RegistryDoc {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const users = (raw as { users?: unknown }).users;
  if (!Array.isArray(users)) return false;
  return users.every((u: Partial<StoredUser>) => {
    if (!u || typeof u.username !== 'string' || !Array.isArray(u.phones) || !Array.isArray(u.badges))
      return false;
    return Array.isArray(u.rights) && typeof u.enabled === 'boolean';
  });
}

export function publicUser(u: StoredUser): PublicUser {
  return {
    username: u.username,
    phones: [...u.phones],
    badges: [...u.badges],
    rights: [...u.rights],
    enabled: u.enabled,
    valid_from: u.valid_from,
    valid_until: u.valid_until,
    has_pin: u.pin_hash !== null,
    has_duress_pin: u.duress_hash !== null,
  };
}

const sameName = (a: string, b: string) =>
  a.normalize('NFC').toLowerCase() === b.normalize('NFC').toLowerCase();

export interface AddUserInput {
  username: unknown;
  uid?: unknown;
  pin?: unknown;
  duress_pin?: unknown;
  phones?: unknown;
  rights?: unknown;
  enabled?: unknown;
  valid_from?: unknown;
  valid_until?: unknown;
  lang?: unknown;
}

export interface RegistryOptions {
  minPinLength: number;
  defaultCountry: string;
  t: Translate;
  now?: () => number;
}

export type PinMatch = 'pin' | 'duress' | false;

export class UserRegistry {
  private doc: RegistryDoc = { users: [] };
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  constructor(
    private readonly store: StateFile<RegistryDoc>,
    private readonly o: RegistryOptions,
  ) {
    this.now = o.now ?? Date.now;
  }

  /** Reads the file; `missing` starts empty, `corrupt` (kept aside by the store) leaves the memory empty. */
  async load(): Promise<LoadResult<RegistryDoc>> {
    const r = await this.store.load();
    if (r.status === 'ok') this.doc = r.value;
    return r;
  }

  list(): PublicUser[] {
    return this.doc.users.map(publicUser);
  }

  get size(): number {
    return this.doc.users.length;
  }

  find(username: string): StoredUser | undefined {
    return this.doc.users.find((u) => sameName(u.username, username));
  }

  /** Enabled and within its validity window now. */
  isActive(u: StoredUser): boolean {
    if (!u.enabled) return false;
    const now = this.now();
    if (u.valid_from && Date.parse(u.valid_from) > now) return false;
    if (u.valid_until && Date.parse(u.valid_until) < now) return false;
    return true;
  }

  byPhone(number: string): StoredUser | undefined {
    const n = normalizeNumber(number, this.o.defaultCountry);
    return this.doc.users.find((u) => u.phones.includes(n));
  }

  byBadge(uid: string): StoredUser | undefined {
    const b = normalizeBadge(uid);
    return b.ok ? this.doc.users.find((u) => u.badges.includes(b.uid)) : undefined;
  }

  async checkPin(u: StoredUser, pin: string): Promise<PinMatch> {
    if (typeof pin !== 'string' || !pin) return false;
    // Both hashes are always computed so that the time does not tell a duress PIN apart.
    const [isPin, isDuress] = await Promise.all([
      u.pin_hash ? verifyPin(pin, u.pin_hash) : Promise.resolve(false),
      u.duress_hash ? verifyPin(pin, u.duress_hash) : Promise.resolve(false),
    ]);
    return isPin ? 'pin' : isDuress ? 'duress' : false;
  }

  /** The keypad gives a code without a name: the user whose PIN (or duress PIN) it is. */
  async byPin(pin: string): Promise<{ user: StoredUser; match: 'pin' | 'duress' } | undefined> {
    const users = this.doc.users.filter((u) => u.pin_hash || u.duress_hash);
    const matches = await Promise.all(users.map((u) => this.checkPin(u, pin)));
    const i = matches.findIndex((m) => m !== false);
    const user = users[i];
    return user ? { user, match: matches[i] as 'pin' | 'duress' } : undefined;
  }

  // ── Operations (serialised, persisted before they are visible) ───────────────────────────

  add(input: AddUserInput): Promise<PublicUser> {
    return this.serial(async () => {
      const username = this.validName(input.username);
      if (this.find(username)) throw this.err('duplicate', { username });
      const user: StoredUser = {
        username,
        pin_hash: null,
        duress_hash: null,
        phones: [],
        badges: [],
        rights: input.rights === undefined ? ['arm', 'disarm'] : this.validRights(input.rights),
        enabled: input.enabled === undefined ? true : Boolean(input.enabled),
        valid_from: this.validDate(input.valid_from),
        valid_until: this.validDate(input.valid_until),
        lang: input.lang === 'fr' || input.lang === 'en' ? input.lang : null,
      };
      if (input.phones !== undefined) user.phones = this.validPhones(input.phones, user);
      if (input.uid !== undefined && input.uid !== null && input.uid !== '')
        user.badges = [this.freeBadge(input.uid, user)];
      if (input.pin !== undefined) await this.applyPins(user, input.pin, input.duress_pin);
      await this.commit({ ...this.doc, users: [...this.doc.users, user] });
      return publicUser(user);
    });
  }

  remove(username: unknown): Promise<string> {
    return this.serial(async () => {
      const u = this.existing(username);
      await this.commit({ ...this.doc, users: this.doc.users.filter((x) => x !== u) });
      return u.username;
    });
  }

  rename(username: unknown, newUsername: unknown): Promise<PublicUser> {
    return this.serial(async () => {
      const u = this.existing(username);
      const name = this.validName(newUsername);
      const other = this.find(name);
      if (other && other !== u) throw this.err('duplicate', { username: name });
      return this.replace(u, { ...u, username: name });
    });
  }

  setPin(username: unknown, pin: unknown, duressPin?: unknown): Promise<PublicUser> {
    return this.serial(async () => {
      const u = this.existing(username);
      const next = { ...u };
      await this.applyPins(next, pin, duressPin);
      return this.replace(u, next);
    });
  }

  setPhones(username: unknown, phones: unknown): Promise<PublicUser> {
    return this.serial(async () => {
      const u = this.existing(username);
      return this.replace(u, { ...u, phones: this.validPhones(phones, u) });
    });
  }

  addBadge(username: unknown, uid: unknown): Promise<PublicUser> {
    return this.serial(async () => {
      const u = this.existing(username);
      const b = this.freeBadge(uid, u);
      return this.replace(u, { ...u, badges: u.badges.includes(b) ? u.badges : [...u.badges, b] });
    });
  }

  removeBadge(username: unknown, uid: unknown): Promise<PublicUser> {
    return this.serial(async () => {
      const u = this.existing(username);
      const b = normalizeBadge(uid);
      if (!b.ok) throw this.err('invalid_badge', { error: b.error });
      if (!u.badges.includes(b.uid)) throw this.err('badge_not_owned');
      return this.replace(u, { ...u, badges: u.badges.filter((x) => x !== b.uid) });
    });
  }

  setEnabled(username: unknown, enabled: boolean): Promise<PublicUser> {
    return this.serial(async () => {
      const u = this.existing(username);
      return this.replace(u, { ...u, enabled });
    });
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Saves first: if the disk refuses, the registry in memory stays as it was. */
  private async commit(doc: RegistryDoc): Promise<void> {
    await this.store.save(doc);
    this.doc = doc;
  }

  private async replace(old: StoredUser, next: StoredUser): Promise<PublicUser> {
    await this.commit({ ...this.doc, users: this.doc.users.map((x) => (x === old ? next : x)) });
    return publicUser(next);
  }

  private err(code: RegistryErrorCode, params?: Record<string, string | number>): RegistryError {
    return new RegistryError(code, this.o.t(code, params));
  }

  private existing(username: unknown): StoredUser {
    const u = typeof username === 'string' ? this.find(username.trim()) : undefined;
    if (!u) throw this.err('unknown_user', { username: String(username ?? '') });
    return u;
  }

  private validName(raw: unknown): string {
    const name = typeof raw === 'string' ? raw.trim().normalize('NFC') : '';
    if (!name || name.length > 64 || /[\u0000-\u001f\u007f]/.test(name)) throw this.err('invalid_username');
    return name;
  }

  private validRights(raw: unknown): Right[] {
    const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [];
    const out: Right[] = [];
    for (const r of list) {
      const s = String(r).trim();
      if (!(RIGHTS as readonly string[]).includes(s)) throw this.err('invalid_right', { right: s });
      if (!out.includes(s as Right)) out.push(s as Right);
    }
    return out;
  }

  private validDate(raw: unknown): string | null {
    if (raw === undefined || raw === null || raw === '') return null;
    if (typeof raw !== 'string' || Number.isNaN(Date.parse(raw)))
      throw this.err('invalid_date', { value: String(raw) });
    return new Date(raw).toISOString();
  }

  private validPhones(raw: unknown, owner: StoredUser): string[] {
    const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
    const out: string[] = [];
    for (const p of list) {
      // Valid by libphonenumber-js, as `config check` judges sms numbers: a digit short is refused.
      if (!isValidNumber(String(p), this.o.defaultCountry))
        throw this.err('invalid_phone', { phone: String(p) });
      const n = normalizeNumber(String(p), this.o.defaultCountry);
      if (!/^\+\d{6,15}$/.test(n)) throw this.err('invalid_phone', { phone: String(p) });
      const other = this.doc.users.find((u) => u.phones.includes(n));
      if (other && !sameName(other.username, owner.username)) throw this.err('phone_owned', { phone: n });
      if (!out.includes(n)) out.push(n);
    }
    return out;
  }

  private freeBadge(raw: unknown, owner: StoredUser): string {
    const b = normalizeBadge(raw);
    if (!b.ok) throw this.err('invalid_badge', { error: b.error });
    const other = this.doc.users.find((u) => u.badges.includes(b.uid));
    if (other && !sameName(other.username, owner.username)) throw this.err('badge_owned');
    return b.uid;
  }

  private async applyPins(user: StoredUser, pin: unknown, duress: unknown): Promise<void> {
    const problem = pinProblem(pin, this.o.minPinLength);
    if (problem) throw this.err(`pin_${problem}`, { min: this.o.minPinLength });
    if (duress !== undefined && duress !== null && duress !== '') {
      const dp = pinProblem(duress, this.o.minPinLength);
      if (dp) throw this.err(`pin_${dp}`, { min: this.o.minPinLength });
      if (duress === pin) throw this.err('duress_same');
      user.duress_hash = await hashPin(duress as string);
    }
    user.pin_hash = await hashPin(pin as string);
  }
}
