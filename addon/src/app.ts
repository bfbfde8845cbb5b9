/**
 * One running Monitor: MQTT, entity registry, RPC, optional Home Assistant websocket, the
 * gateway device and the supervised modules. `monitor run` and `monitor demo` both use it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { registerSecrets } from './config/load.js';
import type { MonitorConfig } from './config/types.generated.js';
import { EventBus } from './core/bus.js';
import { type Lang, resolveLang } from './core/i18n.js';
import type { Logger, LoggerRoot } from './core/logger.js';
import type { ModuleContext, ModuleFactory } from './core/module.js';
import { Supervisor, type SupervisorOptions } from './core/supervisor.js';
import type { NodeContext } from './entities/discovery.js';
import { OrphanSweeper } from './entities/orphans.js';
import { EntityRegistry } from './entities/registry.js';
import { Gateway } from './gateway/gateway.js';
import { HaClient, resolveHaSettings } from './ha/websocket.js';
import { MODULES, RESERVED_SECTIONS } from './modules/index.js';
import { MqttConnection } from './mqtt/connection.js';
import {
  answerInstancePings,
  checkNodeIdFree,
  NodeIdTakenError,
  thisInstance,
} from './mqtt/instance-guard.js';
import { RpcServer } from './mqtt/rpc.js';
import { ORIGIN, VERSION } from './version.js';

export interface AppOptions {
  logRoot: LoggerRoot;
  env?: NodeJS.ProcessEnv;
  /** Module factories (default: every module of this build). Tests inject their own. */
  modules?: Record<string, ModuleFactory<unknown>>;
  supervisor?: SupervisorOptions;
  /** How long `start()` waits for the broker before going on (it keeps trying after). */
  connectWaitMs?: number;
  /** Refuse to start when a running instance already has this node_id (`monitor run`). */
  guardNodeId?: boolean;
}

export class App {
  readonly bus: EventBus;
  readonly mqtt: MqttConnection;
  readonly registry: EntityRegistry;
  /** Clears what earlier runs left and nothing declares anymore (`discovery.orphan_grace_seconds`). */
  readonly orphans: OrphanSweeper;
  readonly rpc: RpcServer;
  readonly supervisor: Supervisor;
  readonly node: NodeContext;
  readonly lang: Lang;
  ha: HaClient | undefined;
  private gateway: Gateway | undefined;
  private readonly log: Logger;
  private stopped = false;

  constructor(
    readonly config: MonitorConfig,
    private readonly opts: AppOptions,
  ) {
    const root = opts.logRoot;
    // Every entry point (run, demo, tests) gets the config's secrets redacted from its logs.
    registerSecrets(config, root.secrets);
    root.level = config.log.level;
    root.levels = { ...config.log.levels, ...root.levels };
    this.log = root.logger('app');
    this.lang = resolveLang(config.language, opts.env);
    const m = config.mqtt;
    this.node = {
      nodeId: config.node_id,
      baseTopic: m.base_topic,
      discoveryPrefix: m.discovery_prefix,
      origin: ORIGIN,
    };
    this.bus = new EventBus(root.logger('bus'));
    this.mqtt = new MqttConnection(
      {
        url: m.url,
        username: m.username,
        password: m.password,
        clientId: m.client_id || `monitor_${config.node_id}`,
        protocolVersion: m.protocol_version as 4 | 5,
        keepalive: m.keepalive,
        reconnectMaxMs: m.reconnect_max_seconds * 1000,
        statusTopic: `${m.base_topic}/${config.node_id}/status`,
        tls:
          m.tls.ca || m.tls.cert || m.url.startsWith('mqtts')
            ? {
                ca: m.tls.ca,
                cert: m.tls.cert,
                key: m.tls.key,
                rejectUnauthorized: m.tls.reject_unauthorized,
              }
            : undefined,
      },
      root.logger('mqtt'),
    );
    const d = config.discovery;
    this.registry = new EntityRegistry(
      this.node,
      this.mqtt,
      {
        coalesceMs: d.coalesce_ms,
        refreshMinutes: d.refresh_minutes,
        republishDelayMs: d.republish_delay_ms,
        birthTopic: d.birth_topic,
      },
      root.logger('entities'),
    );
    this.orphans = new OrphanSweeper(
      this.node,
      this.mqtt,
      this.registry,
      { graceMs: d.orphan_grace_seconds * 1000 },
      root.logger('entities'),
    );
    this.rpc = new RpcServer(this.node, this.mqtt, root.logger('rpc'));
    this.supervisor = new Supervisor(this.bus, root.logger('supervisor'), opts.supervisor);
  }

  /** Module sections present in the config and offered by this build. */
  activeModules(): string[] {
    const factories = this.opts.modules ?? MODULES;
    const cfg = this.config as unknown as Record<string, unknown>;
    return Object.keys(factories).filter((name) => cfg[name] !== undefined);
  }

  async start(): Promise<void> {
    const root = this.opts.logRoot;
    const { config } = this;
    mkdirSync(config.data_dir, { recursive: true });
    if (this.opts.guardNodeId) {
      const me = thisInstance();
      const holder = await checkNodeIdFree(config, me, root.logger('mqtt'));
      if (holder) throw new NodeIdTakenError(config.node_id, holder, this.lang);
      answerInstancePings(this.mqtt, config, me, root.logger('mqtt'));
    }
    try {
      await this.mqtt.start(this.opts.connectWaitMs ?? 5000);
    } catch (err) {
      this.log.warn('broker not reachable yet, going on and retrying in the background', err);
    }
    this.registry.start();
    // Before any declaration, so that the retained configs of earlier runs are collected first.
    this.orphans.start();
    this.rpc.start();
    // Modules that must not lose a publication (received SMS) hold it while MQTT is down.
    this.mqtt.onConnect(() => this.bus.emit('mqttConnection', { connected: true }));
    this.mqtt.onDisconnect(() => this.bus.emit('mqttConnection', { connected: false }));
    this.bus.on('haOnline', () => this.log.info('Home Assistant is online'));

    const ha = resolveHaSettings(config.homeassistant, this.opts.env);
    if (ha) {
      this.ha = new HaClient(ha, root.logger('ha'));
      this.ha.start().catch((err) => this.log.warn('Home Assistant websocket unavailable', err));
    }

    const factories = this.opts.modules ?? MODULES;
    const active = this.activeModules();
    const cfg = config as unknown as Record<string, unknown>;
    for (const name of RESERVED_SECTIONS) {
      if (cfg[name] !== undefined && !factories[name]) {
        this.log.warn(() => `section "${name}": this module is not available in this version, ignored`);
      }
    }
    this.gateway = new Gateway({
      registry: this.registry,
      bus: this.bus,
      mqtt: this.mqtt,
      nodeId: config.node_id,
      version: VERSION,
      modules: active,
      lang: this.lang,
    });
    this.gateway.start();

    for (const name of active) {
      const factory = factories[name] as ModuleFactory<unknown>;
      const dataDir = join(config.data_dir, name);
      mkdirSync(dataDir, { recursive: true });
      this.supervisor.add(
        name,
        factory,
        (hooks): ModuleContext<unknown> => ({
          name,
          config: cfg[name],
          root: config,
          log: root.logger(name),
          bus: this.bus,
          entities: this.registry,
          rpc: this.rpc,
          ha: this.ha,
          dataDir,
          lang: this.lang,
          secrets: root.secrets,
          version: VERSION,
          ...hooks,
        }),
      );
    }
    await this.supervisor.startAll();
    if (!this.mqtt.connected) this.bus.emit('mqttConnection', { connected: false });
  }

  /** Stops modules (they flush their journals), sends pending states, publishes offline. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.supervisor.stopAll();
    this.gateway?.stop();
    this.orphans.stop();
    this.registry.stop();
    this.rpc.stop();
    this.ha?.close();
    await this.mqtt.stop();
  }
}
