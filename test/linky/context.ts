/**
 * A linky ModuleContext for unit tests: the config section validated by the real schema, a real
 * EntityRegistry publishing into an in-memory MQTT transport, and log lines kept for checks.
 */
import { loadConfigObject } from '../../addon/src/config/load.js';
import { EventBus } from '../../addon/src/core/bus.js';
import { LoggerRoot, SecretRegistry } from '../../addon/src/core/logger.js';
import type { ModuleContext } from '../../addon/src/core/module.js';
import { EntityRegistry } from '../../addon/src/entities/registry.js';
import type { HaClient } from '../../addon/src/ha/websocket.js';
import { type LinkyConfig, MeterLine } from '../../addon/src/modules/linky/meter.js';
import type { MessageHandler, MqttTransport, PublishOptions } from '../../addon/src/mqtt/connection.js';
import { moduleResources } from '../helpers/module-context.js';

export interface Published {
  topic: string;
  payload: string;
  retain: boolean;
}

/** Records what is published; nothing is ever received. */
export class MemoryMqtt implements MqttTransport {
  readonly connected = true;
  readonly published: Published[] = [];
  readonly stats = { sent: 0, dropped: 0, received: 0 };

  publish(topic: string, payload: string | Buffer, opts: PublishOptions = {}): Promise<void> {
    this.stats.sent++;
    this.published.push({ topic, payload: payload.toString(), retain: opts.retain ?? false });
    return Promise.resolve();
  }

  subscribe(_filter: string, _handler: MessageHandler): () => void {
    return () => {};
  }

  onConnect(_listener: (first: boolean) => void): () => void {
    return () => {};
  }

  /**
   * Every value published for `key`, oldest first, from the device JSON or from the entity's
   * own state topic (values that change with every frame have one); unknown values left out.
   */
  values(deviceId: string, key: string, nodeId = 'ut'): unknown[] {
    const device = `monitor/${nodeId}/${deviceId}/state`;
    const own = `monitor/${nodeId}/${deviceId}/${key}/state`;
    const out: unknown[] = [];
    for (const p of this.published) {
      if (p.topic === device && p.payload) {
        const v = JSON.parse(p.payload)[key];
        if (v !== null && v !== undefined) out.push(v);
      } else if (p.topic === own && p.payload && p.payload !== 'None') {
        out.push(/^-?\d+(\.\d+)?$/.test(p.payload) ? Number(p.payload) : p.payload);
      }
    }
    return out;
  }

  /** JSON states published on a device's state topic, oldest first. */
  states(deviceId: string, nodeId = 'ut'): Array<Record<string, unknown>> {
    return this.published
      .filter((p) => p.topic === `monitor/${nodeId}/${deviceId}/state` && p.payload)
      .map((p) => JSON.parse(p.payload));
  }
}

export interface LinkyTestContext {
  ctx: ModuleContext<LinkyConfig>;
  mqtt: MemoryMqtt;
  registry: EntityRegistry;
  /** Log lines at warn level and above (info too when `logLevel` says so). */
  logs: string[];
}

export function linkyContext(opts: {
  dir: string;
  linky: Record<string, unknown>;
  coalesceMs?: number;
  ha?: HaClient;
  logLevel?: 'info' | 'warn';
  /** Replaces the real registry in the context (a test that records every update uncoalesced). */
  entities?: EntityRegistry;
}): LinkyTestContext {
  const config = loadConfigObject(
    { node_id: 'ut', data_dir: opts.dir, log: { level: 'silent' }, linky: opts.linky },
    {},
    'en',
  );
  const logs: string[] = [];
  const root = new LoggerRoot({
    level: opts.logLevel ?? 'warn',
    timestamps: false,
    sink: { write: (line) => logs.push(line) },
  });
  const mqtt = new MemoryMqtt();
  const registry = new EntityRegistry(
    {
      nodeId: 'ut',
      baseTopic: 'monitor',
      discoveryPrefix: 'homeassistant',
      origin: { name: 'Monitor', sw_version: '0.0.0' },
    },
    mqtt,
    {
      coalesceMs: opts.coalesceMs ?? 50,
      refreshMinutes: 0,
      republishDelayMs: 0,
      birthTopic: 'homeassistant/status',
    },
    root.logger('entities'),
  );
  const ctx: ModuleContext<LinkyConfig> = {
    name: 'linky',
    config: config.linky as LinkyConfig,
    root: config,
    log: root.logger('linky'),
    bus: new EventBus(root.logger('bus')),
    entities: opts.entities ?? registry,
    rpc: {} as never,
    mqtt,
    ha: opts.ha,
    dataDir: opts.dir,
    ...moduleResources('linky', opts.dir, root.logger('linky')).parts(),
    lang: 'en',
    secrets: new SecretRegistry(),
    version: '0.0.0',
    fail: () => {},
    setStatus: () => {},
  };
  return { ctx, mqtt, registry, logs };
}

/**
 * One meter line on a linky test context, with a clock the test drives: `send` moves it on
 * (1.5 s, about one historic frame, unless told) before the line receives the bytes.
 */
export async function meterLineWithClock(dir: string, meter: Record<string, unknown>) {
  let now = Date.parse('2026-11-20T18:00:00Z');
  const t = linkyContext({ dir, linky: { meters: [meter] } });
  const line = new MeterLine(t.ctx, t.ctx.config.meters[0]!, () => now);
  await line.loadState();
  const send = (b: Buffer, advanceMs = 1500) => {
    now += advanceMs;
    line.receive(b);
  };
  return { ...t, line, send, clock: () => now, advance: (ms: number) => (now += ms) };
}
