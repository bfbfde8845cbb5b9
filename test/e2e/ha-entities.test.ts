/**
 * Every kind of entity the entity model offers to modules, published by Monitor's real App
 * (in process, with a probe module injected the way a feature module plugs in) and checked in a
 * REAL Home Assistant core: classes, states, attributes, commands from HA back to the module,
 * events, per-device availability, `via_device`, and removal of an entity and of a device.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { App } from '../../addon/src/app.js';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import type { ModuleContext } from '../../addon/src/core/module.js';
import { topics } from '../../addon/src/entities/discovery.js';
import {
  binarySensor,
  button,
  type EntitySpec,
  eventEntity,
  notifyEntity,
  sensor,
} from '../../addon/src/entities/model.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { type HaState, HomeAssistant, until } from './ha.js';

const NODE = 'e2e_app';
const DEV = 'probe';
const id = (component: string, key: string) => `${component}.${NODE}_${DEV}_${key}`;

describe('Home Assistant end to end: every entity kind of the model', { timeout: 180_000 }, () => {
  let ha: HomeAssistant;
  let broker: Mosquitto;
  let app: App;
  let ctx: ModuleContext;
  let dataDir: string;
  const commands: Array<[string, string]> = [];

  const entities = (): EntitySpec[] => [
    sensor('energy', 'Energy', {
      device_class: 'energy',
      state_class: 'total_increasing',
      unit: 'kWh',
      suggested_display_precision: 3,
    }),
    sensor('mode', 'Mode', {
      device_class: 'enum',
      extra: { options: ['idle', 'busy'] },
      attributes_key: 'mode_attributes',
    }),
    binarySensor('online', 'Online', { device_class: 'connectivity' }),
    button('reset', 'Reset', (p) => void commands.push(['reset', p])),
    eventEntity('sms', 'SMS', ['received', 'sent']),
    notifyEntity('send', 'Send', (p) => void commands.push(['send', p])),
    {
      component: 'switch',
      key: 'power',
      name: 'Power',
      command: (p) => void commands.push(['power', p]),
    },
    {
      component: 'image',
      key: 'snapshot',
      name: 'Snapshot',
    },
    {
      // The device's main feature: no name of its own (has_entity_name), named after the device.
      component: 'alarm_control_panel',
      key: 'alarm',
      name: null,
      command: (p) => void commands.push(['alarm', p]),
      extra: { supported_features: ['arm_home', 'arm_away'], code_arm_required: false },
    },
  ];

  async function state(entityId: string, pred: (s: HaState) => boolean, what: string): Promise<HaState> {
    return until(`${entityId}: ${what}`, async () => {
      const s = await ha.state(entityId);
      return s && pred(s) ? s : undefined;
    }).catch((err) => {
      throw new Error(`${err.message}\n--- HA problems:\n${ha.problems().slice(-15).join('\n')}`);
    });
  }

  before(async () => {
    ha = new HomeAssistant();
    broker = new Mosquitto();
    await broker.start();
    await ha.startWithMqtt(broker);
    dataDir = mkdtempSync(join(tmpdir(), 'monitor-e2e-app-'));
    const config = loadConfigObject({
      node_id: NODE,
      language: 'en',
      data_dir: dataDir,
      log: { level: 'silent' },
      mqtt: { url: broker.url },
      discovery: { coalesce_ms: 10, republish_delay_ms: 100 },
    });
    // The probe module's section (the schema only knows the real modules).
    (config as unknown as Record<string, unknown>)[DEV] = {};
    app = new App(config, {
      logRoot: new LoggerRoot({ level: 'silent' }),
      modules: {
        [DEV]: (c) => {
          ctx = c as ModuleContext;
          return {
            async start() {
              c.entities.declare({
                device: { id: DEV, name: 'Probe', manufacturer: 'Monitor tests', model: 'Probe 1' },
                entities: entities(),
              });
              c.entities.setAvailability(DEV, true);
              c.setStatus('ok');
            },
            async stop() {},
          };
        },
      },
    });
    await app.start();
  });

  after(async () => {
    await app?.stop();
    await ha?.dispose();
    await broker?.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('sensors, enum with attributes and binary sensor show the values of the device state', async () => {
    ctx.entities.update(DEV, {
      energy: 1234.5678,
      mode: 'busy',
      mode_attributes: { since: '2026-01-01T00:00:00Z' },
      online: true,
      power: true,
      snapshot: 'http://127.0.0.1:9/snapshot.jpg',
      alarm: 'disarmed',
    });
    const energy = await state(id('sensor', 'energy'), (s) => s.state === '1234.5678', 'the energy value');
    assert.equal(energy.attributes.device_class, 'energy');
    assert.equal(energy.attributes.state_class, 'total_increasing');
    assert.equal(energy.attributes.unit_of_measurement, 'kWh');
    assert.equal(energy.attributes.friendly_name, 'Probe Energy');
    const mode = await state(id('sensor', 'mode'), (s) => s.state === 'busy', 'busy');
    assert.deepEqual(mode.attributes.options, ['idle', 'busy']);
    assert.equal(mode.attributes.since, '2026-01-01T00:00:00Z');
    await state(id('binary_sensor', 'online'), (s) => s.state === 'on', 'on');
    ctx.entities.update(DEV, { online: false });
    await state(id('binary_sensor', 'online'), (s) => s.state === 'off', 'off');
    await state(id('switch', 'power'), (s) => s.state === 'on', 'on');
    const snap = await state(id('image', 'snapshot'), (s) => s.state !== 'unavailable', 'available');
    assert.ok(snap.attributes.entity_picture, 'image has a picture URL');
    const alarm = await state(id('alarm_control_panel', 'alarm'), (s) => s.state === 'disarmed', 'disarmed');
    assert.equal(alarm.attributes.friendly_name, 'Probe');
    assert.equal(alarm.attributes.code_arm_required, false);

    // The gateway reports the module, through its enum entity and attributes.
    // Shown as a word; the code stays an attribute for automations.
    await state(
      `sensor.${NODE}_gateway_module_${DEV}`,
      (s) => s.state === 'OK' && s.attributes.code === 'ok',
      'module OK (code ok)',
    );
    assert.deepEqual(ha.problems('homeassistant.components.mqtt'), [], 'HA logged MQTT problems');
  });

  test('commands from Home Assistant reach the module; events reach HA', async () => {
    const c = await ha.ws();
    await c.callService('button', 'press', {}, { entity_id: id('button', 'reset') });
    await c.callService(
      'notify',
      'send_message',
      { message: 'Bonjour à tous' },
      { entity_id: id('notify', 'send') },
    );
    await c.callService('switch', 'turn_off', {}, { entity_id: id('switch', 'power') });
    await c.callService(
      'alarm_control_panel',
      'alarm_arm_away',
      {},
      { entity_id: id('alarm_control_panel', 'alarm') },
    );
    await until('the four commands', async () => (commands.length >= 4 ? true : undefined));
    assert.deepEqual([...commands].sort(), [
      ['alarm', 'ARM_AWAY'],
      ['power', 'OFF'],
      ['reset', 'PRESS'],
      ['send', 'Bonjour à tous'],
    ]);
    ctx.entities.emitEvent(DEV, 'sms', 'received', { from: '+33612345678' });
    const ev = await state(id('event', 'sms'), (s) => s.attributes.event_type === 'received', 'received');
    assert.equal(ev.attributes.from, '+33612345678');
    assert.ok(!Number.isNaN(Date.parse(ev.state)), `event state is a timestamp: ${ev.state}`);
  });

  test('the device hangs below the gateway and has its own availability', async () => {
    const devices = await ha.devices();
    const probe = devices.find((d) => d.identifiers.some(([, v]) => v === `${NODE}_${DEV}`));
    const gateway = devices.find((d) => d.identifiers.some(([, v]) => v === `${NODE}_gateway`));
    assert.ok(probe && gateway, 'both devices registered');
    assert.equal(probe.via_device_id, gateway.id);
    assert.equal(probe.manufacturer, 'Monitor tests');
    assert.equal(probe.model, 'Probe 1');

    ctx.entities.setAvailability(DEV, false);
    await state(id('sensor', 'energy'), (s) => s.state === 'unavailable', 'unavailable');
    const gw = await ha.state(`sensor.${NODE}_gateway_version`);
    assert.notEqual(gw?.state, 'unavailable', 'the gateway stays available');
    ctx.entities.setAvailability(DEV, true);
    await state(id('sensor', 'energy'), (s) => s.state === '1234.5678', 'available again');
  });

  test('a removed entity and a removed device disappear from Home Assistant', async () => {
    const modeId = id('sensor', 'mode');
    ctx.entities.declare({
      device: { id: DEV, name: 'Probe', manufacturer: 'Monitor tests', model: 'Probe 1' },
      entities: entities().filter((e) => e.key !== 'mode'),
    });
    await until(`${modeId} removed`, async () => ((await ha.state(modeId)) ? undefined : true));
    assert.equal(
      (await ha.entities()).find((e) => e.entity_id === modeId),
      undefined,
    );
    assert.ok(await ha.state(id('sensor', 'energy')), 'the other entities stay');

    ctx.entities.remove(DEV);
    await until('the probe device removed', async () => {
      const devices = await ha.devices();
      return devices.some((d) => d.identifiers.some(([, v]) => v === `${NODE}_${DEV}`)) ? undefined : true;
    });
    const left = (await ha.entities()).filter((e) => e.unique_id.startsWith(`${NODE}_${DEV}_`));
    assert.deepEqual(left, []);
    assert.equal(topics.deviceState(app.node, DEV), `monitor/${NODE}/${DEV}/state`);
  });
});
