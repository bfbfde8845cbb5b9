/**
 * What a feature module is: a class whose constructor only stores its context, with
 * `start()` and `stop()`. Modules never import each other; they use the bus, the entity
 * registry, RPC and the Home Assistant client given here.
 */
import type { MonitorConfig } from '../config/types.generated.js';
import type { EntityRegistry } from '../entities/registry.js';
import type { HaClient } from '../ha/websocket.js';
import type { MqttTransport } from '../mqtt/connection.js';
import type { RpcServer } from '../mqtt/rpc.js';
import type { EventBus } from './bus.js';
import type { Lang } from './i18n.js';
import type { Logger, SecretRegistry } from './logger.js';

export interface ModuleContext<C = unknown> {
  name: string;
  /** The module's own config section (validated, defaults applied). */
  config: C;
  root: MonitorConfig;
  log: Logger;
  bus: EventBus;
  entities: EntityRegistry;
  rpc: RpcServer;
  /**
   * The MQTT transport's own state (`connected` is mqtt.js's, true only while a connection is
   * up): read it here, never keep a copy. What must not be lost is awaited instead
   * (`entities.emitEvent`, `rpc.notify` resolve on the broker's PUBACK).
   */
  mqtt: Pick<MqttTransport, 'connected'>;
  /** Undefined when no Home Assistant websocket is configured. */
  ha: HaClient | undefined;
  /** `<data_dir>/<module>`, created before start. */
  dataDir: string;
  lang: Lang;
  secrets: SecretRegistry;
  version: string;
  /** A failure after start: the module is stopped and restarted with backoff. */
  fail(err: Error): void;
  /** Running but impaired (modem unreachable, meter silent…), or back to ok. */
  setStatus(state: 'ok' | 'degraded', detail?: string): void;
}

export interface MonitorModule {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type ModuleFactory<C = never> = (ctx: ModuleContext<C>) => MonitorModule;
