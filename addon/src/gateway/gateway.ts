/**
 * The gateway device: the running Monitor instance itself. Version, uptime, status of each
 * module and MQTT messages sent, as diagnostic entities. Every other device hangs below it
 * (`via_device`).
 */
import { basename } from 'node:path';
import type { EventBus, ModuleState } from '../core/bus.js';
import { type Dictionaries, type Lang, translator } from '../core/i18n.js';
import { GATEWAY_DEVICE_ID } from '../entities/discovery.js';
import { diagnostic, type EntitySpec } from '../entities/model.js';
import type { EntityRegistry } from '../entities/registry.js';
import type { MqttTransport } from '../mqtt/connection.js';

const STATES: ModuleState[] = ['starting', 'ok', 'degraded', 'error', 'stopped'];

const dict: Dictionaries = {
  en: {
    device: 'Monitor {node}',
    version: 'Version',
    uptime: 'Uptime',
    messages: 'MQTT messages sent',
    module: 'Module {name}',
    store: 'Stored data problem',
    store_ok: 'none',
    store_corrupt: '{module}: {file} unreadable ({reason}), kept aside',
  },
  fr: {
    device: 'Monitor {node}',
    version: 'Version',
    uptime: 'Temps de fonctionnement',
    messages: 'Messages MQTT envoyés',
    module: 'Module {name}',
    store: 'Problème de données enregistrées',
    store_ok: 'aucun',
    store_corrupt: '{module} : {file} illisible ({reason}), mis de côté',
  },
};

export interface GatewayDeps {
  registry: EntityRegistry;
  bus: EventBus;
  mqtt: MqttTransport;
  nodeId: string;
  version: string;
  modules: string[];
  lang: Lang;
  now?: () => number;
  /** How often uptime and counters are updated. */
  tickMs?: number;
}

/** Pure: the gateway's entities for a set of modules. */
export function gatewayEntities(modules: string[], lang: Lang): EntitySpec[] {
  const t = translator(dict, lang);
  return [
    diagnostic('version', t('version'), { icon: 'mdi:tag' }),
    diagnostic('uptime', t('uptime'), {
      // No state_class: long-term statistics of an uptime are of no use.
      device_class: 'duration',
      unit: 's',
      min_interval_ms: 60_000,
    }),
    diagnostic('mqtt_messages_sent', t('messages'), {
      state_class: 'total_increasing',
      icon: 'mdi:message-arrow-right',
      min_interval_ms: 60_000,
    }),
    // A store file read back corrupt (core/store.ts): the module decides what to do, the user
    // must know that data was kept aside.
    diagnostic('store_problem', t('store'), {
      icon: 'mdi:database-alert',
      attributes_key: 'store_problem_attributes',
    }),
    ...modules.map((m) =>
      diagnostic(`module_${m}`, t('module', { name: m }), {
        device_class: 'enum',
        extra: { options: STATES },
        icon: 'mdi:puzzle',
        attributes_key: `module_${m}_attributes`,
      }),
    ),
  ];
}

export class Gateway {
  private timer: NodeJS.Timeout | undefined;
  private off: (() => void) | undefined;
  private offCorrupt: (() => void) | undefined;
  private readonly started: number;

  constructor(private readonly d: GatewayDeps) {
    this.started = (d.now ?? Date.now)();
  }

  start(): void {
    const { registry, nodeId, version, modules, lang } = this.d;
    const t = translator(dict, lang);
    registry.declare({
      device: {
        id: GATEWAY_DEVICE_ID,
        name: t('device', { node: nodeId }),
        manufacturer: 'Monitor',
        model: 'Gateway',
        sw_version: version,
      },
      entities: gatewayEntities(modules, lang),
    });
    registry.update(GATEWAY_DEVICE_ID, {
      version,
      store_problem: t('store_ok'),
      store_problem_attributes: {},
      ...Object.fromEntries(modules.map((m) => [`module_${m}`, 'starting'])),
    });
    this.tick();
    this.off = this.d.bus.on('moduleStatus', ({ module, state, error }) => {
      registry.update(GATEWAY_DEVICE_ID, {
        [`module_${module}`]: state,
        [`module_${module}_attributes`]: error ? { error } : {},
      });
    });
    this.offCorrupt = this.d.bus.on('storeCorrupt', (c) => {
      registry.update(GATEWAY_DEVICE_ID, {
        store_problem: t('store_corrupt', {
          module: c.module,
          file: basename(c.file),
          reason: c.reason,
        }).slice(0, 255),
        store_problem_attributes: { module: c.module, file: c.file, moved_to: c.movedTo, reason: c.reason },
      });
    });
    this.timer = setInterval(() => this.tick(), this.d.tickMs ?? 60_000);
    this.timer.unref();
  }

  private tick(): void {
    const now = (this.d.now ?? Date.now)();
    this.d.registry.update(GATEWAY_DEVICE_ID, {
      uptime: Math.round((now - this.started) / 1000),
      mqtt_messages_sent: this.d.mqtt.stats.sent,
    });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.off?.();
    this.offCorrupt?.();
  }
}
