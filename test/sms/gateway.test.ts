/**
 * The sms module end to end: real Mosquitto, real serialport on a socat pty, the simulator on
 * the other end. Discovery, states and events on MQTT; reception (single, multipart, status
 * reports), sending (notify, JSON, RPC), +CMS errors, full storage, a hung modem, unplug/replug.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Recorder } from '../helpers/mosquitto.js';
import { rpcRequest } from '../helpers/rpc.js';
import { SmsRig, smsSection } from './app-harness.js';
import { type SimOnPty, waitUntil } from './helpers.js';

const rig = new SmsRig('t1');
let rec: Recorder;
let sim: SimOnPty;
const T = 'monitor/t1/sms';
const events = (key: string) =>
  rec.messages
    .filter((m) => m.topic === `${T}/${key}/event`)
    .map((m) => JSON.parse(m.payload) as Record<string, unknown>);

before(async () => {
  ({ rec, sim } = await rig.start({ profile: 'sim800', reportDelayMs: 100 }, (port) => smsSection(port)));
  await rig.online();
});

after(() => rig.dispose());

test('discovery, availability and state arrive', async () => {
  const disc = await rec.waitFor((m) => m.topic === 'homeassistant/event/t1_sms/message/config');
  const p = JSON.parse(disc.payload);
  assert.deepEqual(p.event_types, ['received', 'command', 'rejected']);
  assert.equal(p.state_topic, `${T}/message/event`);
  assert.ok(rec.find((m) => m.topic === 'homeassistant/notify/t1_sms/send/config'));
  const st = await rec.waitFor(
    (m) => m.topic === `${T}/state` && JSON.parse(m.payload).operator === 'Orange F',
    5000,
  );
  const s = JSON.parse(st.payload);
  assert.equal(s.registration, 'registered_home');
  assert.equal(s.signal_dbm, -113 + 2 * 18);
  assert.equal(s.sim, 'ready');
  // Storage: used and total, the total also as its own diagnostic sensor.
  const full = await rec.waitFor(
    (m) => m.topic === `${T}/state` && typeof JSON.parse(m.payload).storage_total === 'number',
    5000,
  );
  assert.equal(JSON.parse(full.payload).storage_total, sim.sim.profile.capacity);
  assert.equal(typeof JSON.parse(full.payload).storage_used, 'number');
  const total = JSON.parse(
    (await rec.waitFor((m) => m.topic === 'homeassistant/sensor/t1_sms/storage_total/config')).payload,
  );
  assert.equal(total.entity_category, 'diagnostic');
  assert.equal(total.value_template, '{{ value_json.storage_total }}');
  // Every entity of the modem is unavailable when the modem is (and when Monitor is).
  const configs = rec.messages.filter((m) => /^homeassistant\/\w+\/t1_sms\/\w+\/config$/.test(m.topic));
  assert.ok(configs.length >= 14, `${configs.length} entities`);
  for (const c of configs) {
    const p = JSON.parse(c.payload);
    assert.equal(p.availability_mode, 'all', c.topic);
    assert.ok(
      p.availability.some((a: { topic: string }) => a.topic === `${T}/availability`),
      `${c.topic} follows the modem`,
    );
  }
});

test('single SMS: event, RPC notification, deleted from the SIM after publication', async () => {
  sim.sim.receive({ from: '+33699999999', text: 'Bonjour la maison' });
  const ev = await rec.waitFor(
    (m) => m.topic === `${T}/message/event` && m.payload.includes('Bonjour la maison'),
  );
  const e = JSON.parse(ev.payload);
  assert.equal(e.event_type, 'received');
  assert.equal(e.from, '+33699999999');
  assert.equal(e.incomplete, false);
  await rec.waitFor(
    (m) => m.topic === 'monitor/t1/rpc/notify/sms_received' && m.payload.includes('Bonjour la maison'),
  );
  await waitUntil(() => sim.sim.storage.size === 0, 5000, 'SIM slot deleted');
});

test('an SMS routed directly (+CMT with its PDU, never stored) is published', async () => {
  const { buildDeliver } = await import('../../addon/src/modules/sms/simulator/network.js');
  const pdu = buildDeliver({ from: '+33688888887', text: 'routed directly' })[0]!;
  const tpduLength = pdu.length / 2 - 1 - Number.parseInt(pdu.slice(0, 2), 16);
  sim.sim.urc(`+CMT: ,${tpduLength}`, pdu);
  const ev = await rec.waitFor(
    (m) => m.topic === `${T}/message/event` && m.payload.includes('routed directly'),
    5000,
  );
  assert.equal(JSON.parse(ev.payload).from, '+33688888887');
});

test('multipart SMS arriving out of order is reassembled once', async () => {
  const text = `${'Long message. '.repeat(20)}fin`;
  const { buildDeliver } = await import('../../addon/src/modules/sms/simulator/network.js');
  const pdus = buildDeliver({ from: '+33688888888', text, concatRef: 77 });
  assert.equal(pdus.length, 2);
  sim.sim.receivePdu(pdus[1]!);
  await new Promise((r) => setTimeout(r, 300));
  sim.sim.receivePdu(pdus[0]!);
  const ev = await rec.waitFor((m) => m.topic === `${T}/message/event` && m.payload.includes('fin"'));
  assert.equal(JSON.parse(ev.payload).text, text);
  await new Promise((r) => setTimeout(r, 1500)); // a sweep passes
  assert.equal(events('message').filter((x) => x.text === text).length, 1);
});

test('a multipart SMS with a missing part is delivered marked incomplete after the timeout', async () => {
  const { buildDeliver } = await import('../../addon/src/modules/sms/simulator/network.js');
  const pdus = buildDeliver({ from: '+33677777777', text: `${'abc '.repeat(60)}END`, concatRef: 78 });
  sim.sim.receivePdu(pdus[0]!);
  const ev = await rec.waitFor(
    (m) => m.topic === `${T}/message/event` && m.payload.includes('+33677777777'),
    6000,
  );
  const e = JSON.parse(ev.payload);
  assert.equal(e.incomplete, true);
  assert.ok(!e.text.includes('END'));
});

test('notify entity: plain text goes to the default recipients, with a delivery report', async () => {
  rec.client.publish(`${T}/send/set`, 'Alerte fumée salon');
  await waitUntil(
    () => sim.sim.submitted.some((s) => s.decoded?.text === 'Alerte fumée salon'),
    5000,
    'submit',
  );
  const s = sim.sim.submitted.find((x) => x.decoded?.text === 'Alerte fumée salon');
  assert.equal(s?.decoded?.address, '+33600000001');
  await rec.waitFor(
    (m) => m.topic === `${T}/outgoing/event` && JSON.parse(m.payload).event_type === 'delivered',
    5000,
  );
});

test('JSON command {to, text, flash} and RPC send_sms with per-recipient status', async () => {
  rec.client.publish(`${T}/send/set`, JSON.stringify({ to: '+33611111111', text: 'flash!', flash: true }));
  await waitUntil(() => sim.sim.submitted.some((s) => s.decoded?.text === 'flash!'), 5000, 'flash submit');
  assert.equal(sim.sim.submitted.find((s) => s.decoded?.text === 'flash!')?.decoded?.messageClass, 0);
  rec.client.publish(
    'monitor/t1/rpc/send_sms',
    rpcRequest('send_sms', { to: ['0622222222', '+33633333333'], text: 'Deux destinataires' }, 'r1'),
  );
  const reply = await rec.waitFor(
    (m) => m.topic === 'monitor/t1/rpc/send_sms/reply' && m.payload.includes('"r1"'),
    8000,
  );
  const r = JSON.parse(reply.payload);
  assert.equal(r.ok, true);
  assert.deepEqual(
    r.result.results.map((x: Record<string, unknown>) => [x.number, x.user, x.parts]),
    [
      ['+33622222222', null, 1],
      ['+33633333333', null, 1],
    ],
  );
  for (const x of r.result.results) assert.ok(['sent', 'delivered'].includes(x.status), x.status);
});

test('+CMS ERROR 500 is retried; 304 and 321 fail cleanly', async () => {
  sim.sim.sendErrors.push(500);
  rec.client.publish(`${T}/send/set`, JSON.stringify({ to: '+33644444444', text: 'retry me' }));
  await waitUntil(() => sim.sim.submitted.some((s) => s.decoded?.text === 'retry me'), 6000, 'retried send');
  sim.sim.sendErrors.push(304);
  rec.client.publish(`${T}/send/set`, JSON.stringify({ to: '+33655555555', text: 'bad pdu' }));
  const f = await rec.waitFor(
    (m) =>
      m.topic === `${T}/outgoing/event` && m.payload.includes('+33655555555') && m.payload.includes('failed'),
    6000,
  );
  assert.match(JSON.parse(f.payload).error, /304 \(invalid PDU mode parameter\)/);
  // A read error (+CMS ERROR 321) on +CMTI: the sweep picks the message up later.
  sim.sim.readErrors.push(321);
  sim.sim.receive({ from: '+33612121212', text: 'after a read error' });
  await rec.waitFor(
    (m) => m.topic === `${T}/message/event` && m.payload.includes('after a read error'),
    5000,
  );
});

test('full storage: waiting messages arrive once the gateway frees slots', async () => {
  const { buildDeliver } = await import('../../addon/src/modules/sms/simulator/network.js');
  // Fill the SIM behind the gateway's back (as if it had been offline), then one more.
  for (let i = 0; i < sim.sim.profile.capacity; i++)
    sim.sim.storage.set(100 + i, {
      stat: 1,
      pdu: buildDeliver({ from: '+33600000099', text: `old ${i}` })[0]!,
    });
  assert.ok(sim.sim.full);
  sim.sim.receive({ from: '+33600000098', text: 'waited for room' });
  await rec.waitFor((m) => m.topic === `${T}/message/event` && m.payload.includes('waited for room'), 10_000);
  await waitUntil(() => sim.sim.storage.size === 0, 5000, 'storage emptied');
  assert.equal(
    events('message').filter((x) => String(x.text).startsWith('old ')).length,
    sim.sim.profile.capacity,
  );
});

test('a modem that stops answering is re-initialised by the watchdog', async () => {
  const before = rec.messages.length;
  sim.sim.muted = true;
  try {
    await rec.waitFor(
      (m) => rec.messages.indexOf(m) >= before && m.topic === `${T}/availability` && m.payload === 'offline',
      8000,
    );
  } finally {
    sim.sim.muted = false;
  }
  await rec.waitFor(
    (m) => rec.messages.indexOf(m) >= before && m.topic === `${T}/availability` && m.payload === 'online',
    10_000,
  );
  sim.sim.receive({ from: '+33699999998', text: 'after the hang' });
  await rec.waitFor((m) => m.topic === `${T}/message/event` && m.payload.includes('after the hang'), 5000);
});

test('unplug (pty closed) and replug on the same path recover without a restart', async () => {
  const before = rec.messages.length;
  await sim.unplug();
  await rec.waitFor(
    (m) => rec.messages.indexOf(m) >= before && m.topic === `${T}/availability` && m.payload === 'offline',
    8000,
  );
  // Queued while unplugged: sent after the replug.
  rec.client.publish(`${T}/send/set`, JSON.stringify({ to: '+33666666666', text: 'while unplugged' }));
  await new Promise((r) => setTimeout(r, 500));
  await sim.replug();
  await rec.waitFor(
    (m) => rec.messages.indexOf(m) >= before && m.topic === `${T}/availability` && m.payload === 'online',
    15_000,
  );
  await waitUntil(
    () => sim.sim.submitted.some((s) => s.decoded?.text === 'while unplugged'),
    8000,
    'send after replug',
  );
});
