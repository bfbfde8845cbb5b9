/**
 * The users module: loads the registry, offers its operations as RPC methods (docs/rpc.md)
 * and its look-ups as bus actions for the alarm and SMS commands (docs/users.md), and
 * publishes the number of users. A registry that cannot be read stops the module with a
 * clear error and is never overwritten: without users nobody can disarm, which is the safe
 * side; the alarm keeps its own persisted state.
 */

import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import type { MonitorConfig } from '../../config/types.generated.js';
import type { ActionResult } from '../../core/bus.js';
import { translator } from '../../core/i18n.js';
import type { ModuleContext, MonitorModule } from '../../core/module.js';
import { diagnostic } from '../../entities/model.js';
import { RpcError, RpcErrorCode } from '../../mqtt/rpc.js';
import { openRegistry, registryFile } from './files.js';
import { dict } from './i18n.js';
import { RegistryError, type StoredUser, type UserRegistry } from './registry.js';

export type UsersConfig = NonNullable<MonitorConfig['users']>;

export const USERS_DEVICE = 'users';

export class UsersModule implements MonitorModule {
  private registry: UserRegistry | undefined;
  private readonly offs: Array<() => void> = [];
  private readonly t;

  constructor(private readonly ctx: ModuleContext<UsersConfig>) {
    this.t = translator(dict, ctx.lang);
  }

  async start(): Promise<void> {
    const { ctx } = this;
    const file = registryFile(ctx.store);
    const reg = openRegistry(file, {
      minPinLength: ctx.config.min_pin_length,
      defaultCountry: ctx.config.default_country,
      lang: ctx.lang,
    });
    const loaded = await reg.load();
    // A registry that could not be read is kept aside by the store: until someone restores
    // or deletes that copy, the module refuses to start rather than run with no user.
    const aside = readdirSync(ctx.dataDir).filter((n) => n.startsWith(`${basename(file.path)}.corrupt-`));
    if (loaded.status === 'corrupt' || aside.length)
      throw new Error(
        this.t('registry_corrupt', {
          path: file.path,
          error: loaded.status === 'corrupt' ? loaded.reason : 'found corrupt earlier',
          aside: loaded.status === 'corrupt' ? loaded.movedTo : aside.join(', '),
        }),
      );
    if (loaded.status === 'missing') ctx.log.info(() => `no registry at ${file.path} yet: no user`);
    this.registry = reg;
    ctx.entities.declare({
      device: { id: USERS_DEVICE, name: this.t('device'), manufacturer: 'Monitor', model: 'users' },
      entities: [
        diagnostic('count', this.t('count'), { icon: 'mdi:account-group', state_class: 'measurement' }),
      ],
    });
    ctx.entities.setAvailability(USERS_DEVICE, true);
    this.publishCount();
    this.registerRpc(reg);
    this.registerActions(reg);
  }

  async stop(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    if (this.registry) this.ctx.entities.setAvailability(USERS_DEVICE, false);
  }

  private publishCount(): void {
    this.ctx.entities.update(USERS_DEVICE, { count: this.registry?.size ?? 0 });
  }

  private registerRpc(reg: UserRegistry): void {
    const { rpc } = this.ctx;
    const op =
      (fn: (p: Record<string, unknown>) => Promise<unknown>) => async (p: Record<string, unknown>) => {
        try {
          const r = await fn(p);
          this.publishCount();
          return r;
        } catch (err) {
          if (err instanceof RegistryError) throw new RpcError(RpcErrorCode.INVALID_PARAMS, err.message);
          throw err;
        }
      };
    const methods: Record<string, (p: Record<string, unknown>) => Promise<unknown>> = {
      list_users: async () => ({ users: reg.list() }),
      add_user: async (p) => ({ user: await reg.add(p as { username: unknown }) }),
      remove_user: async (p) => ({ removed: await reg.remove(p.username) }),
      rename_user: async (p) => ({ user: await reg.rename(p.username, p.new_username) }),
      set_user_pin: async (p) => ({ user: await reg.setPin(p.username, p.pin, p.duress_pin) }),
      set_user_phones: async (p) => ({ user: await reg.setPhones(p.username, p.phones) }),
      add_user_badge: async (p) => ({ user: await reg.addBadge(p.username, p.uid) }),
      remove_user_badge: async (p) => ({ user: await reg.removeBadge(p.username, p.uid) }),
      enable_user: async (p) => ({ user: await reg.setEnabled(p.username, true) }),
      disable_user: async (p) => ({ user: await reg.setEnabled(p.username, false) }),
    };
    for (const [name, fn] of Object.entries(methods)) this.offs.push(rpc.register(name, op(fn)));
  }

  /**
   * Look-ups for other modules. A refusal says only "unknown": it never tells whether the
   * user exists, is disabled or out of its validity window.
   */
  private registerActions(reg: UserRegistry): void {
    const { bus } = this.ctx;
    const owner = 'users';
    const refused: ActionResult = { ok: false, message: 'unknown' };
    const who = (u: StoredUser, extra: Record<string, unknown> = {}): ActionResult => ({
      ok: true,
      message: u.username,
      data: {
        username: u.username,
        rights: [...u.rights],
        enabled: u.enabled,
        lang: u.lang ?? undefined,
        ...extra,
      },
    });
    const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
    this.offs.push(
      bus.registerAction('users.identify_phone', owner, async (a) => {
        const u = reg.byPhone(str(a.number));
        return u && reg.isActive(u) ? who(u) : refused;
      }),
      bus.registerAction('users.verify_pin', owner, async (a) => {
        const u = reg.find(str(a.username));
        const m = u && reg.isActive(u) ? await reg.checkPin(u, str(a.pin)) : false;
        return m ? { ok: true, message: 'ok', data: { duress: m === 'duress' } } : refused;
      }),
      bus.registerAction('users.identify_pin', owner, async (a) => {
        const r = await reg.byPin(str(a.pin));
        return r && reg.isActive(r.user) ? who(r.user, { duress: r.match === 'duress' }) : refused;
      }),
      bus.registerAction('users.identify_badge', owner, async (a) => {
        const u = reg.byBadge(str(a.uid));
        return u && reg.isActive(u) ? who(u) : refused;
      }),
      bus.registerAction('users.recipients', owner, async (a) => {
        const names = Array.isArray(a.usernames) ? a.usernames.map(str) : [];
        const users = reg
          .list()
          .filter((u) => (names.length ? names.some((n) => reg.find(n)?.username === u.username) : true))
          .filter((u) => {
            const s = reg.find(u.username);
            return s !== undefined && reg.isActive(s);
          });
        const recipients = users.flatMap((u) =>
          u.phones.map((phone) => ({
            username: u.username,
            phone,
            lang: reg.find(u.username)?.lang ?? null,
          })),
        );
        return { ok: true, message: String(recipients.length), data: { recipients } };
      }),
    );
  }
}

export const create = (ctx: ModuleContext<UsersConfig>) => new UsersModule(ctx);
