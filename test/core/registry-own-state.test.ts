/**
 * Values on an entity's own state topic (`state: 'own'`): given to `update()` like any other,
 * sent alone and as plain text on `<device>/<key>/state` (a value that changes every frame then
 * costs one short message, not the whole device JSON), with the same change detection,
 * deadband and minimum interval; republished with the rest when Home Assistant restarts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { type NodeContext, topics } from '../../addon/src/entities/discovery.js';
import { sensor } from '../../addon/src/entities/model.js';
import { EntityRegistry } from '../../addon/src/entities/registry.js';
import { FakeMqtt } from '../helpers/fake-mqtt.js';

const node: NodeContext = {
  nodeId: 'n1',
  baseTopic: 'monitor',
  discoveryPrefix: 'homeassistant',
  origin: { name: 'Monitor', sw_version: 'test' },
};

test('own-topic values: plain text alone, deduplicated, deadband and minimum interval kept', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 });
  const mqtt = new FakeMqtt();
  const reg = new EntityRegistry(
    node,
    mqtt,
    {
      coalesceMs: 0,
      refreshMinutes: 0,
      republishDelayMs: 0,
      birthTopic: 'homeassistant/status',
      now: () => Date.now(),
    },
    new LoggerRoot({ level: 'silent' }).logger('entities'),
  );
  reg.start();
  t.after(() => reg.stop());
  reg.declare({
    device: { id: 'meter', name: 'Meter' },
    entities: [
      sensor('power', 'Power', { unit: 'VA', deadband: 10, min_interval_ms: 5000, state: 'own' }),
      sensor('energy', 'Energy', { unit: 'Wh', state: 'own' }),
      sensor('tariff', 'Tariff'),
    ],
  });
  const cfg = JSON.parse(mqtt.on('homeassistant/sensor/n1_meter/energy/config')[0]!.payload);
  assert.equal(cfg.state_topic, topics.entityState(node, 'meter', 'energy'));
  assert.equal(cfg.value_template, undefined);
  const energy = () => mqtt.on(topics.entityState(node, 'meter', 'energy')).map((p) => p.payload);
  const power = () => mqtt.on(topics.entityState(node, 'meter', 'power')).map((p) => p.payload);
  const device = () => mqtt.on(topics.deviceState(node, 'meter')).map((p) => JSON.parse(p.payload));

  reg.update('meter', { power: 1000, energy: 5, tariff: 'peak' });
  reg.update('meter', { power: 1005, energy: 5, tariff: 'peak' }); // deadband, unchanged
  t.mock.timers.tick(1000);
  reg.update('meter', { power: 1500, energy: 6, tariff: 'peak' }); // power held (5 s)
  assert.deepEqual(energy(), ['5', '6']);
  assert.deepEqual(power(), ['1000']);
  // The device JSON carries only the values without a topic of their own, and only once.
  assert.deepEqual(device(), [{ tariff: 'peak' }]);
  t.mock.timers.tick(4000);
  assert.deepEqual(power(), ['1000', '1500']);
  reg.update('meter', { energy: null });
  assert.deepEqual(energy(), ['5', '6', 'None']);
  mqtt.clear();
  reg.republishAll();
  assert.deepEqual([energy(), power(), device()], [['None'], ['1500'], [{ tariff: 'peak' }]]);
});
