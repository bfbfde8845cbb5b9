/**
 * An EntityRegistry publishing into the in-memory transport, with the options the registry tests
 * and the core bench share (50 ms coalescing, 10 min refresh, 2 s republish after HA's birth), its
 * clock read through Date.now() at each call so that mocked timers drive it.
 */
import type { Logger } from '../../addon/src/core/logger.js';
import type { NodeContext } from '../../addon/src/entities/discovery.js';
import { EntityRegistry, type RegistryOptions } from '../../addon/src/entities/registry.js';
import { FakeMqtt } from './fake-mqtt.js';

export function registryOnFakeMqtt(
  node: NodeContext,
  log: Logger,
  opts: Partial<RegistryOptions> = {},
): { mqtt: FakeMqtt; reg: EntityRegistry } {
  const mqtt = new FakeMqtt();
  const reg = new EntityRegistry(
    node,
    mqtt,
    {
      coalesceMs: 50,
      refreshMinutes: 10,
      republishDelayMs: 2000,
      birthTopic: 'homeassistant/status',
      now: () => Date.now(),
      ...opts,
    },
    log,
  );
  return { mqtt, reg };
}
