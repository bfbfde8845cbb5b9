/**
 * End to end against a REAL Home Assistant core (installed by test/e2e/setup-ha.sh) and a real
 * Mosquitto: what the real `monitor run` publishes over MQTT discovery becomes the right
 * entities, device, states and availability in Home Assistant, and survives restarts of both.
 * Generic on purpose: it asserts on the gateway device, present in every configuration.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { gatewayEntities } from '../../addon/src/gateway/gateway.js';
import { connectClient, Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { type HaState, HomeAssistant, until } from './ha.js';
import { findHaInstall } from './ha-install.js';
import { MonitorProcess } from './monitor-process.js';

const NODE = 'e2e';
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
/** What HA must show for the gateway, written out by hand (not derived from discovery.ts). */
const EXPECTED = [
  { entity_id: 'sensor.e2e_gateway_version', name: 'Version', attrs: {} },
  {
    entity_id: 'sensor.e2e_gateway_started_at',
    name: 'Started',
    attrs: { device_class: 'timestamp', state_class: undefined, unit_of_measurement: undefined },
  },
  {
    entity_id: 'sensor.e2e_gateway_mqtt_messages_sent',
    name: 'MQTT messages sent',
    attrs: { state_class: 'total_increasing' },
  },
  {
    entity_id: 'binary_sensor.e2e_gateway_store_problem',
    name: 'Stored data problem',
    attrs: { device_class: 'problem' },
  },
];
const GATEWAY_IDS = gatewayEntities([], 'en').map((e) => `${e.component}.${NODE}_gateway_${e.key}`);

function available(s: HaState | undefined): boolean {
  return !!s && s.state !== 'unavailable' && s.state !== 'unknown' && !s.attributes.restored;
}

// A test of its own, so that a missing install is counted as a failure that names the setup
// script (never a skip), before the suite below is cancelled by the same error.
test('Home Assistant is installed for the end-to-end tests', () => {
  const install = findHaInstall();
  assert.match(install.version, /^\d{4}\.\d+\.\d+/);
});

describe('Home Assistant end to end: monitor run', { timeout: 240_000 }, () => {
  let ha: HomeAssistant;
  let broker: Mosquitto;
  let monitor: MonitorProcess;

  /** Every gateway entity in HA, once `pred` holds for all of them. */
  async function gatewayStates(what: string, pred: (s: HaState | undefined) => boolean, timeoutMs = 30_000) {
    return until(
      what,
      async () => {
        const states = await ha.states();
        const mine = GATEWAY_IDS.map((id) => states.find((s) => s.entity_id === id));
        return mine.every(pred) ? (mine as HaState[]) : undefined;
      },
      timeoutMs,
    );
  }

  before(async () => {
    ha = new HomeAssistant(); // fails here, naming the setup script, when HA is not installed
    broker = new Mosquitto();
    await broker.start();
    await ha.startWithMqtt(broker);
    monitor = MonitorProcess.onBroker(NODE, broker.url);
  });

  after(async () => {
    await monitor?.dispose();
    await ha?.dispose();
    await broker?.dispose();
  });

  test('the gateway becomes a device with its diagnostic entities, classes and values', async () => {
    monitor.start();
    const states = await gatewayStates('the gateway entities in HA', available).catch((err) => {
      throw new Error(`${err.message}\n--- monitor:\n${monitor.output()}\n--- HA:\n${ha.tail()}`);
    });
    const byId = new Map(states.map((s) => [s.entity_id, s]));
    for (const e of EXPECTED) {
      const s = byId.get(e.entity_id);
      assert.ok(s, `${e.entity_id} missing; HA has ${[...byId.keys()].join(', ')}`);
      assert.equal(s.attributes.friendly_name, `Monitor ${NODE} ${e.name}`);
      for (const [k, v] of Object.entries(e.attrs)) assert.equal(s.attributes[k], v, `${e.entity_id} ${k}`);
    }
    assert.equal(byId.get('sensor.e2e_gateway_version')?.state, VERSION);
    const started = Date.parse(byId.get('sensor.e2e_gateway_started_at')?.state ?? '');
    assert.ok(Date.now() - started >= 0 && Date.now() - started < 600_000, `started at ${started}`);
    const sent = Number(byId.get('sensor.e2e_gateway_mqtt_messages_sent')?.state);
    assert.ok(Number.isInteger(sent) && sent >= 1, `messages sent ${sent}`);

    const entries = (await ha.entities()).filter((e) => e.unique_id.startsWith(`${NODE}_gateway_`));
    assert.deepEqual(entries.map((e) => e.entity_id).sort(), [...GATEWAY_IDS].sort());
    for (const e of entries) {
      assert.equal(e.platform, 'mqtt');
      assert.equal(e.entity_category, 'diagnostic', `${e.entity_id} entity_category`);
      assert.equal(e.disabled_by, null);
      assert.equal(e.unique_id, e.entity_id.split('.')[1], 'unique_id and default_entity_id agree');
    }
    const deviceIds = new Set(entries.map((e) => e.device_id));
    assert.equal(deviceIds.size, 1, 'all gateway entities on one device');
    const device = (await ha.devices()).find((d) => d.id === [...deviceIds][0]);
    assert.ok(device, 'gateway device in the device registry');
    assert.equal(device.name, `Monitor ${NODE}`);
    assert.equal(device.manufacturer, 'Monitor');
    assert.equal(device.model, 'Gateway');
    assert.equal(device.sw_version, VERSION);
    assert.deepEqual(device.identifiers, [['mqtt', `${NODE}_gateway`]]);
    assert.equal(device.via_device_id, null);
    assert.deepEqual(ha.problems('homeassistant.components.mqtt'), [], 'HA logged MQTT problems');
  });

  test('kill -9 makes the entities unavailable (last will); a restart brings them back', async () => {
    if (!monitor.running) monitor.start();
    await gatewayStates('the gateway available', available);
    await monitor.kill9();
    await gatewayStates('every gateway entity unavailable after kill -9', (s) => s?.state === 'unavailable');
    monitor.start();
    const states = await gatewayStates('the gateway available again', available);
    assert.equal(states.find((s) => s.entity_id === 'sensor.e2e_gateway_version')?.state, VERSION);
  });

  test('after a Home Assistant restart, Monitor republishes on the birth message', async () => {
    if (!monitor.running) monitor.start();
    await gatewayStates('the gateway available', available);
    const pid = monitor.pid;
    await ha.stop();
    // Wipe what the broker retained for the gateway: only a republish can bring it back now.
    const topics = gatewayEntities([], 'en').map(
      (e) => `homeassistant/${e.component}/${NODE}_gateway/${e.key}/config`,
    );
    const wiper = await connectClient(broker.url);
    for (const t of [...topics, `monitor/${NODE}/gateway/state`])
      await wiper.publishAsync(t, '', { retain: true });
    await wiper.endAsync();
    const rec = await Recorder.open(broker.url, ['homeassistant/#', `monitor/${NODE}/#`]);
    try {
      await ha.start();
      await ha.waitRunning();
      await rec.waitFor((m) => m.topic === 'homeassistant/status' && m.payload === 'online', 30_000);
      const states = await gatewayStates('the gateway back after the HA restart', available);
      assert.equal(states.find((s) => s.entity_id === 'sensor.e2e_gateway_version')?.state, VERSION);
      for (const t of topics)
        assert.ok(
          rec.find((m) => m.topic === t && m.payload !== ''),
          `${t} republished`,
        );
      assert.equal(monitor.pid, pid, 'Monitor was not restarted');
      assert.ok(monitor.running);
    } finally {
      await rec.close();
    }
  });

  test('recorder/import_statistics through HaClient is accepted and read back', async () => {
    const c = await ha.ws();
    const hour = Date.UTC(2026, 0, 10, 0);
    const stats = [0, 1, 2].map((i) => ({
      start: new Date(hour + i * 3_600_000).toISOString(),
      state: 1000 + i,
      sum: 0.5 * (i + 1),
    }));
    const base = { source: 'monitor', unit_of_measurement: 'kWh', has_sum: true };
    // The fields HA 2025.11+ wants, given explicitly…
    await c.importStatistics(
      { ...base, statistic_id: 'monitor:e2e_energy', name: 'E2E energy', mean_type: 0, unit_class: 'energy' },
      stats,
    );
    // …and the older form (has_mean, no unit_class), which HaClient completes.
    await c.importStatistics(
      { ...base, statistic_id: 'monitor:e2e_legacy', name: 'E2E legacy', has_mean: false },
      stats,
    );
    const ids = ['monitor:e2e_energy', 'monitor:e2e_legacy'];
    type Row = { start: number; sum: number; state: number };
    const read = await until('the imported statistics', async () => {
      const r = await c.send<Record<string, Row[]>>({
        type: 'recorder/statistics_during_period',
        start_time: new Date(hour - 3_600_000).toISOString(),
        end_time: new Date(hour + 4 * 3_600_000).toISOString(),
        statistic_ids: ids,
        period: 'hour',
        types: ['sum', 'state'],
      });
      return ids.every((id) => r[id]?.length === 3) ? r : undefined;
    });
    for (const id of ids) {
      assert.deepEqual(
        read[id]?.map((p) => [p.start, p.sum, p.state]),
        stats.map((p) => [Date.parse(p.start), p.sum, p.state]),
        id,
      );
    }
    const meta = await c.send<Array<Record<string, unknown>>>({
      type: 'recorder/get_statistics_metadata',
      statistic_ids: ids,
    });
    for (const id of ids) {
      const m = meta.find((x) => x.statistic_id === id);
      assert.ok(m, `metadata of ${id}`);
      assert.equal(m.unit_class, 'energy', `${id} unit_class`);
      assert.equal(m.mean_type, 0, `${id} mean_type`);
      assert.equal(m.has_sum, true);
    }
    const deprecated = ha
      .problems('homeassistant.components.recorder')
      .filter((l) => l.includes('import_statistics'));
    assert.deepEqual(deprecated, [], 'HA warned about the statistics metadata');
  });
});
