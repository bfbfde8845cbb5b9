/**
 * The entity registry with an in-memory MQTT transport and mocked timers: what it publishes,
 * when, and what it does not publish.
 */
import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { GATEWAY_DEVICE_ID, type NodeContext, topics } from '../../addon/src/entities/discovery.js';
import {
  binarySensor,
  button,
  type DeviceDeclaration,
  eventEntity,
  sensor,
} from '../../addon/src/entities/model.js';
import type { EntityRegistry, RegistryOptions } from '../../addon/src/entities/registry.js';
import type { FakeMqtt } from '../helpers/fake-mqtt.js';
import { registryOnFakeMqtt } from '../helpers/registry.js';

const node: NodeContext = {
  nodeId: 'n1',
  baseTopic: 'monitor',
  discoveryPrefix: 'homeassistant',
  origin: { name: 'Monitor', sw_version: 'test' },
};

const STATE = topics.deviceState(node, 'meter');
const AVAIL = topics.deviceAvailability(node, 'meter');

function meterDecl(extra: Partial<DeviceDeclaration> = {}): DeviceDeclaration {
  return {
    device: { id: 'meter', name: 'Meter', manufacturer: 'Acme' },
    entities: [
      sensor('power', 'Power', { unit: 'W', device_class: 'power', state_class: 'measurement', deadband: 5 }),
      sensor('energy', 'Energy', { unit: 'kWh', device_class: 'energy', state_class: 'total_increasing' }),
      sensor('temp', 'Temperature', { unit: '°C', min_interval_ms: 10_000 }),
      binarySensor('tamper', 'Tamper'),
    ],
    ...extra,
  };
}

interface Setup {
  mqtt: FakeMqtt;
  reg: EntityRegistry;
  logs: string[];
}

function setup(t: TestContext, opts: Partial<RegistryOptions> = {}): Setup {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 });
  const logs: string[] = [];
  const log = new LoggerRoot({
    level: 'debug',
    timestamps: false,
    sink: { write: (l) => logs.push(l) },
  }).logger('entities');
  const { mqtt, reg } = registryOnFakeMqtt(node, log, { random: () => 0.5, ...opts });
  reg.start();
  t.after(() => reg.stop());
  return { mqtt, reg, logs };
}

const states = (m: FakeMqtt) => m.on(STATE).map((p) => JSON.parse(p.payload) as Record<string, unknown>);
const discoveryTopics = (m: FakeMqtt) => m.published.filter((p) => p.topic.endsWith('/config'));

describe('discovery publication', () => {
  test('one retained discovery message per entity on declare', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    const d = discoveryTopics(mqtt);
    assert.deepEqual(
      d.map((p) => p.topic),
      [
        'homeassistant/sensor/n1_meter/power/config',
        'homeassistant/sensor/n1_meter/energy/config',
        'homeassistant/sensor/n1_meter/temp/config',
        'homeassistant/binary_sensor/n1_meter/tamper/config',
      ],
    );
    assert.ok(d.every((p) => p.retain));
    assert.equal(JSON.parse(d[0]?.payload ?? '{}').unique_id, 'n1_meter_power');
  });

  test('only changed discovery payloads are published again (stable stringify)', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    mqtt.clear();
    // Same declaration, keys in another order: nothing to send.
    const same = meterDecl();
    same.device = { manufacturer: 'Acme', name: 'Meter', id: 'meter' };
    reg.declare(same);
    assert.equal(mqtt.published.length, 0);
    // One entity changes its unit: only that one.
    const changed = meterDecl();
    changed.entities[1] = sensor('energy', 'Energy', {
      unit: 'Wh',
      device_class: 'energy',
      state_class: 'total_increasing',
    });
    reg.declare(changed);
    assert.deepEqual(
      mqtt.published.map((p) => p.topic),
      ['homeassistant/sensor/n1_meter/energy/config'],
    );
  });

  test('removed entities are cleared with an empty retained message', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    mqtt.clear();
    const fewer = meterDecl();
    fewer.entities = fewer.entities.filter((e) => e.key !== 'tamper');
    reg.declare(fewer);
    assert.deepEqual(mqtt.published, [
      { topic: 'homeassistant/binary_sensor/n1_meter/tamper/config', payload: '', retain: true, qos: 0 },
    ]);
  });

  test('an entity that changes component: old topic cleared, new one published', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    mqtt.clear();
    const moved = meterDecl();
    moved.entities[3] = sensor('tamper', 'Tamper');
    reg.declare(moved);
    assert.deepEqual(
      mqtt.published.map((p) => [p.topic, p.payload === '']),
      [
        ['homeassistant/binary_sensor/n1_meter/tamper/config', true],
        ['homeassistant/sensor/n1_meter/tamper/config', false],
      ],
    );
  });

  test('remove(device) clears every discovery topic, its state and availability', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    reg.update('meter', { power: 100 });
    t.mock.timers.tick(50);
    mqtt.clear();
    reg.remove('meter');
    assert.equal(mqtt.published.length, 6);
    assert.ok(mqtt.published.every((p) => p.payload === '' && p.retain));
    assert.ok(mqtt.on(STATE).length === 1 && mqtt.on(AVAIL).length === 1);
    assert.equal(reg.hasDevice('meter'), false);
  });

  test('hasDiscovery: the topics declared now, not those removed', (t) => {
    const { reg } = setup(t);
    const tamper = 'homeassistant/binary_sensor/n1_meter/tamper/config';
    const power = 'homeassistant/sensor/n1_meter/power/config';
    assert.equal(reg.hasDiscovery(power), false);
    reg.declare(meterDecl());
    assert.equal(reg.hasDiscovery(power), true);
    assert.equal(reg.hasDiscovery(tamper), true);
    const fewer = meterDecl();
    fewer.entities = fewer.entities.filter((e) => e.key !== 'tamper');
    reg.declare(fewer);
    assert.equal(reg.hasDiscovery(tamper), false);
    reg.remove('meter');
    assert.equal(reg.hasDiscovery(power), false);
  });

  test('ids are checked: bad device id, bad key, duplicate key', (t) => {
    const { reg } = setup(t);
    assert.throws(() => reg.declare({ device: { id: 'Bad Id', name: 'x' }, entities: [] }), /device id/);
    assert.throws(
      () => reg.declare({ device: { id: 'ok', name: 'x' }, entities: [sensor('a-b', 'A')] }),
      /entity key/,
    );
    assert.throws(
      () => reg.declare({ device: { id: 'ok', name: 'x' }, entities: [sensor('a', 'A'), sensor('a', 'B')] }),
      /duplicate/,
    );
  });
});

describe('state publication', () => {
  test('updates within the coalescing window become one retained message with every value', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    reg.update('meter', { power: 100 });
    t.mock.timers.tick(20);
    reg.update('meter', { energy: 1.5 });
    reg.update('meter', { power: 120 });
    t.mock.timers.tick(29);
    assert.equal(mqtt.on(STATE).length, 0, 'nothing before the window ends');
    t.mock.timers.tick(1);
    assert.equal(mqtt.on(STATE).length, 1);
    assert.equal(mqtt.on(STATE)[0]?.retain, true);
    // Every declared value key is present (null when unknown) so that templates never fail.
    assert.deepEqual(states(mqtt)[0], { power: 120, energy: 1.5, temp: null, tamper: null });
  });

  test('coalescing is per device: another device is not merged into the same message', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    reg.declare({ device: { id: 'other', name: 'Other' }, entities: [sensor('x', 'X')] });
    reg.update('meter', { power: 1 });
    reg.update('other', { x: 2 });
    t.mock.timers.tick(50);
    assert.equal(mqtt.on(STATE).length, 1);
    assert.deepEqual(JSON.parse(mqtt.on(topics.deviceState(node, 'other'))[0]?.payload ?? ''), { x: 2 });
  });

  test('unchanged values are not re-sent', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    reg.update('meter', { power: 100, energy: 2, tamper: false });
    t.mock.timers.tick(50);
    for (let i = 0; i < 10; i++) {
      reg.update('meter', { power: 100, energy: 2, tamper: false });
      t.mock.timers.tick(50);
    }
    assert.equal(mqtt.on(STATE).length, 1);
    reg.update('meter', { tamper: true });
    t.mock.timers.tick(50);
    assert.equal(mqtt.on(STATE).length, 2);
    assert.equal(states(mqtt)[1]?.tamper, true);
  });

  test('objects compare by content, not by reference', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare({
      device: { id: 'meter', name: 'M' },
      entities: [sensor('s', 'S', { attributes_key: 'a' })],
    });
    reg.update('meter', { s: 1, a: { x: 1, y: 2 } });
    t.mock.timers.tick(50);
    reg.update('meter', { a: { y: 2, x: 1 } });
    t.mock.timers.tick(50);
    assert.equal(mqtt.on(STATE).length, 1);
  });

  test('deadband: changes smaller than it are not sent, measured from the last value sent', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    reg.update('meter', { power: 100 });
    t.mock.timers.tick(50);
    for (const v of [102, 104, 96]) {
      reg.update('meter', { power: v });
      t.mock.timers.tick(50);
    }
    assert.equal(mqtt.on(STATE).length, 1, 'changes under 5 W are ignored');
    reg.update('meter', { power: 105 });
    t.mock.timers.tick(50);
    assert.equal(mqtt.on(STATE).length, 2);
    assert.equal(states(mqtt)[1]?.power, 105);
    // A non-numeric value always passes.
    reg.update('meter', { power: null });
    t.mock.timers.tick(50);
    assert.equal(states(mqtt)[2]?.power, null);
  });

  test('minimum interval: a change is held until due, then sent with the latest value', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    reg.update('meter', { temp: 20 });
    t.mock.timers.tick(50);
    reg.update('meter', { temp: 21 });
    t.mock.timers.tick(50);
    reg.update('meter', { temp: 22 });
    t.mock.timers.tick(5000);
    assert.equal(mqtt.on(STATE).length, 1, 'held for 10 s');
    t.mock.timers.tick(4950);
    assert.equal(mqtt.on(STATE).length, 2);
    assert.equal(states(mqtt)[1]?.temp, 22);
  });

  test('a value held by its minimum interval does not delay the other values of the device', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    reg.update('meter', { temp: 20 });
    t.mock.timers.tick(50);
    reg.update('meter', { temp: 21 }); // held until +10 s
    t.mock.timers.tick(50);
    reg.update('meter', { energy: 3 });
    t.mock.timers.tick(50);
    assert.equal(mqtt.on(STATE).length, 2, 'energy is sent after the coalescing window');
    assert.deepEqual([states(mqtt)[1]?.energy, states(mqtt)[1]?.temp], [3, 20]);
  });

  test('periodic refresh re-sends every state even when unchanged', (t) => {
    const { mqtt, reg } = setup(t, { refreshMinutes: 10 });
    reg.declare(meterDecl());
    reg.update('meter', { power: 100 });
    t.mock.timers.tick(50);
    t.mock.timers.tick(10 * 60_000 - 50);
    assert.equal(mqtt.on(STATE).length, 2);
    assert.equal(mqtt.on(STATE)[1]?.payload, mqtt.on(STATE)[0]?.payload);
    t.mock.timers.tick(10 * 60_000);
    assert.equal(mqtt.on(STATE).length, 3);
  });

  test('a device without explicit availability becomes online with its first state; setAvailability is deduped', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    assert.equal(mqtt.on(AVAIL).length, 0);
    reg.update('meter', { power: 1 });
    t.mock.timers.tick(50);
    const order = mqtt.published.filter((p) => p.topic === AVAIL || p.topic === STATE).map((p) => p.topic);
    assert.deepEqual(order, [AVAIL, STATE], 'availability before the state');
    assert.deepEqual(mqtt.on(AVAIL)[0], { topic: AVAIL, payload: 'online', retain: true, qos: 0 });
    reg.setAvailability('meter', true);
    assert.equal(mqtt.on(AVAIL).length, 1);
    reg.setAvailability('meter', false);
    assert.equal(mqtt.on(AVAIL)[1]?.payload, 'offline');
  });

  test('a device set offline before its first state stays offline', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    reg.setAvailability('meter', false);
    reg.update('meter', { power: 1 });
    t.mock.timers.tick(50);
    assert.deepEqual(
      mqtt.on(AVAIL).map((p) => p.payload),
      ['offline'],
    );
  });

  test('the gateway has no device availability topic (the instance status is its availability)', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare({ device: { id: GATEWAY_DEVICE_ID, name: 'GW' }, entities: [sensor('version', 'Version')] });
    reg.update(GATEWAY_DEVICE_ID, { version: '1' });
    t.mock.timers.tick(50);
    assert.equal(mqtt.on(topics.deviceAvailability(node, GATEWAY_DEVICE_ID)).length, 0);
  });

  test('an update for an undeclared device is ignored with a warning', (t) => {
    const { mqtt, reg, logs } = setup(t);
    reg.update('ghost', { a: 1 });
    t.mock.timers.tick(100);
    assert.equal(mqtt.published.length, 0);
    assert.ok(logs.some((l) => /undeclared device ghost/.test(l)));
  });

  test('events are not retained and carry event_type', (t) => {
    const { mqtt, reg, logs } = setup(t);
    reg.declare({
      device: { id: 'sms', name: 'SMS' },
      entities: [eventEntity('received', 'Received', ['sms'])],
    });
    reg.emitEvent('sms', 'received', 'sms', { from: '+33600000000' });
    const ev = mqtt.on(topics.entityEvent(node, 'sms', 'received'));
    assert.equal(ev.length, 1);
    assert.equal(ev[0]?.retain, false);
    assert.deepEqual(JSON.parse(ev[0]?.payload ?? ''), { from: '+33600000000', event_type: 'sms' });
    reg.emitEvent('sms', 'nope', 'x');
    assert.ok(logs.some((l) => /not declared/.test(l)));
  });
});

describe('Home Assistant birth message and reconnection', () => {
  test('"online" on homeassistant/status: after a random delay, discovery first, then availability and states', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    reg.update('meter', { power: 100 });
    t.mock.timers.tick(50);
    mqtt.clear();
    mqtt.deliver('homeassistant/status', 'online');
    t.mock.timers.tick(999);
    assert.equal(mqtt.published.length, 0, 'random() = 0.5 of 2000 ms: nothing before 1000 ms');
    t.mock.timers.tick(1);
    const kinds = mqtt.published.map((p) =>
      p.topic.endsWith('/config')
        ? 'discovery'
        : p.topic === STATE
          ? 'state'
          : p.topic === AVAIL
            ? 'availability'
            : p.topic,
    );
    assert.deepEqual(kinds, ['discovery', 'discovery', 'discovery', 'discovery', 'availability', 'state']);
    assert.ok(mqtt.published.every((p) => p.retain));
  });

  test('several birth messages within the delay give one republish; "offline" and retained "online" give none', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    mqtt.clear();
    mqtt.deliver('homeassistant/status', 'offline');
    mqtt.deliver('homeassistant/status', 'online', true);
    t.mock.timers.tick(3000);
    assert.equal(mqtt.published.length, 0);
    mqtt.deliver('homeassistant/status', 'online');
    mqtt.deliver('homeassistant/status', 'online');
    t.mock.timers.tick(3000);
    assert.equal(discoveryTopics(mqtt).length, 4);
  });

  test('issue 15: 10 births in 6 s from any client give at most 2 full republishes; one is still served later', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    t.mock.timers.tick(50);
    mqtt.clear();
    for (let i = 0; i < 10; i++) {
      mqtt.deliver('homeassistant/status', 'online');
      t.mock.timers.tick(600);
    }
    t.mock.timers.tick(120_000);
    const republishes = discoveryTopics(mqtt).length / 4;
    assert.ok(republishes >= 1 && republishes <= 2, `${republishes} republishes`);
    // A real HA restart a while later is still answered.
    mqtt.clear();
    t.mock.timers.tick(60_000);
    mqtt.deliver('homeassistant/status', 'online');
    t.mock.timers.tick(2000);
    assert.equal(discoveryTopics(mqtt).length, 4);
  });

  test('a reconnection republishes discovery then states (a restarted broker lost the retained ones)', (t) => {
    const { mqtt, reg } = setup(t);
    reg.declare(meterDecl());
    reg.update('meter', { power: 100 });
    t.mock.timers.tick(50);
    mqtt.clear();
    mqtt.fireConnect();
    const kinds = mqtt.published.map((p) =>
      p.topic.endsWith('/config') ? 'd' : p.topic === STATE ? 's' : 'a',
    );
    assert.deepEqual(kinds.join(''), 'ddddas');
  });
});

describe('commands', () => {
  test('a payload on <base>/<node>/<device>/<key>/set reaches the entity handler', (t) => {
    const { mqtt, reg } = setup(t);
    const got: string[] = [];
    reg.declare({
      device: { id: 'sms', name: 'SMS' },
      entities: [button('restart', 'Restart', (p) => void got.push(`restart:${p}`)), sensor('x', 'X')],
    });
    assert.ok(mqtt.subscriptions.includes('monitor/n1/+/+/set'));
    mqtt.deliver('monitor/n1/sms/restart/set', 'PRESS');
    mqtt.deliver('monitor/n1/sms/x/set', 'ignored: no handler');
    mqtt.deliver('monitor/n1/other/restart/set', 'ignored: no such device');
    assert.deepEqual(got, ['restart:PRESS']);
  });

  test('a throwing handler (sync or async) is logged and isolated; the next command still works', async (t) => {
    const { mqtt, reg, logs } = setup(t);
    const got: string[] = [];
    reg.declare({
      device: { id: 'd', name: 'D' },
      entities: [
        button('boom', 'Boom', () => {
          throw new Error('sync boom');
        }),
        button('later', 'Later', async () => {
          throw new Error('async boom');
        }),
        button('ok', 'OK', (p) => void got.push(p)),
      ],
    });
    assert.doesNotThrow(() => mqtt.deliver('monitor/n1/d/boom/set', 'PRESS'));
    mqtt.deliver('monitor/n1/d/later/set', 'PRESS');
    await new Promise((r) => setImmediate(r));
    mqtt.deliver('monitor/n1/d/ok/set', 'PRESS');
    assert.deepEqual(got, ['PRESS']);
    assert.ok(logs.some((l) => /boom\/set failed: sync boom/.test(l)));
    assert.ok(logs.some((l) => /later\/set failed: async boom/.test(l)));
  });

  test('a re-declared device without the command no longer routes it', (t) => {
    const { mqtt, reg } = setup(t);
    let n = 0;
    reg.declare({ device: { id: 'd', name: 'D' }, entities: [button('b', 'B', () => void n++)] });
    reg.declare({ device: { id: 'd', name: 'D' }, entities: [sensor('s', 'S')] });
    mqtt.deliver('monitor/n1/d/b/set', 'PRESS');
    assert.equal(n, 0);
  });
});
