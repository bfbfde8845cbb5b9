/**
 * The alarm module: every channel (the panel's keypad, SMS commands through the bus, badges
 * from HA `tag_scanned` or a reader's MQTT topic, RPC from monitor_bridge, automations) goes
 * through one `request()`: lockout, identification through the users module's actions, rights,
 * then Monitor's engine (engine.ts) or an external alarm (external.ts). Every outcome is
 * recorded (last action sensors, event entity, `alarm_action` notification), persisted, and
 * the consequences (sirens, lights, SMS) follow from the engine's transitions.
 */
import { randomUUID } from 'node:crypto';
import type { MonitorConfig } from '../../config/types.generated.js';
import type { ActionContext, ActionResult } from '../../core/bus.js';
import { type Lang, type Translate, translator } from '../../core/i18n.js';
import type { ModuleContext, MonitorModule } from '../../core/module.js';
import type { StateFile } from '../../core/store.js';
import { RpcError, RpcErrorCode } from '../../mqtt/rpc.js';
import { AlarmEngine, type AlarmState, ARM_MODES, type ArmMode, type Transition } from './engine.js';
import { ALARM_DEVICE, type AlarmEventType, alarmDeclaration } from './entities.js';
import { ExternalAlarm } from './external.js';
import { dict } from './i18n.js';
import { Lockouts } from './lockout.js';
import { ALARM_DOC_VERSION, type AlarmDoc, type Channel, isAlarmDoc, type LastAction } from './persisted.js';
import { SensorWatch } from './sensors.js';

export type AlarmConfig = NonNullable<MonitorConfig['alarm']>;

export const STATE_NAME = 'state';
/** How long an external alarm has to show the state it was asked for. */
const EXTERNAL_WAIT_MS = 5000;

export interface AlarmRequest {
  action: 'arm' | 'disarm' | 'status';
  mode?: ArmMode;
  force?: boolean;
  channel: Channel;
  /** Lockout key: the keypad, one SMS sender, one badge reader, RPC. */
  lockKey: string;
  code?: string;
  badge?: string;
  reader?: string;
  /** SMS: the sender, identified through the users module. */
  phone?: string;
  /** Already identified by the caller (the SMS module checked phone and PIN). */
  user?: string;
  duress?: boolean;
}

export interface AlarmOutcome {
  ok: boolean;
  state: string;
  message: string;
  user: string | null;
}

interface Identity {
  username: string;
  rights: string[];
  lang: Lang | undefined;
  duress: boolean;
}

export class AlarmModule implements MonitorModule {
  private engine!: AlarmEngine;
  private store!: StateFile<AlarmDoc>;
  private saving: Promise<void> = Promise.resolve();
  private lockouts!: Lockouts;
  private watch!: SensorWatch;
  private external: ExternalAlarm | undefined;
  private lastAction: LastAction | null = null;
  private timer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private readonly offs: Array<() => void> = [];
  private readonly t: Translate;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: ModuleContext<AlarmConfig>,
    private readonly now: () => number = Date.now,
  ) {
    this.t = translator(dict, ctx.lang);
  }

  get state(): string {
    return this.external ? this.external.view().state : this.engine.state;
  }

  async start(): Promise<void> {
    const { ctx } = this;
    const c = ctx.config;
    ctx.secrets.add(c.external_code);
    this.store = ctx.store.state<AlarmDoc>(STATE_NAME, { version: ALARM_DOC_VERSION, validate: isAlarmDoc });
    const loaded = await this.store.load();
    const doc = loaded.status === 'ok' ? loaded.value : undefined;
    if (loaded.status === 'corrupt') {
      // Never a silently disarmed house: an unreadable state is taken as armed away.
      ctx.log.error(
        () =>
          `alarm state unreadable (${loaded.reason}, kept as ${loaded.movedTo}): ARMED AWAY; disarm with a code`,
      );
      ctx.setStatus('degraded', 'alarm state file unreadable: armed away for safety');
    }
    this.lockouts = new Lockouts(c.max_failures, c.lockout_minutes * 60_000, this.now, doc?.lockouts ?? {});
    this.lastAction = doc?.last_action ?? null;
    const modes = Object.fromEntries(ARM_MODES.map((m) => [m, c.modes[m]])) as never;
    const sensors = c.sensors.map((s) => ({ ...s, name: s.name || s.entity_id }));
    this.engine = new AlarmEngine(
      { modes, sensors, disarm_after_trigger: c.disarm_after_trigger },
      this.now,
      doc?.engine,
    );
    if (loaded.status === 'corrupt') this.engine.arm('away', [], true);
    this.watch = new SensorWatch(c.sensors.map((s) => s.entity_id));

    if (c.engine === 'external') {
      if (!ctx.ha) throw new Error('alarm.engine external needs the homeassistant section');
      if (!c.external_entity) throw new Error('alarm.engine external needs alarm.external_entity');
      this.external = new ExternalAlarm(ctx.ha, c.external_entity, c.external_code);
    }
    ctx.entities.declare(
      alarmDeclaration(this.t, {
        panel: this.external ? undefined : (p) => this.onKeypad(p),
        badge: (p) => this.onReaderTopic(p),
        sensor: (p) => this.onSensorTopic(p),
        supported: ARM_MODES.filter((m) => c.modes[m].enabled).map((m) => `arm_${m}`),
        codeArmRequired: c.require_code_to_arm,
      }),
    );
    ctx.entities.setAvailability(ALARM_DEVICE, true);
    this.registerChannels();
    await this.apply(this.engine.tick(), null);
    await this.persist();
    this.publish();
    this.schedule();
  }

  async stop(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    if (this.timer) clearTimeout(this.timer);
    if (this.ticker) clearInterval(this.ticker);
    this.timer = undefined;
    this.ticker = undefined;
    if (this.engine) await this.persist();
  }

  // ── Channels ───────────────────────────────────────────────────────────────────────────

  private registerChannels(): void {
    const { ctx } = this;
    const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
    const fromBus =
      (action: AlarmRequest['action'], mode?: ArmMode) =>
      async (args: Record<string, unknown>, a: ActionContext): Promise<ActionResult> => {
        const phone = a.origin.startsWith('sms:') ? a.origin.slice(4) : undefined;
        const r = await this.request({
          action,
          mode: mode ?? (ARM_MODES.includes(args.mode as ArmMode) ? (args.mode as ArmMode) : 'away'),
          force: args.force === true,
          channel: phone ? 'sms' : ((a.channel as Channel | undefined) ?? 'automation'),
          lockKey: phone ? `sms:${phone}` : a.origin,
          code: str(args.code),
          phone,
          user: a.user,
          duress: a.duress,
        });
        return { ok: r.ok, message: r.message, data: { state: r.state, user: r.user } };
      };
    this.offs.push(
      ctx.bus.registerAction('alarm.arm', 'alarm', fromBus('arm')),
      ...ARM_MODES.map((m) => ctx.bus.registerAction(`alarm.arm_${m}`, 'alarm', fromBus('arm', m))),
      ctx.bus.registerAction('alarm.disarm', 'alarm', fromBus('disarm')),
      ctx.bus.registerAction('alarm.status', 'alarm', fromBus('status')),
      ctx.rpc.register('alarm_arm', async (p) => {
        const mode = p.mode === undefined ? 'away' : p.mode;
        if (!ARM_MODES.includes(mode as ArmMode))
          throw new RpcError(RpcErrorCode.INVALID_PARAMS, `mode must be one of ${ARM_MODES.join(', ')}`);
        return this.rpcResult(
          await this.request({
            action: 'arm',
            mode: mode as ArmMode,
            force: p.force === true,
            channel: 'service',
            lockKey: 'rpc',
            code: str(p.code),
          }),
        );
      }),
      ctx.rpc.register('alarm_disarm', async (p) =>
        this.rpcResult(
          await this.request({ action: 'disarm', channel: 'service', lockKey: 'rpc', code: str(p.code) }),
        ),
      ),
    );
    // Commands the SMS module refused before reaching the alarm (unknown sender, wrong PIN,
    // lockout) are alarm refusals too.
    const alarmKeywords = new Set(
      (ctx.root.sms?.commands.keywords ?? [])
        .filter((k) => k.action?.startsWith('alarm.'))
        .map((k) => k.keyword),
    );
    this.offs.push(
      ctx.bus.on('smsReceived', (m) => {
        const c = m.command;
        if (c?.kind !== 'rejected' || !alarmKeywords.has(c.keyword)) return;
        this.event('refused', {
          user: c.user,
          channel: 'sms',
          reason: c.reason ?? 'rejected',
          action: c.keyword,
        });
        this.notifyRpc('refused', c.user, 'sms');
      }),
    );
    const ha = ctx.ha;
    if (ha) {
      this.offs.push(ha.subscribeEntities((all) => this.onEntities(all)));
      let unsubTag: (() => Promise<void>) | undefined;
      let stopped = false;
      ha.subscribeEvents<{ data: { tag_id?: unknown; device_id?: unknown } }>('tag_scanned', (ev) => {
        void this.onBadge(str(ev.data.tag_id) ?? '', str(ev.data.device_id) ?? 'ha');
      }).then(
        (u) => {
          if (stopped) void u().catch(() => {});
          else unsubTag = u;
        },
        () => {},
      );
      this.offs.push(() => {
        stopped = true;
        void unsubTag?.().catch(() => {});
      });
    }
  }

  private rpcResult(r: AlarmOutcome): { state: string } {
    if (!r.ok) throw new RpcError(RpcErrorCode.REFUSED, r.message);
    return { state: r.state };
  }

  /** The panel's command topic: `{"action": "ARM_AWAY", "code": "1234"}` (command_template). */
  private async onKeypad(payload: string): Promise<void> {
    let action = payload.trim();
    let code: string | undefined;
    try {
      const j = JSON.parse(payload) as { action?: unknown; code?: unknown };
      if (j && typeof j === 'object') {
        action = String(j.action ?? '');
        code = j.code === undefined || j.code === null || j.code === '' ? undefined : String(j.code);
      }
    } catch {
      // A plain action (HA's default template): no code.
    }
    const a = action.toUpperCase();
    const mode = ARM_MODES.find((m) => a === `ARM_${m.toUpperCase()}`);
    if (a === 'DISARM') await this.request({ action: 'disarm', channel: 'keypad', lockKey: 'keypad', code });
    else if (mode) await this.request({ action: 'arm', mode, channel: 'keypad', lockKey: 'keypad', code });
    else this.ctx.log.warn(() => `panel command ${JSON.stringify(a.slice(0, 32))} ignored`);
  }

  /** A reader publishing on the badge topic: a plain uid, or `{"uid": …, "reader": …}`. */
  private async onReaderTopic(payload: string): Promise<void> {
    let uid = payload.trim();
    let reader = 'mqtt';
    try {
      const j = JSON.parse(payload) as { uid?: unknown; reader?: unknown };
      if (j && typeof j === 'object' && !Array.isArray(j)) {
        uid = String(j.uid ?? '');
        if (typeof j.reader === 'string' && j.reader) reader = `mqtt:${j.reader.slice(0, 64)}`;
      }
    } catch {
      // a plain uid
    }
    if (uid) await this.onBadge(uid, reader);
  }

  /**
   * A sensor reported over MQTT (a setup without HA, Zigbee2MQTT bridged by a rule, the demo):
   * `{"entity_id": "binary_sensor.door", "state": "on"}`, held to the same rules as HA's.
   */
  private async onSensorTopic(payload: string): Promise<void> {
    let j: { entity_id?: unknown; state?: unknown };
    try {
      j = JSON.parse(payload) as typeof j;
    } catch {
      return;
    }
    if (!j || typeof j.entity_id !== 'string' || typeof j.state !== 'string' || this.external) return;
    const { opened, changed } = this.watch.update({ [j.entity_id]: { state: j.state } }, true);
    const transitions = opened.flatMap((id) => this.engine.opened(id));
    if (transitions.length) await this.apply(transitions, null);
    else if (changed) this.publish();
  }

  /** A badge from HA (`tag_scanned`) or a reader's topic; `reader` may be restricted. */
  async onBadge(uid: string, reader: string): Promise<AlarmOutcome | undefined> {
    const allowed = this.ctx.config.badge_readers;
    if (allowed.length && !allowed.includes(reader)) return undefined;
    const action: AlarmRequest['action'] =
      this.ctx.config.badge_action === 'toggle' && this.state === 'disarmed' ? 'arm' : 'disarm';
    return this.request({
      action,
      mode: 'away',
      channel: 'badge',
      lockKey: `badge:${reader}`,
      badge: uid,
      reader,
    });
  }

  // ── The one path of every request ──────────────────────────────────────────────────────

  /** Requests run one at a time: identification is asynchronous (PIN hashing). */
  request(req: AlarmRequest): Promise<AlarmOutcome> {
    const run = this.chain.then(
      () => this.handle(req),
      () => this.handle(req),
    );
    this.chain = run.catch(() => {});
    return run;
  }

  private async handle(req: AlarmRequest): Promise<AlarmOutcome> {
    const locked = this.lockouts.lockedFor(req.lockKey);
    if (locked) return this.refuse(req, null, 'locked_out', this.t('locked_out', { minutes: locked }));
    const id = await this.identify(req);
    if (id === 'unknown') {
      const lockedNow = this.lockouts.fail(req.lockKey);
      this.persist();
      const why = req.badge !== undefined ? 'unknown_badge' : req.phone ? 'unknown_sender' : 'wrong_code';
      const msg = lockedNow
        ? this.t('locked_out', { minutes: this.ctx.config.lockout_minutes })
        : this.t('refused');
      if (req.badge !== undefined) this.notifyBadge(req, null, false);
      return this.refuse(req, null, why, msg);
    }
    if (id === 'no_users') return this.refuse(req, null, 'no_users', this.t('no_users'));
    if (id) this.lockouts.succeed(req.lockKey);
    const tr = id?.lang ? translator(dict, id.lang) : this.t;
    if (req.badge !== undefined) this.notifyBadge(req, id ?? null, true);
    if (req.action === 'status')
      return { ok: true, state: this.state, message: this.statusText(tr), user: id?.username ?? null };
    const right = req.action === 'arm' ? 'arm' : 'disarm';
    const anonymousArm =
      req.action === 'arm' && !this.ctx.config.require_code_to_arm && req.channel !== 'sms';
    if (!id && !anonymousArm) return this.refuse(req, null, 'code_required', tr('refused'));
    if (id && !id.rights.includes(right) && !id.rights.includes('admin'))
      return this.refuse(req, id.username, 'no_right', tr('refused'));
    const user = id?.username ?? null;
    return req.action === 'arm'
      ? this.doArm(req, user, tr)
      : this.doDisarm(req, user, id?.duress === true, tr);
  }

  /** undefined: no credential given; 'unknown': a credential that matches nobody active. */
  private async identify(req: AlarmRequest): Promise<Identity | undefined | 'unknown' | 'no_users'> {
    const { bus } = this.ctx;
    const call = async (action: string, args: Record<string, unknown>) => {
      if (!bus.hasAction(action)) return 'no_users' as const;
      const r = await bus.callAction(action, args, { origin: 'alarm', channel: req.channel });
      if (!r.ok) return 'unknown' as const;
      const d = r.data as { username: string; rights: string[]; lang?: Lang; duress?: boolean };
      return { username: d.username, rights: d.rights, lang: d.lang, duress: d.duress === true };
    };
    if (req.badge !== undefined) return call('users.identify_badge', { uid: req.badge });
    if (req.phone) {
      const who = await call('users.identify_phone', { number: req.phone });
      if (typeof who !== 'object') return who;
      if (req.user && req.user !== who.username) return 'unknown';
      if (req.code) {
        const pin = await call('users.verify_pin', { username: who.username, pin: req.code });
        if (typeof pin !== 'object') return pin;
        return { ...who, duress: pin.duress || req.duress === true };
      }
      return { ...who, duress: req.duress === true };
    }
    if (req.code) return call('users.identify_pin', { pin: req.code });
    return undefined;
  }

  private async doArm(req: AlarmRequest, user: string | null, tr: Translate): Promise<AlarmOutcome> {
    const mode = req.mode ?? 'away';
    if (this.external) {
      try {
        await this.external.arm(mode, req.force === true);
      } catch (err) {
        return this.refuse(
          req,
          user,
          'external_failed',
          tr('external_failed', { error: (err as Error).message }),
        );
      }
      const ext = this.external;
      if (!(await ext.until((st) => st === 'arming' || st === `armed_${mode}`, EXTERNAL_WAIT_MS))) {
        const open = ext.view().open;
        const msg = open.length
          ? tr('refused_open', { sensors: open.join(', ') })
          : tr('external_failed', { error: ext.view().state });
        return this.refuse(req, user, open.length ? 'open_sensors' : 'external_failed', msg, { open });
      }
      this.record(`arm_${mode}`, user, req.channel);
      this.event('armed', { user, channel: req.channel, mode });
      this.publish();
      return { ok: true, state: this.state, message: this.statusText(tr), user };
    }
    const r = this.engine.arm(mode, this.watch.open(), req.force === true);
    if (!r.ok) {
      const names = r.open.map((e) => this.engine.sensor(e)?.name ?? e).join(', ');
      const msg =
        r.reason === 'open_sensors'
          ? tr('refused_open', { sensors: names })
          : r.reason === 'mode_disabled'
            ? tr('refused_mode', { mode })
            : tr('refused_busy', { state: tr(`state_${this.engine.state}`) });
      return this.refuse(req, user, r.reason, msg, { open: r.open });
    }
    this.record(`arm_${mode}`, user, req.channel);
    await this.apply(r.transitions, user, req.channel);
    let msg =
      r.state === 'arming'
        ? tr('arming', { mode: tr(`state_armed_${mode}`), seconds: this.engine.remaining() })
        : tr('armed', { state: tr(`state_${r.state}`) });
    if (r.bypassed.length)
      msg += ` ${tr('bypassed', { sensors: r.bypassed.map((e) => this.engine.sensor(e)?.name ?? e).join(', ') })}`;
    return { ok: true, state: this.state, message: msg, user };
  }

  private async doDisarm(
    req: AlarmRequest,
    user: string | null,
    duress: boolean,
    tr: Translate,
  ): Promise<AlarmOutcome> {
    if (this.external) {
      try {
        await this.external.disarm();
      } catch (err) {
        return this.refuse(
          req,
          user,
          'external_failed',
          tr('external_failed', { error: (err as Error).message }),
        );
      }
      if (!(await this.external.until((st) => st === 'disarmed', EXTERNAL_WAIT_MS)))
        return this.refuse(
          req,
          user,
          'external_failed',
          tr('external_failed', { error: this.external.view().state }),
        );
    }
    this.record('disarm', user, req.channel);
    const transitions = this.external ? [] : this.engine.disarm();
    await this.apply(transitions, user, req.channel);
    if (this.external || transitions.length === 0) this.event('disarmed', { user, channel: req.channel });
    // Duress: the same visible outcome and reply as any disarm; the alert goes out silently.
    if (duress) this.duress(user, req.channel);
    return { ok: true, state: this.external ? this.state : 'disarmed', message: tr('disarmed'), user };
  }

  private refuse(
    req: AlarmRequest,
    user: string | null,
    reason: string,
    message: string,
    extra: Record<string, unknown> = {},
  ): AlarmOutcome {
    this.event('refused', { user, channel: req.channel, reason, action: req.action, ...extra });
    this.notifyRpc('refused', user, req.channel);
    if (this.ctx.config.notify_on.includes('refused'))
      void this.sms('alert_refused', { channel: req.channel, time: this.clock() });
    return { ok: false, state: this.state, message, user };
  }

  private duress(user: string | null, channel: Channel): void {
    this.event('duress', { user, channel });
    this.notifyRpc('duress', user, channel);
    const params = { user: user ?? this.t('nobody'), channel, time: this.clock() };
    if (this.ctx.config.notify_on.includes('duress')) void this.sms('alert_duress', params);
    if (this.ctx.config.duress_recipients.length)
      this.ctx.bus.emit('smsSend', {
        to: [...this.ctx.config.duress_recipients],
        text: this.t('alert_duress', params),
        origin: 'alarm',
        priority: 'high',
      });
  }

  // ── Consequences of transitions ─────────────────────────────────────────────────────────

  /** Resolves once the new state is saved and published. */
  private async apply(
    transitions: Transition[],
    user: string | null,
    channel: Channel | null = null,
  ): Promise<void> {
    for (const tr of transitions) {
      this.ctx.log.info(() => `${tr.from} → ${tr.to} (${tr.cause}${tr.sensor ? ` ${tr.sensor}` : ''})`);
      const who = tr.cause === 'arm' || tr.cause === 'disarm' ? user : null;
      if (tr.to.startsWith('armed_') && tr.from !== 'triggered') {
        this.event('armed', {
          user: who ?? this.lastAction?.user ?? null,
          channel: channel ?? this.lastAction?.channel ?? null,
          mode: tr.to.slice(6),
        });
        if (this.ctx.config.notify_on.includes('armed'))
          void this.sms('alert_armed', {
            state: tr.to,
            user: who ?? '-',
            channel: channel ?? '-',
            time: this.clock(),
          });
      }
      if (tr.to === 'triggered') {
        const sensor = this.engine.sensor(tr.sensor ?? '')?.name ?? tr.sensor ?? '?';
        this.event('triggered', { sensor: tr.sensor ?? null, user: null, channel: null });
        this.notifyRpc('triggered', null, null);
        void this.switchAll([...this.ctx.config.sirens, ...this.ctx.config.lights], 'turn_on');
        if (this.ctx.config.notify_on.includes('triggered'))
          void this.sms('alert_triggered', { sensor, time: this.clock() });
      }
      if (tr.from === 'triggered' && tr.to !== 'triggered')
        void this.switchAll(this.ctx.config.sirens, 'turn_off');
      if (tr.to === 'disarmed') {
        this.event('disarmed', { user: who, channel: tr.cause === 'disarm' ? channel : null });
        if (this.ctx.config.notify_on.includes('disarmed'))
          void this.sms('alert_disarmed', { user: who ?? '-', channel: channel ?? '-', time: this.clock() });
      }
    }
    if (transitions.length) {
      this.schedule();
      await this.persist();
    }
    this.publish();
  }

  private async switchAll(entities: string[], service: 'turn_on' | 'turn_off'): Promise<void> {
    const ha = this.ctx.ha;
    if (!ha || !entities.length) return;
    await Promise.all(
      entities.map((e) =>
        ha
          .callService(e.split('.')[0] as string, service, undefined, { entity_id: e })
          .catch((err) => this.ctx.log.error(() => `${service} ${e} failed`, err)),
      ),
    );
  }

  /** An alert to the users who should know, each in their language, through the SMS module. */
  private async sms(key: string, params: Record<string, string>): Promise<void> {
    const { bus } = this.ctx;
    if (!bus.hasAction('users.recipients')) return;
    const r = await bus.callAction(
      'users.recipients',
      { usernames: this.ctx.config.notify_users },
      { origin: 'alarm', channel: 'automation' },
    );
    const list = (
      (r.data as { recipients?: Array<{ phone: string; lang: Lang | null }> })?.recipients ?? []
    ).filter(Boolean);
    for (const lang of ['en', 'fr'] as const) {
      const to = list.filter((x) => (x.lang ?? this.ctx.lang) === lang).map((x) => x.phone);
      if (!to.length) continue;
      const tr = translator(dict, lang);
      const p = { ...params };
      if (p.state) p.state = tr(`state_${p.state}`);
      // Alarm alerts leave before bulk messages.
      bus.emit('smsSend', { to, text: tr(key, p), origin: 'alarm', priority: 'high' });
    }
  }

  // ── Records, entities, persistence, timers ──────────────────────────────────────────────

  private clock(): string {
    return new Date(this.now()).toISOString();
  }

  private record(action: string, user: string | null, channel: Channel): void {
    this.lastAction = { action, user, channel, time: this.clock() };
    this.notifyRpc(action, user, channel);
    this.persist();
  }

  private event(type: AlarmEventType, attrs: Record<string, unknown>): void {
    this.ctx.entities
      .emitEvent(ALARM_DEVICE, 'event', type, { ...attrs, time: this.clock() } as never)
      .catch((err) => this.ctx.log.warn(() => `event ${type} not published`, err));
  }

  private notifyRpc(action: string, user: string | null, channel: Channel | null): void {
    this.ctx.rpc
      .notify('alarm_action', { event_id: randomUUID(), action, user, channel, time: this.clock() })
      .catch((err) => this.ctx.log.warn('alarm_action notification not published', err));
  }

  private notifyBadge(req: AlarmRequest, id: Identity | null, accepted: boolean): void {
    // The uid is not a secret (it is printed on the card), but an unknown one is not echoed.
    this.ctx.rpc
      .notify('badge', {
        event_id: randomUUID(),
        uid: accepted ? (req.badge ?? null) : null,
        user: id?.username ?? null,
        reader: req.reader ?? null,
        accepted,
      })
      .catch((err) => this.ctx.log.warn('badge notification not published', err));
  }

  private statusText(tr: Translate): string {
    if (this.external) {
      const v = this.external.view();
      const known = ['disarmed', 'arming', 'pending', 'triggered', ...ARM_MODES.map((m) => `armed_${m}`)];
      const shown = known.includes(v.state) ? tr(`state_${v.state}`) : v.state;
      return v.open.length
        ? tr('status_open', { state: shown, open: v.open.join(', ') })
        : tr('status', { state: shown });
    }
    const state = tr(`state_${this.engine.state}`);
    const open = this.watch.open().map((e) => this.engine.sensor(e)?.name ?? e);
    if (open.length) return tr('status_open', { state, open: open.join(', ') });
    if (this.engine.deadline !== null) return tr('status_delay', { state, seconds: this.engine.remaining() });
    return tr('status', { state });
  }

  private publish(): void {
    const open = this.external ? this.external.view().open : this.watch.open();
    const bypassed = this.external ? [] : this.engine.snapshot.bypassed;
    const a = this.lastAction;
    this.ctx.entities.update(ALARM_DEVICE, {
      state: this.state,
      last_action: a?.action ?? null,
      last_action_attrs: a ? { ...a } : {},
      last_user: a ? (a.user ?? '-') : null,
      last_channel: a?.channel ?? null,
      last_action_time: a?.time ?? null,
      open_sensors: open.length,
      open_sensors_attrs: { entities: open },
      bypassed_sensors: bypassed.length,
      bypassed_sensors_attrs: { entities: bypassed },
      remaining_delay: this.external ? 0 : this.engine.remaining(),
    } as never);
    // Every transition goes out now, never merged with the next one by the registry's
    // coalescing window: HA (and its automations) must see a brief `arming` or `pending` too.
    this.ctx.entities.flush(ALARM_DEVICE);
  }

  /**
   * Saves the state (one write at a time, in order). Transitions are published only after
   * their save, so that what HA saw is never newer than what a restart finds.
   */
  private persist(): Promise<void> {
    const doc: AlarmDoc = {
      engine: this.engine.snapshot,
      last_action: this.lastAction,
      lockouts: { ...this.lockouts.entries },
    };
    this.saving = this.saving.then(
      () => this.store.save(doc),
      () => this.store.save(doc),
    );
    return this.saving.catch((err) => {
      this.ctx.log.error('cannot save the alarm state', err);
      this.ctx.setStatus('degraded', 'alarm state not saved');
    });
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.ticker) clearInterval(this.ticker);
    this.timer = undefined;
    this.ticker = undefined;
    const deadline = this.engine.deadline;
    if (deadline === null) return;
    // The deadline is on the wall clock (it survives a restart), the timer on the monotonic
    // clock: when it fires before the wall clock reaches the deadline (NTP slewing, Node's
    // millisecond rounding), nothing is due yet and the wait goes on.
    const due = this.ctx.isolate(() => {
      const transitions = this.engine.tick();
      if (!transitions.length) return this.schedule();
      return this.apply(transitions, null);
    }, 'alarm deadline');
    this.timer = setTimeout(due, Math.max(1, deadline - this.now()));
    // The remaining delay sensor, once a second while a delay runs.
    this.ticker = setInterval(
      this.ctx.isolate(() => this.publish(), 'remaining delay'),
      1000,
    );
  }

  private async onEntities(
    all: Record<string, { state: string; attributes: Record<string, unknown> }>,
  ): Promise<void> {
    if (this.external) {
      if (this.external.update(all[this.external.entityId])) this.publish();
      return;
    }
    const { opened, changed } = this.watch.update(all);
    const transitions = opened.flatMap((id) => this.engine.opened(id));
    if (transitions.length) return this.apply(transitions, null);
    if (changed) this.publish();
  }

  /** For tests and the bench: the engine state as persisted. */
  snapshot(): AlarmState {
    return this.engine.state;
  }
}

export const create = (ctx: ModuleContext<AlarmConfig>) => new AlarmModule(ctx);
