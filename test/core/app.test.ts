/**
 * The module contract end to end, in process, against a real Mosquitto: a small test module
 * declares a device, publishes states, takes a command and an RPC; another one keeps failing.
 * The gateway reports both; the failing one never disturbs the other.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { App } from '../../addon/src/app.js';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import type { ModuleContext, ModuleFactory } from '../../addon/src/core/module.js';
import { button, sensor } from '../../addon/src/entities/model.js';
import { gatewayEntities } from '../../addon/src/gateway/gateway.js';
import { FakeHa } from '../helpers/fake-ha.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { rpcRequest, TEST_RPC_SECRET } from '../helpers/rpc.js';

async function until(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('gateway entities', () => {
  test('version, start time, MQTT messages sent and one enum status per module, all diagnostic', () => {
    const list = gatewayEntities(['sms', 'linky'], 'en');
    assert.deepEqual(
      list.map((e) => e.key),
      ['version', 'started_at', 'mqtt_messages_sent', 'store_problem', 'module_sms', 'module_linky'],
    );
    assert.ok(list.every((e) => e.entity_category === 'diagnostic'));
    const sms = list.find((e) => e.key === 'module_sms');
    assert.equal(sms?.device_class, 'enum');
    assert.deepEqual(Object.keys(sms?.state_labels ?? {}), [
      'starting',
      'ok',
      'degraded',
      'error',
      'stopped',
    ]);
    assert.equal(sms?.name, 'SMS module');
    assert.equal(list.find((e) => e.key === 'mqtt_messages_sent')?.state_class, 'total_increasing');
    const fr = gatewayEntities(['sms'], 'fr');
    assert.equal(fr.find((e) => e.key === 'started_at')?.name, 'Démarrage');
    assert.equal(fr.find((e) => e.key === 'module_sms')?.name, 'Module SMS');
    assert.equal(fr.find((e) => e.key === 'mqtt_messages_sent')?.name, 'Messages MQTT envoyés');
  });
});

describe('App with test modules against a real Mosquitto', () => {
  const broker = new Mosquitto();
  const dataDir = mkdtempSync(join(tmpdir(), 'monitor-app-'));
  before(() => broker.start());
  after(async () => {
    await broker.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('states, commands, RPC, failures and restarts, reported by the gateway', async () => {
    let probeStarts = 0;
    let probeCtx: ModuleContext<unknown> | undefined;
    const probe: ModuleFactory<unknown> = (ctx) => ({
      async start() {
        probeStarts++;
        probeCtx = ctx;
        ctx.entities.declare({
          device: { id: 'probe', name: 'Probe', manufacturer: 'Test' },
          entities: [
            sensor('value', 'Value', { unit: 'W', device_class: 'power', state_class: 'measurement' }),
            button('boom', 'Boom', () => ctx.fail(new Error('boom pressed'))),
          ],
        });
        ctx.entities.setAvailability('probe', true);
        ctx.entities.update('probe', { value: probeStarts * 10 });
        ctx.rpc.register('probe_echo', async (params) => ({ echoed: params.text, dataDir: ctx.dataDir }));
      },
      async stop() {},
    });
    const broken: ModuleFactory<unknown> = () => ({
      async start() {
        throw new Error('no such device /dev/ttyUSB9');
      },
      async stop() {},
    });
    const config = loadConfigObject(
      {
        node_id: 'apptest',
        data_dir: dataDir,
        language: 'en',
        mqtt: { url: broker.url },
        rpc: { secret: TEST_RPC_SECRET },
        discovery: { coalesce_ms: 20, republish_delay_ms: 100 },
      },
      {},
    );
    // Test modules run when "their section" is present, like the real ones.
    Object.assign(config, { probe: {}, broken: {} });
    const logRoot = new LoggerRoot({ level: 'silent' });
    const app = new App(config, {
      logRoot,
      env: {},
      modules: { probe, broken },
      supervisor: { restartInitialMs: 50, restartMaxMs: 200 },
    });
    const rec = await Recorder.open(broker.url, ['monitor/apptest/#', 'homeassistant/#']);
    const gatewayState = () => {
      const last = rec.messages.filter((m) => m.topic === 'monitor/apptest/gateway/state').at(-1);
      return last ? (JSON.parse(last.payload) as Record<string, unknown>) : {};
    };
    try {
      await app.start();
      assert.deepEqual(app.activeModules().sort(), ['broken', 'probe']);

      // The module's device: discovery behind the gateway, availability, state.
      const disc = JSON.parse(
        (
          await rec.waitFor(
            (m) =>
              m.topic === 'homeassistant/sensor/apptest_probe/value/config' && m.payload.includes('"device"'),
          )
        ).payload,
      );
      assert.equal(disc.device.via_device, 'apptest_gateway');
      assert.equal((await rec.topic('monitor/apptest/probe/availability')).payload, 'online');
      assert.deepEqual(JSON.parse((await rec.topic('monitor/apptest/probe/state')).payload), { value: 10 });

      // The gateway reports each module; the broken one is degraded, then in error, with its reason.
      await rec.topic('homeassistant/sensor/apptest_gateway/module_broken/config');
      await until(() => gatewayState().module_probe === 'ok', 5000, 'probe ok');
      await until(() => gatewayState().module_broken === 'error', 5000, 'broken in error');
      assert.deepEqual(gatewayState().module_broken_attributes, { error: 'no such device /dev/ttyUSB9' });
      assert.ok((app.supervisor.statuses().broken?.restarts ?? 0) >= 3);

      // RPC over MQTT: request and reply topics.
      await rec.client.publishAsync(
        'monitor/apptest/rpc/probe_echo',
        rpcRequest('probe_echo', { text: 'hi' }, 'r1'),
      );
      const reply = JSON.parse((await rec.topic('monitor/apptest/rpc/probe_echo/reply')).payload);
      assert.deepEqual(reply, {
        id: 'r1',
        ok: true,
        result: { echoed: 'hi', dataDir: join(dataDir, 'probe') },
      });
      await rec.client.publishAsync('monitor/apptest/rpc/nope', rpcRequest('nope', {}, 'r2'));
      const unknown = JSON.parse((await rec.topic('monitor/apptest/rpc/nope/reply')).payload);
      assert.deepEqual(unknown, { id: 'r2', ok: false, error: { code: 2, message: 'unknown method nope' } });

      // A command from Home Assistant reaches the module; its failure restarts it.
      await rec.client.publishAsync('monitor/apptest/probe/boom/set', 'PRESS');
      await until(() => probeStarts === 2, 5000, 'the restart of probe');
      await until(() => gatewayState().module_probe === 'ok', 5000, 'probe ok again');
      assert.ok(
        rec.messages.some(
          (m) => m.topic.endsWith('/gateway/state') && JSON.parse(m.payload).module_probe === 'degraded',
        ),
      );
      await until(() =>
        rec.messages.some((m) => m.topic === 'monitor/apptest/probe/state' && m.payload === '{"value":20}'),
      );
      assert.ok(probeCtx);
    } finally {
      await app.stop();
    }
    await until(
      () => rec.messages.some((m) => m.topic === 'monitor/apptest/status' && m.payload === 'offline'),
      3000,
    );
    // Stopping flushes the last states before "offline": HA sees the modules stopped.
    assert.equal(gatewayState().module_probe, 'stopped');
    assert.equal(gatewayState().module_broken, 'stopped');
    await rec.close();
  });

  test('with homeassistant.url set, modules get a connected HA client (retried until HA is up)', async () => {
    const ha = new FakeHa();
    await ha.start();
    const config = loadConfigObject(
      {
        node_id: 'hatest',
        data_dir: dataDir,
        mqtt: { url: broker.url },
        homeassistant: { url: ha.httpUrl, token: ha.token },
      },
      {},
    );
    let ctxHa: ModuleContext<unknown>['ha'];
    const user: ModuleFactory<unknown> = (ctx) => ({
      async start() {
        ctxHa = ctx.ha;
        // Subscribing at start works even if the websocket is not up yet.
        await ctx.ha?.subscribeEvents('tag_scanned', () => {});
      },
      async stop() {},
    });
    Object.assign(config, { user: {} });
    const app = new App(config, { logRoot: new LoggerRoot({ level: 'silent' }), env: {}, modules: { user } });
    try {
      await app.start();
      assert.ok(ctxHa, 'the module got the client');
      await ctxHa?.ready(5000);
      await ctxHa?.callService('persistent_notification', 'create', { message: 'from monitor' });
      assert.equal(ha.serviceCalls.at(-1)?.service, 'create');
      assert.equal(ha.messages('subscribe_events').at(-1)?.msg.event_type, 'tag_scanned');
    } finally {
      await app.stop();
      await ha.stop();
    }
    assert.equal(ctxHa?.connected, false);
  });
});

describe('MQTT connection state on the bus', () => {
  test('modules hear mqttConnection false when the broker goes away and true when it is back', async () => {
    const broker = new Mosquitto();
    await broker.start();
    const dataDir = mkdtempSync(join(tmpdir(), 'monitor-app-'));
    const heard: boolean[] = [];
    const listener: ModuleFactory<unknown> = (ctx) => ({
      async start() {
        ctx.bus.on('mqttConnection', ({ connected }) => {
          heard.push(connected);
        });
      },
      async stop() {},
    });
    const config = loadConfigObject(
      { node_id: 'conn', data_dir: dataDir, mqtt: { url: broker.url, reconnect_max_seconds: 1 } },
      {},
    );
    Object.assign(config, { listener: {} });
    const app = new App(config, {
      logRoot: new LoggerRoot({ level: 'silent' }),
      env: {},
      modules: { listener },
    });
    try {
      await app.start();
      await broker.stop();
      await until(() => heard.includes(false), 5000, 'connected=false');
      await broker.start();
      await until(() => heard.at(-1) === true, 10_000, 'connected=true');
      assert.deepEqual(heard.slice(0, 2), [false, true]);
    } finally {
      await app.stop();
      await broker.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
