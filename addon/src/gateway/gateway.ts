/**
 * The gateway device: the running Monitor instance itself. Version, start time, status of each
 * module and MQTT messages sent, as diagnostic entities. Devices beside it (the modem) hang
 * below it (`via_device`); devices elsewhere (meters, printers) do not, so that HA does not
 * show them in the gateway's area.
 */
import { basename } from 'node:path';
import type { EventBus, ModuleState } from '../core/bus.js';
import { type Dictionaries, type Lang, translator } from '../core/i18n.js';
import { GATEWAY_DEVICE_ID } from '../entities/discovery.js';
import { binarySensor, type DeviceDeclaration, diagnostic, type EntitySpec } from '../entities/model.js';
import type { EntityRegistry } from '../entities/registry.js';
import type { MqttTransport } from '../mqtt/connection.js';

const STATES: ModuleState[] = ['starting', 'ok', 'degraded', 'error', 'stopped'];

const dict: Dictionaries = {
  en: {
    device: 'Monitor {node}',
    model: 'Gateway',
    version: 'Version',
    started_at: 'Started',
    messages: 'MQTT messages sent',
    module: '{name} module',
    store: 'Stored data problem',
    module_sms: 'SMS',
    module_linky: 'Linky',
    module_printers: 'Printers',
    module_alarm: 'Alarm',
    state_starting: 'Starting',
    state_ok: 'OK',
    state_degraded: 'Degraded',
    state_error: 'Error',
    state_stopped: 'Stopped',
  },
  fr: {
    device: 'Monitor {node}',
    model: 'Passerelle',
    version: 'Version',
    started_at: 'Démarrage',
    messages: 'Messages MQTT envoyés',
    module: 'Module {name}',
    store: 'Problème de données enregistrées',
    module_sms: 'SMS',
    module_linky: 'Linky',
    module_printers: 'imprimantes',
    module_alarm: 'alarme',
    state_starting: 'Démarrage',
    state_ok: 'OK',
    state_degraded: 'Dégradé',
    state_error: 'Erreur',
    state_stopped: 'Arrêté',
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
  /** How often the counters are updated. */
  tickMs?: number;
}

/** Pure: the gateway's entities for a set of modules. */
export function gatewayEntities(modules: string[], lang: Lang): EntitySpec[] {
  const t = translator(dict, lang);
  // A module without a word of its own keeps its section name.
  const moduleName = (m: string) => (dict.en[`module_${m}`] ? t(`module_${m}`) : m);
  return [
    diagnostic('version', t('version'), { icon: 'mdi:tag' }),
    // A timestamp set once: an uptime would be re-published (and recorded) every minute.
    diagnostic('started_at', t('started_at'), { device_class: 'timestamp', icon: 'mdi:clock-start' }),
    diagnostic('mqtt_messages_sent', t('messages'), {
      state_class: 'total_increasing',
      icon: 'mdi:message-arrow-right',
      suggested_display_precision: 0,
      min_interval_ms: 60_000,
    }),
    // A store file read back corrupt (core/store.ts): the module decides what to do, the user
    // must know that data was kept aside.
    // On when a file was kept aside; which one and why are attributes.
    binarySensor('store_problem', t('store'), {
      device_class: 'problem',
      entity_category: 'diagnostic',
      icon: 'mdi:database-alert',
      attributes_key: 'store_problem_attributes',
    }),
    ...modules.map((m) =>
      diagnostic(`module_${m}`, t('module', { name: moduleName(m) }), {
        device_class: 'enum',
        state_labels: Object.fromEntries(STATES.map((s) => [s, t(`state_${s}`)])),
        icon: 'mdi:puzzle',
        attributes_key: `module_${m}_attributes`,
      }),
    ),
  ];
}

/** Pure: the gateway device and its entities. */
export function gatewayDeclaration(
  nodeId: string,
  version: string,
  modules: string[],
  lang: Lang,
): DeviceDeclaration {
  const t = translator(dict, lang);
  return {
    device: {
      id: GATEWAY_DEVICE_ID,
      name: t('device', { node: nodeId }),
      manufacturer: 'Monitor',
      model: t('model'),
      sw_version: version,
    },
    entities: gatewayEntities(modules, lang),
  };
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
    registry.declare(gatewayDeclaration(nodeId, version, modules, lang));
    registry.update(GATEWAY_DEVICE_ID, {
      version,
      store_problem: false,
      store_problem_attributes: {},
      started_at: new Date(this.started).toISOString(),
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
        store_problem: true,
        store_problem_attributes: {
          module: c.module,
          file: basename(c.file),
          moved_to: c.movedTo,
          reason: c.reason,
        },
      });
    });
    this.timer = setInterval(() => this.tick(), this.d.tickMs ?? 60_000);
    this.timer.unref();
  }

  private tick(): void {
    this.d.registry.update(GATEWAY_DEVICE_ID, { mqtt_messages_sent: this.d.mqtt.stats.sent });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.off?.();
    this.offCorrupt?.();
  }
}
