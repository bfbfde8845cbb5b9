/**
 * Orphan cleanup: what earlier runs of a node left on a real Mosquitto and nobody declares
 * anymore is cleared after the grace period; what is still declared, what is declared late
 * within the grace period, and what belongs to another node or program stays.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { App } from '../../addon/src/app.js';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import type { ModuleFactory } from '../../addon/src/core/module.js';
import { discoveryPayload, type NodeContext } from '../../addon/src/entities/discovery.js';
import { type EntitySpec, sensor } from '../../addon/src/entities/model.js';
import { OrphanSweeper, ownedDiscovery } from '../../addon/src/entities/orphans.js';
import { EntityRegistry } from '../../addon/src/entities/registry.js';
import { ORIGIN } from '../../addon/src/version.js';
import { FakeMqtt } from '../helpers/fake-mqtt.js';
import { connectClient, Mosquitto, Recorder } from '../helpers/mosquitto.js';

const nodeOf = (nodeId: string): NodeContext => ({
  nodeId,
  baseTopic: 'monitor',
  discoveryPrefix: 'homeassistant',
  origin: ORIGIN,
});

async function until(pred: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition') {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The retained messages the broker holds now under `filter` (a fresh subscription). */
async function retained(url: string, filter = '#'): Promise<Map<string, string>> {
  const c = await connectClient(url);
  const out = new Map<string, string>();
  c.on('message', (topic, payload, packet) => {
    if (packet.retain) out.set(topic, payload.toString());
  });
  await c.subscribeAsync(filter);
  // Retained messages follow the SUBACK at once; a round trip makes sure they are all in.
  await c.publishAsync('probe/flush', 'x', { qos: 1 });
  await sleep(50);
  await c.endAsync();
  return out;
}

/** A test module declaring one device with the given sensors, optionally more after a delay. */
function deviceModule(id: string, keys: string[], later?: { afterMs: number; keys: string[] }) {
  const entities = (ks: string[]): EntitySpec[] => ks.map((k) => sensor(k, k, { unit: 'W' }));
  const factory: ModuleFactory<unknown> = (ctx) => {
    let timer: NodeJS.Timeout | undefined;
    return {
      async start() {
        ctx.entities.declare({ device: { id, name: id }, entities: entities(keys) });
        ctx.entities.setAvailability(id, true);
        ctx.entities.update(id, Object.fromEntries(keys.map((k) => [k, 1])));
        if (later)
          timer = setTimeout(() => {
            ctx.entities.declare({ device: { id, name: id }, entities: entities(later.keys) });
          }, later.afterMs);
      },
      async stop() {
        if (timer) clearTimeout(timer);
      },
    };
  };
  return factory;
}

describe('ownedDiscovery: only this node’s configs', () => {
  const node = nodeOf('garage');
  const mine = (device: string, key: string, n = node) =>
    JSON.stringify(discoveryPayload(n, { id: device, name: device }, sensor(key, key)));

  test('accepts its own config, with device and key', () => {
    assert.deepEqual(
      ownedDiscovery(node, 'homeassistant/sensor/garage_linky_1/east/config', mine('linky_1', 'east')),
      { device: 'linky_1', key: 'east' },
    );
  });

  test('refuses another node whose id starts with this one, another program, bad JSON', () => {
    // Node "garage_2", device "printer": object id garage_2_printer, as if node garage had device 2_printer.
    const other = mine('printer', 'temp', nodeOf('garage_2'));
    assert.equal(ownedDiscovery(node, 'homeassistant/sensor/garage_2_printer/temp/config', other), undefined);
    assert.equal(
      ownedDiscovery(
        node,
        'homeassistant/sensor/garage_x/t/config',
        JSON.stringify({ unique_id: 'garage_x_t', device: { identifiers: ['garage_x'] } }),
      ),
      undefined,
    );
    assert.equal(ownedDiscovery(node, 'homeassistant/sensor/garage_x/t/config', '{not json'), undefined);
    assert.equal(ownedDiscovery(node, 'homeassistant/sensor/zigbee_x/t/config', mine('x', 't')), undefined);
  });
});

describe('OrphanSweeper and the connection', () => {
  const node = nodeOf('n1');
  const topic = 'homeassistant/sensor/n1_gone/value/config';
  const config = JSON.stringify(discoveryPayload(node, { id: 'gone', name: 'g' }, sensor('value', 'v')));
  const nothingDeclared = { hasDevice: () => false, hasDiscovery: () => false, keepsDevice: () => false };
  const silent = new LoggerRoot({ level: 'silent' }).logger('entities');

  test('the grace period counts from the first connection, not from start', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const mqtt = new FakeMqtt();
    mqtt.connected = false;
    const sweeper = new OrphanSweeper(node, mqtt, nothingDeclared, { graceMs: 1000 }, silent);
    sweeper.start();
    t.mock.timers.tick(5000);
    mqtt.fireConnect(true);
    mqtt.deliver(topic, config, true);
    t.mock.timers.tick(999);
    assert.equal(mqtt.on(topic).length, 0);
    t.mock.timers.tick(1);
    assert.deepEqual(
      mqtt.published.map((p) => [p.topic, p.payload, p.retain]),
      [
        [topic, '', true],
        ['monitor/n1/gone/state', '', true],
        ['monitor/n1/gone/availability', '', true],
      ],
    );
    assert.deepEqual(mqtt.subscriptions, [], 'unsubscribed after the sweep');
  });

  test('disconnected when the grace period ends: the sweep waits for the connection', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const mqtt = new FakeMqtt();
    const sweeper = new OrphanSweeper(node, mqtt, nothingDeclared, { graceMs: 1000 }, silent);
    sweeper.start();
    mqtt.deliver(topic, config, true);
    mqtt.connected = false;
    t.mock.timers.tick(1000);
    assert.equal(mqtt.published.length, 0);
    assert.equal(sweeper.cleared.discovery, 0);
    mqtt.fireConnect();
    assert.equal(mqtt.on(topic).at(-1)?.payload, '');
    assert.equal(sweeper.cleared.discovery, 1);
  });

  test('a config cleared by someone else meanwhile is not cleared again', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const mqtt = new FakeMqtt();
    const sweeper = new OrphanSweeper(node, mqtt, nothingDeclared, { graceMs: 1000 }, silent);
    sweeper.start();
    mqtt.deliver(topic, config, true);
    mqtt.deliver(topic, '', false);
    t.mock.timers.tick(1000);
    assert.equal(mqtt.published.length, 0);
    assert.equal(sweeper.cleared.discovery, 0);
  });
});

describe('keepDevice', () => {
  test('a device a module will declare later keeps everything; the others are cleared', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const node = nodeOf('n1');
    const mqtt = new FakeMqtt();
    const log = new LoggerRoot({ level: 'silent' }).logger('entities');
    const registry = new EntityRegistry(
      node,
      mqtt,
      { coalesceMs: 0, refreshMinutes: 0, republishDelayMs: 0, birthTopic: 'homeassistant/status' },
      log,
    );
    const sweeper = new OrphanSweeper(node, mqtt, registry, { graceMs: 1000 }, log);
    registry.start();
    sweeper.start();
    // A printer switched off: declared without its heaters, which it had in an earlier run.
    registry.declare({ device: { id: 'printer', name: 'p' }, entities: [sensor('state', 's')] });
    registry.keepDevice('printer');
    registry.keepDevice('enedis_1');
    registry.keepDevice('meter_old');
    registry.remove('meter_old');
    assert.equal(registry.keepsDevice('enedis_1'), true);
    assert.equal(registry.keepsDevice('meter_old'), false, 'remove() ends it');
    assert.throws(() => registry.keepDevice('Bad Id'), /device id/);
    const leftovers = [
      ['printer', 'bed'],
      ['enedis_1', 'history_import'],
      ['meter_old', 'east'],
      ['gone', 'value'],
    ];
    for (const [device = '', key = ''] of leftovers)
      mqtt.deliver(
        `homeassistant/sensor/n1_${device}/${key}/config`,
        JSON.stringify(discoveryPayload(node, { id: device, name: device }, sensor(key, key))),
        true,
      );
    mqtt.clear();
    t.mock.timers.tick(1000);
    assert.deepEqual(mqtt.published.map((p) => p.topic).sort(), [
      'homeassistant/sensor/n1_gone/value/config',
      'homeassistant/sensor/n1_meter_old/east/config',
      'monitor/n1/gone/availability',
      'monitor/n1/gone/state',
      'monitor/n1/meter_old/availability',
      'monitor/n1/meter_old/state',
    ]);
    assert.deepEqual(sweeper.cleared.devices, ['gone', 'meter_old']);
    registry.stop();
  });
});

describe('orphan cleanup against a real Mosquitto', () => {
  const broker = new Mosquitto();
  const dataDir = mkdtempSync(join(tmpdir(), 'monitor-orphans-'));
  before(() => broker.start());
  after(async () => {
    await broker.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function run(
    nodeId: string,
    modules: Record<string, ModuleFactory<unknown>>,
    graceSeconds: number,
    body: (app: App, logs: string[]) => Promise<void> = async () => {},
  ): Promise<void> {
    const config = loadConfigObject(
      {
        node_id: nodeId,
        data_dir: dataDir,
        language: 'en',
        mqtt: { url: broker.url },
        discovery: { coalesce_ms: 0, orphan_grace_seconds: graceSeconds },
      },
      {},
    );
    for (const name of Object.keys(modules)) Object.assign(config, { [name]: {} });
    const logs: string[] = [];
    const logRoot = new LoggerRoot({
      level: 'info',
      timestamps: false,
      sink: { write: (l) => logs.push(l) },
    });
    const app = new App(config, { logRoot, env: {}, modules });
    try {
      await app.start();
      await body(app, logs);
    } finally {
      await app.stop();
    }
  }

  const disc = (node: string, device: string, key: string) =>
    `homeassistant/sensor/${node}_${device}/${key}/config`;

  test('devices and entities nobody declares anymore are cleared after the grace period, nothing else', async () => {
    // First run: devices a (value, old, late) and b (value).
    await run(
      'orph',
      { a: deviceModule('dev_a', ['value', 'old', 'late']), b: deviceModule('dev_b', ['value']) },
      0,
      async () => {
        await until(
          async () => (await retained(broker.url)).has('monitor/orph/dev_b/state'),
          5000,
          'first run published',
        );
      },
    );
    // Another node whose id starts with this one, with a device "b" too, and another program.
    const outsider = await connectClient(broker.url);
    const otherNode = nodeOf('orph_2');
    const foreign = {
      [disc('orph_2', 'dev_b', 'value')]: JSON.stringify(
        discoveryPayload(otherNode, { id: 'dev_b', name: 'b' }, sensor('value', 'v')),
      ),
      'homeassistant/sensor/zigbee_kitchen/temp/config': JSON.stringify({ unique_id: 'zigbee_kitchen_temp' }),
      'monitor/orph_2/dev_b/state': '{"value":7}',
    };
    for (const [t, p] of Object.entries(foreign)) await outsider.publishAsync(t, p, { retain: true, qos: 1 });
    await outsider.endAsync();

    const before = await retained(broker.url);
    for (const t of [
      disc('orph', 'dev_a', 'old'),
      disc('orph', 'dev_b', 'value'),
      'monitor/orph/dev_b/state',
      'monitor/orph/dev_b/availability',
    ])
      assert.ok(before.has(t), `${t} retained after the first run`);

    // Second run: only a, without "old", and "late" declared within the grace period.
    const rec = await Recorder.open(broker.url, ['homeassistant/#', 'monitor/#']);
    await run(
      'orph',
      { a: deviceModule('dev_a', ['value'], { afterMs: 300, keys: ['value', 'late'] }) },
      1,
      async (app, logs) => {
        // A live (not retained) config is a publication of now, not a leftover: never collected.
        const live = JSON.stringify(
          discoveryPayload(nodeOf('orph'), { id: 'dev_live', name: 'live' }, sensor('value', 'v')),
        );
        await rec.client.publishAsync(disc('orph', 'dev_live', 'value'), live, { qos: 1 });
        await sleep(150);
        assert.ok(
          (await retained(broker.url)).has(disc('orph', 'dev_b', 'value')),
          'nothing cleared before the grace period',
        );
        await until(() => app.orphans.cleared.discovery > 0, 5000, 'the sweep');
        const now = await retained(broker.url);
        assert.equal(now.has(disc('orph', 'dev_b', 'value')), false, 'b discovery cleared');
        assert.equal(now.has('monitor/orph/dev_b/state'), false, 'b state cleared');
        assert.equal(now.has('monitor/orph/dev_b/availability'), false, 'b availability cleared');
        assert.equal(now.has(disc('orph', 'dev_a', 'old')), false, 'removed entity of a cleared');
        // a is intact, including the entity declared late within the grace period.
        assert.equal(
          JSON.parse(now.get(disc('orph', 'dev_a', 'value')) ?? '{}').unique_id,
          'orph_dev_a_value',
        );
        assert.equal(JSON.parse(now.get(disc('orph', 'dev_a', 'late')) ?? '{}').unique_id, 'orph_dev_a_late');
        assert.equal(now.get('monitor/orph/dev_a/availability'), 'online');
        assert.deepEqual(JSON.parse(now.get('monitor/orph/dev_a/state') ?? '{}'), { value: 1 });
        assert.ok(now.has(disc('orph', 'gateway', 'version')), 'the gateway stays');
        // The gateway's status entity of module b went with it.
        assert.equal(now.has(disc('orph', 'gateway', 'module_b')), false);
        // Another node and another program are untouched.
        for (const [t, p] of Object.entries(foreign)) assert.equal(now.get(t), p, `${t} untouched`);
        assert.equal(app.orphans.cleared.discovery, 3);
        assert.deepEqual(app.orphans.cleared.devices, ['dev_b']);
        const line = logs.find((l) => l.includes('cleared 3 discovery'));
        assert.match(line ?? '', /^INFO +\[entities\] .*devices removed: dev_b$/);
      },
    );
    // "late" was never cleared, not even for a moment; nothing of the other node was touched.
    assert.equal(
      rec.messages.some((m) => m.topic === disc('orph', 'dev_a', 'late') && m.payload === ''),
      false,
    );
    assert.equal(
      rec.messages.some((m) => m.topic.includes('orph_2') && m.payload === ''),
      false,
    );
    await rec.close();
  });

  test('with a grace period of 0, nothing is cleared', async () => {
    await run('orph0', { a: deviceModule('dev_a', ['value']), b: deviceModule('dev_b', ['value']) }, 0, () =>
      until(async () => (await retained(broker.url)).has('monitor/orph0/dev_b/state'), 5000, 'first run'),
    );
    await run('orph0', { a: deviceModule('dev_a', ['value']) }, 0, async (app) => {
      await sleep(1200);
      const now = await retained(broker.url);
      for (const t of [
        disc('orph0', 'dev_b', 'value'),
        'monitor/orph0/dev_b/state',
        'monitor/orph0/dev_b/availability',
        disc('orph0', 'gateway', 'module_b'),
      ])
        assert.ok(now.has(t), `${t} kept`);
      assert.equal(app.orphans.cleared.discovery, 0);
    });
    // Disabled means not even listening (the same line exists for node "orph", test above).
    assert.equal(broker.log.includes('monitor_orph0 0 homeassistant/+/+/+/config'), false);
    assert.ok(broker.log.includes('monitor_orph 0 homeassistant/+/+/+/config'));
  });

  test('an entity declared after the grace period is published again', async () => {
    await run('orphl', { a: deviceModule('dev_a', ['value', 'snapshot']) }, 0, () =>
      until(
        async () => (await retained(broker.url)).has(disc('orphl', 'dev_a', 'snapshot')),
        5000,
        'first run',
      ),
    );
    await run(
      'orphl',
      { a: deviceModule('dev_a', ['value'], { afterMs: 1000, keys: ['value', 'snapshot'] }) },
      0.3,
      async (app) => {
        await until(() => app.orphans.cleared.discovery > 0, 5000, 'the sweep');
        assert.deepEqual(app.orphans.cleared.devices, [], 'dev_a is still declared');
        assert.equal((await retained(broker.url)).has(disc('orphl', 'dev_a', 'snapshot')), false);
        await until(
          async () => (await retained(broker.url)).has(disc('orphl', 'dev_a', 'snapshot')),
          5000,
          'the late entity published again',
        );
        const again = JSON.parse(
          (await retained(broker.url)).get(disc('orphl', 'dev_a', 'snapshot')) ?? '{}',
        );
        assert.equal(again.unique_id, 'orphl_dev_a_snapshot');
        assert.equal((await retained(broker.url)).get('monitor/orphl/dev_a/availability'), 'online');
      },
    );
  });
});
