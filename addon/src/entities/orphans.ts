/**
 * Clears what earlier runs of this node left on the broker and nobody declares anymore: a
 * module section removed from the config, a renamed printer, a replaced meter. The registry
 * clears entities removed within one process; this covers those removed between processes.
 *
 * On start it subscribes to the retained discovery configs, keeps those that this node
 * published (see `ownedDiscovery`), and after a grace period (late declarations: a Linky id
 * arrives with its first frame, a printer's image once its snapshot URL is known) clears, with
 * empty retained messages, every collected config that the registry has not declared by then;
 * for devices not declared at all, also their retained state, availability and own entity
 * states. One sweep per process; something declared after it is simply published as usual.
 * Devices a module announced with `registry.keepDevice(id)` are left alone.
 */
import type { Logger } from '../core/logger.js';
import type { MqttTransport } from '../mqtt/connection.js';
import { deviceIdentifier, type NodeContext, topics, uniqueId } from './discovery.js';

/** What the sweeper needs from the registry (EntityRegistry provides it). */
export interface DeclaredEntities {
  hasDevice(deviceId: string): boolean;
  hasDiscovery(topic: string): boolean;
  /** A device a module will declare (completely) later: nothing of it is cleared. */
  keepsDevice(deviceId: string): boolean;
}

export interface OrphanSweeperOptions {
  /** Delay between the subscription taking effect and the sweep; 0 or less disables it. */
  graceMs: number;
}

/** A retained discovery config that this node published. */
export interface OwnedDiscovery {
  device: string;
  key: string;
  /** The entity's own retained state topic, when its config reads one (state: 'own'). */
  ownStateTopic?: string;
}

const ID = /^[a-z0-9_]+$/;

/**
 * Whether a retained discovery config is this node's, and of which device and entity. Object
 * ids are `<node>_<device>`, so `garage_2_printer` could be node `garage` or `garage_2`: the
 * topic, the unique_id, the device identifier AND the instance status topic in the
 * availability list (`<base>/<node>/status`, which no other node shares) must all agree.
 * Pure; anything unexpected (another program, a hand-written config, bad JSON) is not ours.
 */
export function ownedDiscovery(
  node: NodeContext,
  topic: string,
  payload: string,
): OwnedDiscovery | undefined {
  const head = `${node.discoveryPrefix}/`;
  if (!topic.startsWith(head) || !topic.endsWith('/config')) return undefined;
  const levels = topic.slice(head.length, -'/config'.length).split('/');
  if (levels.length !== 3) return undefined;
  const [, objectId = '', key = ''] = levels;
  const nodePart = `${node.nodeId}_`;
  if (!objectId.startsWith(nodePart) || !ID.test(key)) return undefined;
  const device = objectId.slice(nodePart.length);
  if (!ID.test(device)) return undefined;
  let p: unknown;
  try {
    p = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return undefined;
  const c = p as Record<string, unknown>;
  if (c.unique_id !== uniqueId(node, device, key)) return undefined;
  const dev = c.device as { identifiers?: unknown } | undefined;
  const ids = dev?.identifiers;
  const wanted = deviceIdentifier(node, device);
  if (!(Array.isArray(ids) ? ids.includes(wanted) : ids === wanted)) return undefined;
  const status = topics.status(node);
  const avail = c.availability;
  if (!Array.isArray(avail) || !avail.some((a) => (a as { topic?: unknown } | null)?.topic === status))
    return undefined;
  const own = topics.entityState(node, device, key);
  return c.state_topic === own || c.url_topic === own ? { device, key, ownStateTopic: own } : { device, key };
}

export class OrphanSweeper {
  /** discovery topic → what it is, for this node's retained configs seen since start. */
  private readonly collected = new Map<string, OwnedDiscovery>();
  private readonly unsubscribers: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private done = false;
  /** What the sweep cleared (for tests and diagnostics). */
  readonly cleared = { discovery: 0, devices: [] as string[] };

  constructor(
    private readonly node: NodeContext,
    private readonly mqtt: MqttTransport,
    private readonly declared: DeclaredEntities,
    private readonly opts: OrphanSweeperOptions,
    private readonly log: Logger,
  ) {}

  get filter(): string {
    // `+` must fill a whole level, so `<node>_+` is not a valid filter: every object id comes,
    // and ownedDiscovery() keeps this node's.
    return `${this.node.discoveryPrefix}/+/+/+/config`;
  }

  start(): void {
    if (this.opts.graceMs <= 0 || this.done) {
      this.done = true;
      return;
    }
    this.unsubscribers.push(
      this.mqtt.subscribe(this.filter, (t, p, retained) => this.onConfig(t, p, retained)),
    );
    // The grace period counts from the connection (when the retained configs arrive), so that a
    // broker reached late does not shorten it.
    if (this.mqtt.connected) this.arm();
    else {
      const off = this.mqtt.onConnect(() => {
        off();
        this.arm();
      });
      this.unsubscribers.push(off);
    }
  }

  stop(): void {
    this.finish();
  }

  private arm(): void {
    if (this.done || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sweep();
    }, this.opts.graceMs);
    this.timer.unref();
  }

  private onConfig(topic: string, payload: Buffer, retained: boolean): void {
    if (payload.length === 0) {
      // Cleared by someone (the registry, or another tool) meanwhile: nothing left to clear.
      this.collected.delete(topic);
      return;
    }
    // Live (non-retained) messages are new publications, ours included: only what the broker
    // kept from before counts.
    if (!retained) return;
    const owned = ownedDiscovery(this.node, topic, payload.toString('utf8'));
    if (owned) this.collected.set(topic, owned);
  }

  /** Clears every collected config not declared now (public for tests; runs once). */
  sweep(): void {
    if (this.done) return;
    if (!this.mqtt.connected) {
      // Publications would be dropped: sweep once the connection is back.
      const off = this.mqtt.onConnect(() => {
        off();
        this.sweep();
      });
      this.unsubscribers.push(off);
      return;
    }
    const gone = new Set<string>();
    let count = 0;
    for (const [topic, o] of this.collected) {
      if (this.declared.hasDiscovery(topic) || this.declared.keepsDevice(o.device)) continue;
      this.mqtt.publish(topic, '', { retain: true });
      count++;
      if (this.declared.hasDevice(o.device)) continue;
      gone.add(o.device);
      if (o.ownStateTopic) this.mqtt.publish(o.ownStateTopic, '', { retain: true });
    }
    for (const device of gone) {
      this.mqtt.publish(topics.deviceState(this.node, device), '', { retain: true });
      this.mqtt.publish(topics.deviceAvailability(this.node, device), '', { retain: true });
    }
    this.cleared.discovery = count;
    this.cleared.devices = [...gone].sort();
    if (count > 0)
      this.log.info(
        () =>
          `cleared ${count} discovery config(s) left by earlier runs and declared no more` +
          (gone.size ? `; devices removed: ${this.cleared.devices.join(', ')}` : ''),
      );
    else this.log.debug('no discovery config left over by earlier runs');
    this.finish();
  }

  private finish(): void {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const u of this.unsubscribers.splice(0)) u();
    this.collected.clear();
  }
}
