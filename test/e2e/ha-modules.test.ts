/**
 * The feature modules end to end against a REAL Home Assistant core (test/e2e/setup-ha.sh) and a
 * real Mosquitto: the real `monitor run --config FILE` with sms (modem simulator on a socat pty),
 * linky (TIC simulator on a socat pty) and printers (fake OctoPrint in this process). HA must
 * show each device and its entities with the right ids, classes and values, accept the Linky
 * index in the Energy dashboard, and its commands must reach the devices: notify.send_message →
 * AT+CMGS with the right PDU, button.press → OctoPrint pause; an SMS fires the event entity.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeOctoPrint } from '../../addon/src/modules/printers/sim/octoprint-server.js';
import { VirtualPrinter } from '../../addon/src/modules/printers/sim/virtual-printer.js';
import { decodePdu } from '../../addon/src/modules/sms/pdu/decode.js';
import { ensureBuilt } from '../helpers/build.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { SimOnPty } from '../sms/helpers.js';
import { type HaState, HomeAssistant, until } from './ha.js';
import { findHaInstall } from './ha-install.js';
import { energyChecks, WAIT_FOR_STATISTICS } from './ha-modules-energy.js';
import { TicOnPty } from './module-peers.js';
import { MonitorProcess } from './monitor-process.js';

const NODE = 'e2e';
const METER = '031764953443'; // the standard simulator's ADSC
const LINKY = `${NODE}_linky_${METER}`;
const SMS = `${NODE}_sms`;
const PRINTER = `${NODE}_printer_prusa_mk4`;
const OCTO_KEY = 'E2E-OCTOPRINT-KEY-0123456789';
const POWER_VA = 2300;

test('Home Assistant is installed for the end-to-end tests', () => {
  assert.match(findHaInstall().version, /^\d{4}\.\d+\.\d+/);
});

describe('Home Assistant end to end: sms, linky and printers modules', {
  timeout: WAIT_FOR_STATISTICS ? 500_000 : 170_000,
}, () => {
  let ha: HomeAssistant;
  let broker: Mosquitto;
  let monitor: MonitorProcess;
  let tic: TicOnPty;
  let modem: SimOnPty;
  let printer: VirtualPrinter;
  let octo: FakeOctoPrint;

  async function state(entityId: string, pred: (s: HaState) => boolean, what: string, ms = 30_000) {
    return until(
      `${entityId}: ${what}`,
      async () => {
        const s = await ha.state(entityId);
        return s && pred(s) ? s : undefined;
      },
      ms,
    ).catch(async (err) => {
      const now = await ha.state(entityId).catch(() => undefined);
      throw new Error(
        `${err.message}\nHA now: ${JSON.stringify(now)}\n--- monitor:\n${monitor.output()}\n--- HA problems:\n${ha.problems().slice(-15).join('\n')}`,
      );
    });
  }
  const live = (s: HaState) => s.state !== 'unavailable' && s.state !== 'unknown';

  /** The registry entries of one device (by its MQTT identifier) and the device itself. */
  async function device(identifier: string) {
    const d = (await ha.devices()).find((x) => x.identifiers.some(([, v]) => v === identifier));
    assert.ok(d, `device ${identifier} in HA's device registry`);
    const entries = (await ha.entities()).filter((e) => e.device_id === d.id);
    return { device: d, ids: entries.map((e) => e.entity_id), entries };
  }

  before(async () => {
    ha = new HomeAssistant(['energy:']); // fails here, naming the setup script, when not installed
    await ensureBuilt(); // the real bin/monitor.js runs dist/monitor.js
    broker = new Mosquitto();
    await broker.start();
    tic = await new TicOnPty({ power: POWER_VA }).start();
    modem = await new SimOnPty({ profile: 'sim800', reportDelayMs: 300 }).start();
    printer = new VirtualPrinter('Prusa MK4', { tickMs: 200 });
    octo = await new FakeOctoPrint(printer, { apiKey: OCTO_KEY }).listen();
    printer.startPrint({ file: 'benchy.gcode', duration: 900, layers: 48 });
    await ha.startWithMqtt(broker);
    monitor = MonitorProcess.onBroker(NODE, broker.url, {
      sms: { port: modem.path, default_recipients: ['06 12 34 56 78'], poll_seconds: 5 },
      linky: { meters: [{ port: tic.path }], power_min_interval_s: 1 },
      printers: {
        list: [{ name: 'Prusa MK4', type: 'octoprint', url: octo.url, api_key: OCTO_KEY, interval: 2 }],
      },
    });
    monitor.start();
  });

  after(async () => {
    await monitor?.dispose();
    await ha?.dispose();
    await octo?.close();
    printer?.dispose();
    await modem?.dispose();
    await tic?.dispose();
    await broker?.dispose();
  });

  test('Linky: the meter, its entities, classes and the simulated values', async () => {
    const power = await state(
      `sensor.${LINKY}_apparent_power`,
      (s) => s.state === String(POWER_VA),
      '2300 VA',
    );
    assert.equal(power.attributes.device_class, 'apparent_power');
    assert.equal(power.attributes.unit_of_measurement, 'VA');
    assert.equal(power.attributes.state_class, 'measurement');
    assert.equal(power.attributes.friendly_name, `Linky ${METER} Apparent power`);
    const current = await state(`sensor.${LINKY}_current`, (s) => s.state === '10', '2300 VA / 230 V = 10 A');
    assert.deepEqual(
      [current.attributes.device_class, current.attributes.unit_of_measurement],
      ['current', 'A'],
    );
    const volt = await state(`sensor.${LINKY}_voltage`, (s) => s.state === '231', 'URMS1 231 V');
    assert.deepEqual([volt.attributes.device_class, volt.attributes.unit_of_measurement], ['voltage', 'V']);

    for (const [key, label] of [
      ['index_easf01', 'EASF01'],
      ['index_easf02', 'EASF02'],
      ['energy_total', 'EAST'],
    ] as const) {
      const s = await state(`sensor.${LINKY}_${key}`, live, 'an index value');
      assert.equal(s.attributes.device_class, 'energy', key);
      assert.equal(s.attributes.state_class, 'total_increasing', key);
      // The state JSON carries the meter's Wh; the entity shows kWh.
      assert.equal(s.attributes.unit_of_measurement, 'kWh', key);
      const sent = tic.values(label).map(Number);
      const wh = Math.round(Number(s.state) * 1000);
      assert.ok(sent.includes(wh), `${key} = ${s.state} kWh is a value the meter sent: ${sent} Wh`);
    }
    const easf01 = await ha.state(`sensor.${LINKY}_index_easf01`);
    assert.equal(easf01?.attributes.friendly_name, `Linky ${METER} Off-peak hours`);

    // Enum: the tariff period from LTARF (' HEURE  CREUSE  ' / ' HEURE  PLEINE  ').
    const period = await state(`sensor.${LINKY}_tariff_period`, live, 'a tariff period');
    assert.equal(period.attributes.device_class, 'enum');
    // Words in the configured language; the raw code stays the `code` attribute.
    assert.deepEqual(period.attributes.options, [
      'Base',
      'Off-peak',
      'Peak',
      'Normal',
      'Mobile peak',
      'Unknown',
    ]);
    const ltarf: string[] = tic.values('LTARF').map((v) => (v.includes('CREUSE') ? 'off_peak' : 'peak'));
    assert.ok(
      ltarf.includes(String(period.attributes.code)),
      `tariff period ${period.attributes.code} from LTARF ${ltarf}`,
    );
    assert.equal(period.state, period.attributes.code === 'off_peak' ? 'Off-peak' : 'Peak');
    assert.equal((await state(`sensor.${LINKY}_subscribed_power`, live, 'PREF')).state, '9');
    assert.equal((await state(`sensor.${LINKY}_prm`, live, 'PRM')).state, '14405933300802');
    assert.equal((await state(`binary_sensor.${LINKY}_overload`, live, 'no overload')).state, 'off');

    const { device: d, ids, entries } = await device(LINKY);
    assert.equal(d.name, `Linky ${METER}`);
    assert.equal(d.manufacturer, 'Enedis');
    assert.equal(d.model, 'Single-phase meter, TIC standard');
    for (const k of ['apparent_power', 'current', 'voltage', 'index_easf01', 'index_easf02', 'energy_total'])
      assert.ok(ids.includes(`sensor.${LINKY}_${k}`), `sensor.${LINKY}_${k} on the meter device`);
    for (const e of entries) assert.equal(e.unique_id, e.entity_id.split('.')[1], e.entity_id);
    assert.deepEqual(ha.problems('homeassistant.components.mqtt'), [], 'HA logged MQTT problems');
  });

  test('Linky: the indexes are accepted as grid consumption by the Energy dashboard', async () => {
    await energyChecks(ha, [`sensor.${LINKY}_index_easf01`, `sensor.${LINKY}_index_easf02`]);
  });

  test('SMS: the modem device, its signal entities and the notify entity', async () => {
    const signal = await state(`sensor.${SMS}_signal`, live, 'the signal');
    assert.equal(signal.state, String(Math.round((18 / 31) * 100)), 'AT+CSQ 18 → 58 %');
    assert.equal(signal.attributes.unit_of_measurement, '%');
    const dbm = await state(`sensor.${SMS}_signal_dbm`, live, 'the signal in dBm');
    assert.equal(dbm.state, '-77', 'AT+CSQ 18 → -113 + 2×18 dBm');
    assert.equal(dbm.attributes.device_class, 'signal_strength');
    assert.equal(dbm.attributes.unit_of_measurement, 'dBm');
    assert.equal((await state(`sensor.${SMS}_operator`, live, 'operator')).state, 'Orange F');
    const reg = await state(`sensor.${SMS}_registration`, live, 'registration');
    assert.equal(reg.state, 'Home network');
    assert.equal(reg.attributes.code, 'registered_home');
    assert.ok(Array.isArray(reg.attributes.options), 'registration is an enum with options');
    await state(`notify.${SMS}_send`, (s) => s.state !== 'unavailable', 'notify available');
    await state(`event.${SMS}_message`, (s) => s.state !== 'unavailable', 'event available');

    const { device: d, ids, entries } = await device(SMS);
    assert.equal(d.name, 'SMS modem');
    assert.equal(d.manufacturer, 'SIMCom');
    assert.equal(d.model, 'SIM800L');
    for (const id of [`sensor.${SMS}_signal`, `notify.${SMS}_send`, `event.${SMS}_message`])
      assert.ok(ids.includes(id), `${id} on the modem device`);
    const diag = entries.find((e) => e.entity_id === `sensor.${SMS}_signal_dbm`);
    assert.equal(diag?.entity_category, 'diagnostic');
  });

  test('SMS: notify.send_message in HA makes the modem receive AT+CMGS with the right PDU', async () => {
    const text = 'Alarme : fumée détectée au salon';
    const c = await ha.ws();
    await c.callService('notify', 'send_message', { message: text }, { entity_id: `notify.${SMS}_send` });
    const sub = await until(
      'the modem to receive the SMS',
      async () => modem.sim.submitted.find((s) => s.decoded?.text === text),
      20_000,
    );
    const cmgs = modem.sim.commands.filter((l) => /^AT\+CMGS=\d+$/.test(l));
    assert.ok(cmgs.length >= 1, `AT+CMGS sent: ${modem.sim.commands.slice(-10).join(' | ')}`);
    // Decoded with the project's codec from the exact hex the modem received.
    const d = decodePdu(sub.pdu);
    assert.ok(d.ok, `the PDU decodes: ${sub.pdu}`);
    assert.equal(d.value.type, 'submit');
    assert.equal(d.value.address, '+33612345678', 'default recipient 06 12 34 56 78 in E.164');
    assert.equal(d.value.text, text);
    assert.equal(d.value.encoding, 'gsm7', 'é and à exist in the GSM 7-bit alphabet');
    assert.ok(cmgs.includes(`AT+CMGS=${d.value.tpduLength}`), 'AT+CMGS gives the TPDU length');
    const out = await state(
      `event.${SMS}_outgoing`,
      (s) => s.attributes.event_type === 'delivered',
      'the delivery report',
    );
    assert.ok(!Number.isNaN(Date.parse(out.state)));
    await state(`sensor.${SMS}_sent`, (s) => s.state === '1', 'one SMS sent');
  });

  test('SMS: an SMS received by the modem fires the event entity in HA', async () => {
    const c = await ha.ws();
    const seen: HaState[] = [];
    type Changed = { data: { entity_id: string; new_state: HaState | null } };
    const unsub = await c.subscribeEvents<Changed>('state_changed', (ev) => {
      if (ev.data.entity_id === `event.${SMS}_message` && ev.data.new_state) seen.push(ev.data.new_state);
    });
    try {
      modem.sim.receive({ from: '+33698765432', text: 'Coucou, on arrive vers 19 h !' });
      const s = await until('state_changed of the message event', async () =>
        seen.find((x) => x.attributes.event_type === 'received'),
      );
      assert.equal(s.attributes.text, 'Coucou, on arrive vers 19 h !');
      assert.equal(s.attributes.from, '+33698765432');
      assert.ok(!Number.isNaN(Date.parse(s.state)), `event state is a timestamp: ${s.state}`);
    } finally {
      await unsub();
    }
  });

  test('Printers: the printer device, its sensors, the camera image and the pause button', async () => {
    await state(`sensor.${PRINTER}_state`, (s) => s.state === 'Printing', 'printing');
    const st = await ha.state(`sensor.${PRINTER}_state`);
    assert.equal(st?.attributes.device_class, 'enum');
    assert.ok((st?.attributes.options as string[] | undefined)?.includes('Paused'), 'state options');
    await state(`sensor.${PRINTER}_file`, (s) => s.state === 'benchy.gcode', 'the file');
    const target = await state(`sensor.${PRINTER}_tool0_target`, (s) => s.state === '210', 'nozzle target');
    assert.deepEqual(
      [target.attributes.device_class, target.attributes.unit_of_measurement],
      ['temperature', '°C'],
    );
    await state(`sensor.${PRINTER}_bed_target`, (s) => s.state === '60', 'bed target');
    const progress = await state(`sensor.${PRINTER}_progress`, live, 'progress');
    assert.ok(Number(progress.state) >= 0 && Number(progress.state) < 100, `progress ${progress.state}`);

    // The image entity: HA fetches the snapshot itself from the (fake) OctoPrint webcam.
    const img = await state(`image.${PRINTER}_snapshot`, live, 'a camera image');
    const res = await fetch(`${ha.url}${img.attributes.entity_picture}`, {
      headers: { authorization: `Bearer ${ha.token}` },
    });
    assert.equal(res.status, 200, 'HA serves the image');
    const png = Buffer.from(await res.arrayBuffer());
    assert.equal(png.subarray(1, 4).toString(), 'PNG', 'the webcam snapshot reached HA');

    const before = octo.http.hits.get('POST /api/job') ?? 0;
    const c = await ha.ws();
    await c.callService('button', 'press', {}, { entity_id: `button.${PRINTER}_pause` });
    await until('OctoPrint to receive the pause command', async () =>
      printer.state === 'paused' ? true : undefined,
    );
    assert.equal(octo.http.hits.get('POST /api/job'), before + 1, 'one job command');
    await state(`sensor.${PRINTER}_state`, (s) => s.state === 'Paused', 'paused in HA');

    const { device: d, ids } = await device(PRINTER);
    assert.equal(d.name, 'Prusa MK4');
    assert.equal(d.model, 'OctoPrint');
    assert.equal(d.via_device_id, null, 'a printer is not in the gateway area');
    for (const id of [`button.${PRINTER}_pause`, `image.${PRINTER}_snapshot`, `sensor.${PRINTER}_progress`])
      assert.ok(ids.includes(id), `${id} on the printer device`);
    assert.deepEqual(ha.problems('homeassistant.components.mqtt'), [], 'HA logged MQTT problems');
  });
  test('every entity Monitor announced exists in HA, with the entity id it asked for', async () => {
    // The retained discovery configs on the broker are what Monitor announced.
    const rec = await Recorder.open(broker.url, ['homeassistant/+/+/+/config']);
    await new Promise((r) => setTimeout(r, 1000));
    await rec.close();
    const announced = rec.messages
      .filter((m) => m.payload !== '')
      .map(
        (m) =>
          JSON.parse(m.payload) as {
            unique_id: string;
            default_entity_id: string;
            enabled_by_default?: boolean;
          },
      );
    for (const dev of [LINKY, SMS, PRINTER])
      assert.ok(
        announced.some((a) => a.unique_id.startsWith(`${dev}_`)),
        `${dev} announced`,
      );
    const entries = new Map((await ha.entities()).map((e) => [e.unique_id, e]));
    const states = new Map((await ha.states()).map((x) => [x.entity_id, x]));
    const missing = announced.filter((a) => entries.get(a.unique_id)?.entity_id !== a.default_entity_id);
    assert.deepEqual(
      missing.map((a) => a.default_entity_id),
      [],
      'announced but not in HA as asked',
    );
    const unavailable = announced.filter(
      (a) => a.enabled_by_default !== false && states.get(a.default_entity_id)?.state === 'unavailable',
    );
    assert.deepEqual(
      unavailable.map((a) => a.default_entity_id),
      [],
      'enabled entities unavailable in HA',
    );
    assert.deepEqual(ha.problems('homeassistant.components.mqtt'), [], 'HA logged MQTT problems');
  });
});
