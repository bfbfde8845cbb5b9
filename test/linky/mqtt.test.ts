/**
 * The linky module end to end against a real Mosquitto: real frames in (fixtures, through an
 * in-memory line), discovery with the right device_class/state_class/unit out, states
 * published, a corrupted group never published, availability per meter.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { App } from '../../addon/src/app.js';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { createMemoryLine, removeMemoryLine } from '../../addon/src/core/serial-line.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { hcHpFrame } from './historic-frame.js';
import { ticBytes } from './load-fixture.js';

describe('linky module over MQTT (real Mosquitto)', () => {
  const broker = new Mosquitto();
  const dir = mkdtempSync(join(tmpdir(), 'linky-mqtt-'));
  const lineA = createMemoryLine('t-hist').device;
  const lineB = createMemoryLine('t-std').device;
  const unreg = [() => removeMemoryLine('t-hist'), () => removeMemoryLine('t-std')];
  let app: App;
  let rec: Recorder;

  before(async () => {
    await broker.start();
    rec = await Recorder.open(broker.url, ['homeassistant/#', 'monitor/#']);
    const config = loadConfigObject(
      {
        node_id: 'lt',
        data_dir: dir,
        log: { level: 'silent' },
        mqtt: { url: broker.url },
        linky: {
          meters: [
            { port: 'memory:t-hist', baud: '1200', mode: 'historic' },
            { port: 'memory:t-std', baud: '9600' },
          ],
          availability_timeout_s: 5,
          power_min_interval_s: 0,
        },
      },
      {},
      'en',
    );
    app = new App(config, { logRoot: new LoggerRoot({ level: 'silent' }) });
    await app.start();
  });

  after(async () => {
    await app.stop();
    await rec.close();
    await broker.dispose();
    for (const u of unreg) u();
    rmSync(dir, { recursive: true, force: true });
  });

  it('declares a historic Tempo meter with Energy-dashboard-ready indexes and publishes its state', async () => {
    const sample = ticBytes('historic-tri-tempo.tic.txt');
    lineA.write(sample);
    // The published sample's frames were not consecutive (its 2nd frame goes backwards, its 3rd
    // is 31 kWh ahead within a second): no index is confirmed by the next. The meter then sends
    // its first frame again, twice, as a meter does when nothing is consumed.
    const first = sample.subarray(0, sample.indexOf(0x03) + 1);
    lineA.write(first);
    lineA.write(first);
    const cfg = await rec.topic('homeassistant/sensor/lt_linky_020830022493/index_bbrhcjb/config');
    const p = JSON.parse(cfg.payload);
    assert.equal(p.device_class, 'energy');
    assert.equal(p.state_class, 'total_increasing');
    // The state carries Wh (the meter's resolution); HA shows kWh through the template.
    assert.equal(p.unit_of_measurement, 'kWh');
    assert.equal(p.state_topic, 'monitor/lt/linky_020830022493/index_bbrhcjb/state');
    assert.match(p.value_template, /value \| float \/ 1000/);
    assert.equal(p.name, 'Off-peak hours blue day');
    assert.equal(p.unique_id, 'lt_linky_020830022493_index_bbrhcjb');
    const power = JSON.parse(
      (await rec.topic('homeassistant/sensor/lt_linky_020830022493/apparent_power/config')).payload,
    );
    assert.deepEqual(
      [power.device_class, power.state_class, power.unit_of_measurement],
      ['apparent_power', 'measurement', 'VA'],
    );
    const colour = JSON.parse(
      (await rec.topic('homeassistant/sensor/lt_linky_020830022493/tempo_tomorrow/config')).payload,
    );
    assert.equal(colour.device_class, 'enum');
    // Words in the configured language (English here); the code stays the `code` attribute.
    assert.deepEqual(colour.options, ['Blue', 'White', 'Red', 'Unknown']);
    const overload = JSON.parse(
      (await rec.topic('homeassistant/binary_sensor/lt_linky_020830022493/overload/config')).payload,
    );
    assert.equal(overload.device_class, 'problem');
    const state = await rec.waitFor(
      (m) =>
        m.topic === 'monitor/lt/linky_020830022493/state' && JSON.parse(m.payload).tempo_tomorrow === 'white',
    );
    const s = JSON.parse(state.payload);
    assert.equal(s.tempo_today, 'blue');
    // Values that change with every frame have a state topic of their own (plain text).
    await rec.waitFor(
      (m) => m.topic === 'monitor/lt/linky_020830022493/current_l3/state' && m.payload === '8',
    );
    const ownCfg = JSON.parse(
      (await rec.topic('homeassistant/sensor/lt_linky_020830022493/current_l3/config')).payload,
    );
    assert.equal(ownCfg.state_topic, 'monitor/lt/linky_020830022493/current_l3/state');
    assert.equal(ownCfg.value_template, undefined);
    assert.equal(s.tariff_period, 'peak');
    assert.equal((await rec.topic('monitor/lt/linky_020830022493/availability')).payload, 'online');
    await rec.waitFor(
      (m) => m.topic === 'monitor/lt/linky_020830022493/index_bbrhpjb/state' && m.payload === '45909975',
    );
  });

  it('never publishes a corrupted group; a second meter is its own device', async () => {
    rec.clear();
    lineB.write(ticBytes('standard-mono-hc-noisy.tic.txt'));
    await rec.waitFor((m) => m.topic === 'monitor/lt/linky_031764953443/state');
    await new Promise((r) => setTimeout(r, 300));
    const states = rec.messages
      .filter((m) => m.topic === 'monitor/lt/linky_031764953443/state')
      .map((m) => JSON.parse(m.payload));
    assert.ok(states.length >= 1);
    for (const s of states) {
      // SMAXSN-1 came twice in one frame (one corrupted): yesterday's maximum is never 6731.
      assert.notEqual(s.max_power_yesterday, 6731);
    }
    const currents = rec.messages.filter((m) => m.topic === 'monitor/lt/linky_031764953443/current/state');
    assert.ok(currents.length > 0 && currents.every((m) => m.payload === '7' || m.payload === '6'));
    const last = (key: string) =>
      rec.messages.filter((m) => m.topic === `monitor/lt/linky_031764953443/${key}/state`).at(-1)?.payload;
    assert.equal(last('index_easf02'), '38756832');
    // An index is published when the next frame agrees: the last frame's waits for another.
    assert.equal(last('energy_injected'), '3626873');
    const cfg = JSON.parse(
      (await rec.topic('homeassistant/sensor/lt_linky_031764953443/energy_injected/config')).payload,
    );
    assert.equal(cfg.state_class, 'total_increasing');
  });

  it('an index that jumps beyond what the subscribed power allows is held back', async () => {
    rec.clear();
    const frame = (hchc: number) => hcHpFrame('099999999999', hchc);
    // A new meter id is believed after three frames; an index is published when the next agrees.
    for (let i = 0; i < 3; i++) lineA.write(frame(1000));
    await rec.waitFor(
      (m) => m.topic === 'monitor/lt/linky_099999999999/index_hchc/state' && m.payload === '1000',
    );
    lineA.write(frame(9001000)); // +9 MWh within a second: impossible at 6 kVA
    lineA.write(frame(1001));
    lineA.write(frame(1001));
    await rec.waitFor(
      (m) => m.topic === 'monitor/lt/linky_099999999999/index_hchc/state' && m.payload === '1001',
    );
    const seen = rec.messages
      .filter((m) => m.topic === 'monitor/lt/linky_099999999999/index_hchc/state')
      .map((m) => Number(m.payload));
    assert.ok(!seen.includes(9001000), `published ${seen}`);
  });

  it('every watt-hour of an index is published, the total (not used by Energy) only every 10 Wh', async () => {
    rec.clear();
    const frame = (hchc: number) => hcHpFrame('099999999998', hchc);
    const topic = (key: string) => `monitor/lt/linky_099999999998/${key}/state`;
    // A new meter id is believed after three frames; then one watt-hour more with each frame.
    for (let i = 0; i < 3; i++) lineA.write(frame(1000));
    await rec.waitFor((m) => m.topic === topic('index_hchc') && m.payload === '1000');
    // An index is published once the next frame agrees: 1031 confirms 1030.
    for (let wh = 1001; wh <= 1031; wh++) lineA.write(frame(wh));
    await rec.waitFor((m) => m.topic === topic('index_hchc') && m.payload === '1030');
    await new Promise((r) => setTimeout(r, 200));
    const payloads = (key: string) =>
      rec.messages.filter((m) => m.topic === topic(key)).map((m) => m.payload);
    const indexes = payloads('index_hchc').map(Number);
    for (let wh = 1000; wh <= 1030; wh++)
      assert.ok(indexes.includes(wh), `index ${wh} published: ${indexes}`);
    const totals = payloads('energy_total').map(Number);
    // HCHC + HCHP: 1100 → 1130, published when 10 Wh or more away from the last one sent.
    assert.deepEqual(totals, [1100, 1110, 1120, 1130]);
  });

  it('a silent meter becomes unavailable after the timeout', async () => {
    const m = await rec.waitFor(
      (x) => x.topic === 'monitor/lt/linky_020830022493/availability' && x.payload === 'offline',
      9000,
    );
    assert.equal(m.payload, 'offline');
  });
});
