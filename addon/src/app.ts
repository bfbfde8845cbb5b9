/**
 * One running Monitor: MQTT, entity registry, RPC, optional Home Assistant websocket, the
 * gateway device and the supervised modules. `monitor run` and `monitor demo` both use it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { registerSecrets } from './config/load.js';
import type { MonitorConfig } from './config/types.generated.js';
import { EventBus } from './core/bus.js';
import { ModuleScope } from './core/context.js';
import { type Lang, resolveLang } from './core/i18n.js';
import type { Logger, LoggerRoot } from './core/logger.js';
import type { ModuleFactory } from './core/module.js';
import { Supervisor, type SupervisorOptions } from './core/supervisor.js';
import type { NodeContext } from './entities/discovery.js';
import { OrphanSweeper } from './entities/orphans.js';
import { EntityRegistry } from './entities/registry.js';
import { Gateway } from './gateway/gateway.js';
import { haLanguage } from './ha/language.js';
import { HaClient, resolveHaSettings } from './ha/websocket.js';
import { MODULES, RESERVED_SECTIONS } from './modules/index.js';
import { type AnonymousProbe, probeAnonymous } from './mqtt/anonymous-probe.js';
import { MqttConnection } from './mqtt/connection.js';
import {
  answerInstancePings,
  checkNodeIdFree,
  NodeIdTakenError,
  thisInstance,
} from './mqtt/instance-guard.js';
import { RpcServer } from './mqtt/rpc.js';
import { loadOrCreateRpcSecret } from './mqtt/rpc-secret.js';
import { mqttSettingsOf } from './mqtt/settings.js';
import { ORIGIN, VERSION } from './version.js';

export interface AppOptions {
  logRoot: LoggerRoot;
  env?: NodeJS.ProcessEnv;
  /** Module factories (default: every module of this build). Tests inject their own. */
  modules?: Record<string, ModuleFactory<unknown>>;
  supervisor?: SupervisorOptions;
  /** How long `start()` waits for the broker before going on (it keeps trying after). */
  connectWaitMs?: number;
  /** With `language: auto`, how long `start()` waits for Home Assistant's language. */
  haLanguageWaitMs?: number;
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
  /** From the config; with `language: auto` and a Home Assistant websocket, HA's language (set in start()). */
  lang: Lang;
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
    this.mqtt = new MqttConnection(mqttSettingsOf(config), root.logger('mqtt'));
    const d = config.discovery;
    this.registry = new EntityRegistry(
      this.node,
      this.mqtt,
      {
        coalesceMs: d.coalesce_ms,
        refreshMinutes: d.refresh_minutes,
        republishDelayMs: d.republish_delay_ms,
        birthMinIntervalMs: d.birth_min_interval_seconds * 1000,
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
    this.rpc = new RpcServer(this.node, this.mqtt, root.logger('rpc'), {
      requireSignature: config.rpc.require_signature,
    });
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
    mkdirSync(config.data_dir, { recursive: true, mode: 0o700 });
    // The key monitor_bridge signs requests with: configured, or generated once (0600).
    const rpcSecret = loadOrCreateRpcSecret(config.rpc.secret, config.data_dir);
    root.secrets.add(rpcSecret.secret);
    this.rpc.setSecret(rpcSecret.secret);
    if (rpcSecret.source === 'generated')
      this.log.info(() => `RPC secret generated in ${rpcSecret.file} ("monitor rpc secret" prints it)`);
    if (!config.rpc.require_signature)
      this.log.warn('rpc.require_signature is false: any client of the broker can call RPC methods');
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
    void this.warnIfAnonymousBroker();
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
      // Before anything is declared: names and enum words are in this language.
      if (config.language === 'auto') {
        const fromHa = await haLanguage(this.ha, this.opts.haLanguageWaitMs ?? 5000);
        if (fromHa) this.lang = fromHa;
        this.log.info(() => `language: ${this.lang} (${fromHa ? "Home Assistant's" : 'process locale'})`);
      }
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
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      // A new scope at each (re)start: what the module registers is released when it stops.
      this.supervisor.add(
        name,
        factory,
        (hooks) =>
          new ModuleScope({
            name,
            config: cfg[name],
            root: config,
            log: root.logger(name),
            bus: this.bus,
            registry: this.registry,
            rpc: this.rpc,
            mqtt: this.mqtt,
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

  /**
   * Says clearly when the broker lets anyone in: then any client can press buttons, call RPC
   * (signed, still) and read what Monitor publishes. With credentials configured, one anonymous
   * connect tells; without, Monitor itself is such a client.
   */
  private async warnIfAnonymousBroker(): Promise<void> {
    const m = this.config.mqtt;
    const advice =
      'anyone on the network can publish to Monitor topics and read its messages: set allow_anonymous false and an ACL (docs/security.md)';
    if (!m.username) {
      this.log.warn(`MQTT without credentials: the broker accepts anonymous clients, so ${advice}`);
      return;
    }
    const r = await probeAnonymous(this.mqtt.settingsForProbe());
    if (r === 'accepted') this.log.warn(`the broker accepts anonymous clients: ${advice}`);
    else this.log.debug(() => `anonymous connection ${r}`);
    this.anonymousBroker = r;
  }

  /** Result of the anonymous-client check at start (undefined until known, or without credentials). */
  anonymousBroker: AnonymousProbe | undefined;

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
