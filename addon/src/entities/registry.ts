/**
 * The entity registry turns what modules declare and update into MQTT traffic:
 * - discovery payloads (pure builders in discovery.ts), published retained only when they
 *   changed (stable stringify), removed entities cleared with an empty retained message;
 * - device states: updates coalesced per device within a short window, unchanged values not
 *   re-sent, per-entity deadband and minimum interval, the whole state refreshed every N min;
 * - availability per device; events; commands routed to the entity's handler;
 * - on Home Assistant's birth message, discovery then states republished after a random delay.
 *
 * A device whose availability was never set becomes `online` with its first state message
 * (a module that knows better calls `setAvailability(id, false)` first).
 */
import stringify from 'safe-stable-stringify';
import type { Logger } from '../core/logger.js';
import { handled, type MqttTransport } from '../mqtt/connection.js';
import {
  discoveryPayload,
  GATEWAY_DEVICE_ID,
  type NodeContext,
  stateModeOf,
  topics,
  valueKeyOf,
} from './discovery.js';
import { assertId, type DeviceDeclaration, type DeviceSpec, type EntitySpec } from './model.js';

export interface RegistryOptions {
  coalesceMs: number;
  refreshMinutes: number;
  republishDelayMs: number;
  birthTopic: string;
  /**
   * Minimum time between two full republishes caused by birth messages: anyone on the broker
   * can publish `homeassistant/status online` (issue 15: 10 births in 6 s cost 450 configs).
   * A birth inside the window is answered once, at its end. Default 30 s.
   */
  birthMinIntervalMs?: number;
  now?: () => number;
  random?: () => number;
}

type Values = Record<string, unknown>;

/** Who declared a device: a module's name, or `core` (the gateway). */
export const CORE_OWNER = 'core';

interface DeviceEntry {
  owner: string;
  spec: DeviceSpec;
  entities: Map<string, EntitySpec>;
  /** value key → entity, for deadband and min interval. */
  byValueKey: Map<string, EntitySpec>;
  pending: Values;
  hasPending: boolean;
  published: Values;
  /** Last time each value key was sent. */
  sentAt: Map<string, number>;
  /** Coalescing window. */
  timer: NodeJS.Timeout | undefined;
  /** Values held back by a minimum interval, and when they are due. */
  heldTimer: NodeJS.Timeout | undefined;
  heldAt: number;
  online: boolean | undefined;
  /** Entities with their own availability (`availability: 'own'`): key → online. */
  entityOnline: Map<string, boolean>;
  everPublished: boolean;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  return stringify(a) === stringify(b);
}

export class EntityRegistry {
  private readonly devices = new Map<string, DeviceEntry>();
  /** discovery topic → last payload published (stable stringified). */
  private readonly lastDiscovery = new Map<string, string>();
  private readonly commandHandlers = new Map<string, EntitySpec>();
  /** Devices a module will declare later (id → owner): the orphan sweep leaves them alone. */
  private readonly kept = new Map<string, string>();
  /** When the last full republish for HA's birth message ran (rate limit). */
  private lastBirthRepublish = Number.NEGATIVE_INFINITY;
  private refreshTimer: NodeJS.Timeout | undefined;
  private republishTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribers: Array<() => void> = [];
  private readonly now: () => number;
  private readonly random: () => number;
  /** Counters for the gateway and the benchmarks. */
  readonly counters = { stateMessages: 0, discoveryMessages: 0, updates: 0, suppressed: 0 };

  constructor(
    readonly node: NodeContext,
    private readonly mqtt: MqttTransport,
    private readonly opts: RegistryOptions,
    private readonly log: Logger,
  ) {
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
  }

  start(): void {
    this.unsubscribers.push(
      this.mqtt.subscribe(topics.commandWildcard(this.node), (topic, payload) =>
        this.onCommand(topic, payload),
      ),
      this.mqtt.subscribe(this.opts.birthTopic, (_t, payload, retained) => {
        // A retained birth message only says HA was up before we (re)connected; what we just
        // published on connecting reached it already.
        if (!retained && payload.toString() === 'online') this.onBirth();
      }),
      // A new connection (late first one, or after a broker restart) may have lost retained messages.
      this.mqtt.onConnect(() => this.republishAll()),
    );
    if (this.opts.refreshMinutes > 0) {
      this.refreshTimer = setInterval(() => this.refreshStates(), this.opts.refreshMinutes * 60_000);
      this.refreshTimer.unref();
    }
  }

  stop(): void {
    for (const u of this.unsubscribers.splice(0)) u();
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    if (this.republishTimer) clearTimeout(this.republishTimer);
    for (const d of this.devices.values()) this.flushEntry(d);
    for (const d of this.devices.values()) this.clearTimers(d);
  }

  private clearTimers(d: DeviceEntry): void {
    if (d.timer) clearTimeout(d.timer);
    if (d.heldTimer) clearTimeout(d.heldTimer);
    d.timer = undefined;
    d.heldTimer = undefined;
    d.heldAt = Number.POSITIVE_INFINITY;
  }

  /**
   * Declares (or re-declares) a device and its entities. Discovery is published for what
   * changed; entities that disappeared are cleared.
   */
  declare(decl: DeviceDeclaration, owner = CORE_OWNER): void {
    const { device, entities } = decl;
    assertId('device id', device.id);
    this.assertOwner(device.id, owner, 'declare');
    const keys = new Set<string>();
    for (const e of entities) {
      assertId(`entity key of ${device.id}`, e.key);
      if (keys.has(e.key)) throw new Error(`duplicate entity key ${e.key} in device ${device.id}`);
      keys.add(e.key);
    }
    let entry = this.devices.get(device.id);
    const previous = entry ? [...entry.entities.values()] : [];
    if (!entry) {
      entry = {
        owner,
        spec: device,
        entities: new Map(),
        byValueKey: new Map(),
        pending: {},
        hasPending: false,
        published: {},
        sentAt: new Map(),
        timer: undefined,
        heldTimer: undefined,
        heldAt: Number.POSITIVE_INFINITY,
        online: undefined,
        entityOnline: new Map(),
        everPublished: false,
      };
      this.devices.set(device.id, entry);
    }
    entry.spec = device;
    entry.entities = new Map(entities.map((e) => [e.key, e]));
    entry.byValueKey = new Map(
      entities.filter((e) => stateModeOf(e) === 'device').map((e) => [valueKeyOf(e), e]),
    );
    for (const old of previous) {
      if (!entry.entities.has(old.key) || entry.entities.get(old.key)?.component !== old.component) {
        this.clearDiscovery(device.id, old);
      }
      this.commandHandlers.delete(topics.command(this.node, device.id, old.key));
    }
    for (const e of entities) {
      if (e.command) this.commandHandlers.set(topics.command(this.node, device.id, e.key), e);
      this.publishDiscovery(device, e, false);
    }
  }

  /**
   * Who owns a device id: the owner of a declared device, else of a kept one. Throws when it
   * is another owner's: a module touches only its own devices.
   */
  assertOwner(deviceId: string, owner: string, what: string): void {
    const current = this.devices.get(deviceId)?.owner ?? this.kept.get(deviceId);
    if (current !== undefined && current !== owner)
      throw new Error(`${owner} cannot ${what} device ${deviceId}: it belongs to ${current}`);
  }

  /** The owner of a declared (or kept) device, if any. */
  ownerOf(deviceId: string): string | undefined {
    return this.devices.get(deviceId)?.owner ?? this.kept.get(deviceId);
  }

  /** Device ids declared by this owner. */
  devicesOf(owner: string): string[] {
    return [...this.devices.values()].filter((d) => d.owner === owner).map((d) => d.spec.id);
  }

  /**
   * A module stopped: its pending states are sent, its devices marked offline and forgotten
   * (entries, command handlers, timers). Their retained discovery stays, so that HA keeps the
   * entities (unavailable) across a restart; with `keep` (a restart is coming) they are kept
   * from the orphan sweep too.
   */
  release(owner: string, keep: boolean): void {
    for (const d of [...this.devices.values()]) {
      if (d.owner !== owner) continue;
      this.flushEntry(d);
      this.clearTimers(d);
      this.setAvailability(d.spec.id, false);
      for (const e of d.entities.values()) {
        this.commandHandlers.delete(topics.command(this.node, d.spec.id, e.key));
        this.lastDiscovery.delete(topics.discovery(this.node, d.spec.id, e));
      }
      this.devices.delete(d.spec.id);
      if (keep) this.kept.set(d.spec.id, owner);
    }
    if (!keep) for (const [id, o] of [...this.kept]) if (o === owner) this.kept.delete(id);
  }

  /** Removes a device: its discovery is cleared and its availability set offline. */
  remove(deviceId: string, owner = CORE_OWNER): void {
    this.assertOwner(deviceId, owner, 'remove');
    this.kept.delete(deviceId);
    const entry = this.devices.get(deviceId);
    if (!entry) return;
    this.clearTimers(entry);
    for (const e of entry.entities.values()) {
      this.clearDiscovery(deviceId, e);
      this.commandHandlers.delete(topics.command(this.node, deviceId, e.key));
    }
    this.mqtt.publish(topics.deviceState(this.node, deviceId), '', { retain: true });
    this.mqtt.publish(topics.deviceAvailability(this.node, deviceId), '', { retain: true });
    this.devices.delete(deviceId);
  }

  hasDevice(deviceId: string): boolean {
    return this.devices.has(deviceId);
  }

  /** Whether this process declares (and has not removed) the entity of this discovery topic. */
  hasDiscovery(topic: string): boolean {
    return this.lastDiscovery.has(topic);
  }

  /**
   * Says that this device is still ours although it is not declared yet (or not completely):
   * a module that declares a device, or some of its entities, only when something happens (a
   * sync that runs once a day, a printer that is switched off) calls it at start, so that the
   * cleanup of what earlier runs left (orphans.ts) keeps the device's retained discovery,
   * state and availability until then. `remove(deviceId)` ends it.
   */
  keepDevice(deviceId: string, owner = CORE_OWNER): void {
    assertId('device id', deviceId);
    this.assertOwner(deviceId, owner, 'keep');
    this.kept.set(deviceId, owner);
  }

  /** Whether `keepDevice(deviceId)` was called (and the device not removed since). */
  keepsDevice(deviceId: string): boolean {
    return this.kept.has(deviceId);
  }

  /** Merges values into the device state; sent after the coalescing window if anything changed. */
  update(deviceId: string, values: Values): void {
    const d = this.devices.get(deviceId);
    if (!d) {
      this.log.warn(() => `update for undeclared device ${deviceId} ignored`);
      return;
    }
    this.counters.updates++;
    for (const k in values) d.pending[k] = values[k];
    d.hasPending = true;
    if (this.opts.coalesceMs <= 0) this.flushEntry(d);
    else if (!d.timer) d.timer = setTimeout(() => this.flushEntry(d), this.opts.coalesceMs);
  }

  /** Sends the pending values of every device now (used on stop, and by tests/benchmarks). */
  flushAll(): void {
    for (const d of this.devices.values()) this.flushEntry(d);
  }

  /**
   * Sends one device's pending values now instead of after the coalescing window, for a module
   * whose update is already a complete batch (a TIC frame). Deadband and minimum interval still
   * apply; other devices keep their own windows. Unknown devices are ignored.
   */
  flush(deviceId: string): void {
    const d = this.devices.get(deviceId);
    if (d) this.flushEntry(d);
  }

  setAvailability(deviceId: string, online: boolean): void {
    const d = this.devices.get(deviceId);
    if (!d || d.online === online) return;
    d.online = online;
    this.mqtt.publish(topics.deviceAvailability(this.node, deviceId), online ? 'online' : 'offline', {
      retain: true,
    });
  }

  /**
   * One entity's own availability (declared with `availability: 'own'`): HA shows it
   * unavailable while the rest of the device works. Unknown entities are ignored with a warning.
   */
  setEntityAvailability(deviceId: string, key: string, online: boolean): void {
    const d = this.devices.get(deviceId);
    const e = d?.entities.get(key);
    if (!d || !e || e.availability !== 'own') {
      this.log.warn(() => `entity ${deviceId}.${key} has no availability of its own`);
      return;
    }
    if (d.entityOnline.get(key) === online) return;
    d.entityOnline.set(key, online);
    this.mqtt.publish(topics.entityAvailability(this.node, deviceId, key), online ? 'online' : 'offline', {
      retain: true,
    });
  }

  /**
   * Fires an `event` entity (not retained: an event happens once) at QoS 1. Resolves on the
   * broker's PUBACK and rejects when it was not acknowledged, so that a module that must not
   * lose it (a received SMS) awaits it before forgetting its copy.
   */
  emitEvent(deviceId: string, key: string, eventType: string, attributes: Values = {}): Promise<void> {
    const d = this.devices.get(deviceId);
    const e = d?.entities.get(key);
    if (!d || !e || e.component !== 'event') {
      this.log.warn(() => `event ${deviceId}.${key} is not declared`);
      return handled(Promise.reject(new Error(`event ${deviceId}.${key} is not declared`)));
    }
    return this.mqtt.publish(
      topics.entityEvent(this.node, deviceId, key),
      JSON.stringify({ ...attributes, event_type: eventType }),
      { qos: 1 },
    );
  }

  /** Publishes an entity's own state topic (state: 'own'), retained, QoS 1; resolves on PUBACK. */
  publishOwnState(deviceId: string, key: string, payload: string): Promise<void> {
    return this.mqtt.publish(topics.entityState(this.node, deviceId, key), payload, {
      retain: true,
      qos: 1,
    });
  }

  private flushEntry(d: DeviceEntry): void {
    if (d.timer) {
      clearTimeout(d.timer);
      d.timer = undefined;
    }
    if (!d.hasPending) return;
    const now = this.now();
    const pending = d.pending;
    d.pending = {};
    d.hasPending = false;
    let changed = false;
    let heldUntil = Number.POSITIVE_INFINITY;
    let next: Values | undefined;
    for (const k in pending) {
      const v = pending[k];
      const prev = d.published[k];
      if (same(prev, v) && (k in d.published || v === undefined)) continue;
      const e = d.byValueKey.get(k);
      if (
        e?.deadband !== undefined &&
        typeof v === 'number' &&
        typeof prev === 'number' &&
        Math.abs(v - prev) < e.deadband
      ) {
        this.counters.suppressed++;
        continue;
      }
      if (e?.min_interval_ms) {
        const last = d.sentAt.get(k);
        if (last !== undefined && now - last < e.min_interval_ms) {
          d.pending[k] = v;
          d.hasPending = true;
          heldUntil = Math.min(heldUntil, last + e.min_interval_ms);
          continue;
        }
      }
      if (!next) next = { ...d.published };
      next[k] = v;
      d.sentAt.set(k, now);
      changed = true;
    }
    if (changed && next) {
      d.published = next;
      this.sendState(d);
    } else {
      this.counters.suppressed++;
    }
    if (heldUntil < d.heldAt) {
      if (d.heldTimer) clearTimeout(d.heldTimer);
      d.heldAt = heldUntil;
      d.heldTimer = setTimeout(
        () => {
          d.heldTimer = undefined;
          d.heldAt = Number.POSITIVE_INFINITY;
          this.flushEntry(d);
        },
        Math.max(0, heldUntil - now),
      );
    }
  }

  private sendState(d: DeviceEntry): void {
    if (d.online === undefined && d.spec.id !== GATEWAY_DEVICE_ID) this.setAvailability(d.spec.id, true);
    // Every declared value key is present (null when unknown), so that templates never fail.
    const out: Values = {};
    for (const k of d.byValueKey.keys()) out[k] = null;
    Object.assign(out, d.published);
    d.everPublished = true;
    this.counters.stateMessages++;
    this.mqtt.publish(topics.deviceState(this.node, d.spec.id), JSON.stringify(out), { retain: true });
  }

  private publishDiscovery(device: DeviceSpec, e: EntitySpec, force: boolean): void {
    const topic = topics.discovery(this.node, device.id, e);
    const payload = stringify(discoveryPayload(this.node, device, e)) ?? '';
    if (!force && this.lastDiscovery.get(topic) === payload) return;
    this.lastDiscovery.set(topic, payload);
    this.counters.discoveryMessages++;
    this.mqtt.publish(topic, payload, { retain: true });
  }

  private clearDiscovery(deviceId: string, e: EntitySpec): void {
    const topic = topics.discovery(this.node, deviceId, e);
    this.lastDiscovery.delete(topic);
    this.mqtt.publish(topic, '', { retain: true });
  }

  /**
   * HA's birth message: a full republish, at most once per `birthMinIntervalMs` (any client
   * can send it). A birth inside the window is served once when the window ends.
   */
  private onBirth(): void {
    if (this.republishTimer) return;
    const wait = this.lastBirthRepublish + (this.opts.birthMinIntervalMs ?? 30_000) - this.now();
    this.scheduleRepublish(Math.max(0, wait));
  }

  /** HA restarted: discovery first, then states, after a random delay so that instances spread out. */
  private scheduleRepublish(minDelayMs: number): void {
    if (this.republishTimer) return;
    const delay = minDelayMs + Math.round(this.random() * this.opts.republishDelayMs);
    this.log.debug(() => `Home Assistant online: republishing in ${delay} ms`);
    this.republishTimer = setTimeout(() => {
      this.republishTimer = undefined;
      this.lastBirthRepublish = this.now();
      this.republishAll();
    }, delay);
  }

  republishAll(): void {
    for (const d of this.devices.values())
      for (const e of d.entities.values()) this.publishDiscovery(d.spec, e, true);
    for (const d of this.devices.values()) {
      if (d.online !== undefined) {
        this.mqtt.publish(topics.deviceAvailability(this.node, d.spec.id), d.online ? 'online' : 'offline', {
          retain: true,
        });
      }
      for (const [key, online] of d.entityOnline)
        this.mqtt.publish(
          topics.entityAvailability(this.node, d.spec.id, key),
          online ? 'online' : 'offline',
          {
            retain: true,
          },
        );
      if (d.everPublished) this.sendState(d);
    }
  }

  /** Periodic refresh: every state re-sent even if unchanged. */
  refreshStates(): void {
    for (const d of this.devices.values()) {
      this.flushEntry(d);
      if (d.everPublished) this.sendState(d);
    }
  }

  private onCommand(topic: string, payload: Buffer): void {
    const e = this.commandHandlers.get(topic);
    if (!e?.command) return;
    const text = payload.toString('utf8');
    this.log.debug(() => `command on ${topic}`);
    try {
      const r = e.command(text);
      if (r && typeof r.catch === 'function')
        r.catch((err) => this.log.error(() => `command ${topic} failed`, err));
    } catch (err) {
      this.log.error(() => `command ${topic} failed`, err);
    }
  }
}
