/**
 * The printers module in a running Monitor against a real Mosquitto: a fleet of three
 * simulated printers (OctoPrint printing, Moonraker idle, one switched off). Discovery,
 * states, availability per printer, MQTT button commands, and isolation between printers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../addon/src/app.js';
import { FakeMoonraker } from '../../addon/src/modules/printers/sim/moonraker-server.js';
import { FakeOctoPrint } from '../../addon/src/modules/printers/sim/octoprint-server.js';
import { VirtualPrinter } from '../../addon/src/modules/printers/sim/virtual-printer.js';
import { freePort, Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { LogCapture, printersApp } from './helpers.js';

const KEY = 'FLEET-KEY-ABCDEF123456';
const base = 'monitor/fleet';

describe('printers module over MQTT', () => {
  const broker = new Mosquitto();
  const logs = new LogCapture();
  const octo = new VirtualPrinter('prusa', { tickMs: 100 });
  const klipper = new VirtualPrinter('voron', { tickMs: 100 });
  let fakeOcto: FakeOctoPrint;
  let fakeMoon: FakeMoonraker;
  let app: App;
  let rec: Recorder;
  let dataDir: string;

  before(async () => {
    await broker.start();
    fakeOcto = await new FakeOctoPrint(octo, { apiKey: KEY }).listen();
    fakeMoon = await new FakeMoonraker(klipper).listen();
    octo.startPrint({ file: 'benchy.gcode', duration: 120, layers: 50 });
    dataDir = mkdtempSync(join(tmpdir(), 'printers-mod-'));
    const printers = [
      {
        name: 'Prusa MK4',
        type: 'octoprint',
        url: fakeOcto.url,
        api_key: KEY,
        interval: 1,
        timeout: 1,
      },
      { name: 'Voron 2.4', type: 'moonraker', url: fakeMoon.url, interval: 1, timeout: 1 },
      {
        name: 'Ender (off)',
        type: 'octoprint',
        url: `http://127.0.0.1:${await freePort()}`,
        interval: 1,
        timeout: 0.5,
      },
    ];
    rec = await Recorder.open(broker.url, ['homeassistant/#', `${base}/#`]);
    app = printersApp({ nodeId: 'fleet', dataDir, brokerUrl: broker.url, printers, logs, pingMs: 500 });
    // The app lowers the level to the config's; debug shows every line that could leak a key.
    await app.start();
    logs.root.level = 'debug';
  });

  after(async () => {
    await app?.stop();
    await rec?.close();
    await fakeOcto?.close();
    await fakeMoon?.close();
    octo.dispose();
    klipper.dispose();
    await broker.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const state = async (device: string, pred: (s: Record<string, unknown>) => boolean, timeoutMs = 5000) => {
    const m = await rec.waitFor((x) => {
      if (x.topic !== `${base}/${device}/state` || !x.payload) return false;
      return pred(JSON.parse(x.payload));
    }, timeoutMs);
    return JSON.parse(m.payload) as Record<string, unknown>;
  };

  it('keeps every configured printer through the cleanup of earlier runs, even one switched off', () => {
    for (const id of ['printer_prusa_mk4', 'printer_voron_2_4', 'printer_ender_off']) {
      assert.ok(app.registry.keepsDevice(id), id);
    }
  });

  it('declares one device per printer with its entities', async () => {
    const d = await rec.waitFor(
      (m) => m.topic === 'homeassistant/sensor/fleet_printer_prusa_mk4/state/config',
    );
    const cfg = JSON.parse(d.payload);
    assert.equal(cfg.device.name, 'Prusa MK4');
    assert.equal(cfg.state_topic, `${base}/printer_prusa_mk4/state`);
    assert.ok(cfg.options.includes('Printing') && cfg.options.includes('Offline'), String(cfg.options));
    assert.deepEqual(
      cfg.availability,
      [{ topic: `${base}/status` }],
      'state stays visible when the printer is off',
    );
    for (const t of [
      'homeassistant/binary_sensor/fleet_printer_prusa_mk4/online/config',
      'homeassistant/binary_sensor/fleet_printer_prusa_mk4/printing/config',
      'homeassistant/binary_sensor/fleet_printer_prusa_mk4/error/config',
      'homeassistant/sensor/fleet_printer_prusa_mk4/progress/config',
      'homeassistant/sensor/fleet_printer_prusa_mk4/eta/config',
      'homeassistant/button/fleet_printer_prusa_mk4/pause/config',
      'homeassistant/button/fleet_printer_voron_2_4/cancel/config',
    ]) {
      await rec.waitFor((m) => m.topic === t && m.payload !== '', 3000);
    }
    const temp = await rec.waitFor(
      (m) => m.topic === 'homeassistant/sensor/fleet_printer_prusa_mk4/tool0_temperature/config',
      3000,
    );
    const tc = JSON.parse(temp.payload);
    assert.equal(tc.device_class, 'temperature');
    assert.equal(tc.unit_of_measurement, '°C');
    assert.equal(tc.availability.length, 2, 'temperatures follow the printer availability');
    const img = await rec.waitFor(
      (m) => m.topic === 'homeassistant/image/fleet_printer_prusa_mk4/snapshot/config',
      3000,
    );
    const ic = JSON.parse(img.payload);
    assert.equal(ic.url_topic, `${base}/printer_prusa_mk4/state`);
    assert.equal(ic.url_template, '{{ value_json.snapshot_url }}');
    assert.equal(ic.state_topic, undefined);
  });

  it('publishes each printer state and availability on its own', async () => {
    const p = await state('printer_prusa_mk4', (s) => s.state === 'printing' && s.link === 'push');
    assert.equal(p.printing, true);
    assert.equal(p.file, 'benchy.gcode');
    assert.match(String(p.snapshot_url), /webcam/);
    assert.equal(typeof p.eta, 'string');
    const v = await state('printer_voron_2_4', (s) => s.state === 'idle');
    assert.equal(v.online, true);
    const off = await state('printer_ender_off', (s) => s.state === 'offline');
    assert.equal(off.online, false);
    assert.match(String(off.problem), /ECONNREFUSED/);
    await rec.waitFor((m) => m.topic === `${base}/printer_ender_off/availability` && m.payload === 'offline');
    await rec.waitFor((m) => m.topic === `${base}/printer_prusa_mk4/availability` && m.payload === 'online');
    await rec.waitFor((m) => m.topic === `${base}/printer_voron_2_4/availability` && m.payload === 'online');
  });

  it('acts on MQTT button presses: pause and resume reach the printer', async () => {
    await state('printer_prusa_mk4', (s) => s.state === 'printing');
    await rec.client.publishAsync(`${base}/printer_prusa_mk4/pause/set`, 'PRESS');
    await state('printer_prusa_mk4', (s) => s.state === 'paused', 3000);
    assert.equal(octo.state, 'paused');
    const ev = await rec.waitFor((m) => m.topic === `${base}/printer_prusa_mk4/job/event`, 2000);
    assert.equal(JSON.parse(ev.payload).event_type, 'paused');
    assert.equal(JSON.parse(ev.payload).file, 'benchy.gcode');
    await rec.client.publishAsync(`${base}/printer_prusa_mk4/resume/set`, 'PRESS');
    await state('printer_prusa_mk4', (s) => s.state === 'printing', 3000);
    // A press that the printer refuses (nothing to resume on the idle Voron) is logged, not fatal.
    await rec.client.publishAsync(`${base}/printer_voron_2_4/resume/set`, 'PRESS');
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(logs.lines.some((l) => /Voron 2\.4: resume: .*HTTP 400/.test(l)));
  });

  it('a printer going down changes nothing for the others', async () => {
    rec.clear();
    await fakeMoon.close();
    await state('printer_voron_2_4', (s) => s.state === 'offline', 5000);
    await rec.waitFor((m) => m.topic === `${base}/printer_voron_2_4/availability` && m.payload === 'offline');
    const after = await state('printer_prusa_mk4', (s) => s.state === 'printing' && s.online === true);
    assert.equal(after.link, 'push');
    assert.equal(
      rec.find((m) => m.topic === `${base}/printer_prusa_mk4/availability`),
      undefined,
    );
    assert.equal(app.supervisor.statuses().printers?.state, 'ok');
  });

  it('never logs the API key', () => {
    assert.ok(logs.lines.length > 0);
    assert.ok(!logs.lines.some((l) => l.includes(KEY)));
  });
});
