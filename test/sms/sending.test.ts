/**
 * Sending end to end (real Mosquitto, serialport on a socat pty, simulated SIM800): several
 * recipients, flash (class 0) checked on the wire, status reports (delivered, still trying,
 * failed), a part the modem never confirms, and the rate limit wired to the config.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Recorder } from '../helpers/mosquitto.js';
import { rpcRequest } from '../helpers/rpc.js';
import { SmsRig, smsSection, startApp } from './app-harness.js';
import { SimOnPty, waitUntil } from './helpers.js';

const rig = new SmsRig('t3');
let rec: Recorder;
let sim: SimOnPty;
const T = 'monitor/t3/sms';
const outgoing = () =>
  rec.messages
    .filter((m) => m.topic === `${T}/outgoing/event`)
    .map((m) => JSON.parse(m.payload) as Record<string, unknown>);
const submittedTo = (to: string) => rig.submittedTo(to);

before(async () => {
  ({ rec, sim } = await rig.start({ profile: 'sim800', reportDelayMs: false }, (port) =>
    smsSection(port, { send_timeout_seconds: 1 }),
  ));
  await rig.online();
});

after(() => rig.dispose());

let rpcId = 0;
async function rpcSend(params: Record<string, unknown>) {
  const id = `s${++rpcId}`;
  rec.client.publish('monitor/t3/rpc/send_sms', rpcRequest('send_sms', params, id));
  const reply = await rec.waitFor(
    (m) => m.topic === 'monitor/t3/rpc/send_sms/reply' && JSON.parse(m.payload).id === id,
    8000,
  );
  return JSON.parse(reply.payload).result.results as Array<Record<string, unknown>>;
}

/** TP-DCS of a raw SMS-SUBMIT PDU, read by hand (TS 23.040 §9.2.2.2), not with our decoder. */
function dcsOnTheWire(hex: string): number {
  const b = Buffer.from(hex, 'hex');
  let i = 1 + (b[0] as number); // SMSC
  i += 2; // first octet, TP-MR
  const digits = b[i] as number;
  i += 2 + Math.ceil(digits / 2); // length, type, semi-octets
  i += 1; // TP-PID
  return b[i] as number;
}

test('several recipients: one message and one status each; a bad number refuses its request', async () => {
  rec.client.publish(`${T}/send/set`, JSON.stringify({ to: ['+33622222222', '12ab'], text: 'refusé' }));
  const refused = await rec.waitFor(
    (m) => m.topic === `${T}/outgoing/event` && JSON.parse(m.payload).event_type === 'refused',
    5000,
  );
  assert.match(JSON.parse(refused.payload).error, /"12ab" is not allowed/);
  rec.client.publish(
    `${T}/send/set`,
    JSON.stringify({ to: ['06 11 11 11 11', '+33622222222'], text: 'groupe' }),
  );
  await waitUntil(() => submittedTo('+33622222222').length === 1, 5000, 'second recipient');
  await waitUntil(() => submittedTo('+33611111111').length === 1, 5000, 'first recipient');
  await waitUntil(
    () => outgoing().filter((e) => e.event_type === 'sent' && /^\+336[12]/.test(String(e.to))).length === 2,
    5000,
    'two sent',
  );
  const ids = new Set(
    outgoing()
      .filter((e) => e.event_type === 'queued')
      .map((e) => e.id),
  );
  assert.ok(ids.size >= 2, 'each recipient has its own message id');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(sim.sim.submitted.filter((s) => s.decoded?.text === 'groupe').length, 2, 'nothing twice');
  assert.equal(
    sim.sim.submitted.filter((s) => s.decoded?.text === 'refusé').length,
    0,
    'nothing of the refused',
  );
});

test('flash: class 0 on the wire (TP-DCS 0x10 in GSM 7-bit, 0x18 in UCS2), 0x00 otherwise', async () => {
  for (const [text, flash] of [
    ['flash gsm', true],
    ['flash 👍', true],
    ['normal', false],
  ] as const)
    rec.client.publish(`${T}/send/set`, JSON.stringify({ to: '+33633333333', text, flash }));
  await waitUntil(() => submittedTo('+33633333333').length === 3, 5000, 'three sends');
  const dcs = (t: string) =>
    dcsOnTheWire(submittedTo('+33633333333').find((s) => s.decoded?.text === t)?.pdu ?? '');
  assert.equal(dcs('flash gsm'), 0x10);
  assert.equal(dcs('flash 👍'), 0x18);
  assert.equal(dcs('normal'), 0x00);
});

test('status reports: still trying keeps it sent, then delivered; a permanent error fails it', async () => {
  const [ok] = await rpcSend({ to: '+33644444444', text: 'report ok', wait_seconds: 5 });
  const [ko] = await rpcSend({ to: '+33655555555', text: 'report ko', wait_seconds: 5 });
  assert.equal(ok?.status, 'sent');
  assert.ok(ok && ko);
  const mrOk = (ok.references as number[])[0] as number;
  const mrKo = (ko.references as number[])[0] as number;
  const events = (id: unknown) => outgoing().filter((e) => e.id === id);
  sim.sim.statusReport(mrOk, '+33644444444', 0x21); // recipient busy, still trying
  await waitUntil(() => events(ok?.id).length >= 3, 5000, 'pending report event');
  assert.equal(events(ok?.id).at(-1)?.event_type, 'sent');
  sim.sim.statusReport(mrOk, '+33644444444', 0x00);
  await waitUntil(() => events(ok?.id).at(-1)?.event_type === 'delivered', 5000, 'delivered');
  const failedBefore = Number(
    JSON.parse(rec.messages.filter((m) => m.topic === `${T}/state`).at(-1)?.payload ?? '{}').failed,
  );
  sim.sim.statusReport(mrKo, '+33655555555', 0x41); // incompatible destination
  await waitUntil(() => events(ko?.id).at(-1)?.event_type === 'failed', 5000, 'failed');
  assert.match(String(events(ko?.id).at(-1)?.error), /failed delivery/);
  await rec.waitFor(
    (m) => m.topic === `${T}/state` && JSON.parse(m.payload).failed === failedBefore + 1,
    5000,
  );
});

test('a part the modem never confirms is reported unconfirmed and not sent again', async () => {
  sim.sim.holdSends = true;
  rec.client.publish(`${T}/send/set`, JSON.stringify({ to: '+33666666666', text: 'in doubt' }));
  const ev = await rec.waitFor(
    (m) => m.topic === `${T}/outgoing/event` && JSON.parse(m.payload).event_type === 'unconfirmed',
    8000,
  );
  const e = JSON.parse(ev.payload);
  assert.deepEqual(e.references, [null]);
  assert.match(e.error, /part 1 not confirmed by the modem/);
  // The modem answers late: the message had left. It must not leave a second time.
  sim.sim.releaseSends();
  rec.client.publish(`${T}/send/set`, JSON.stringify({ to: '+33677777777', text: 'after the doubt' }));
  await waitUntil(() => submittedTo('+33677777777').length === 1, 8000, 'next message sent');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(submittedTo('+33666666666').length, 1);
});

test('the rate limit of the config holds messages back (max_per_minute: 1)', async () => {
  const sim2 = await new SimOnPty({ profile: 'quectel', reportDelayMs: false }).start();
  const { app: app2 } = await startApp(
    rig.broker.url,
    smsSection(sim2.path, { max_per_minute: 1 }),
    undefined,
    't4',
  );
  try {
    await rec.waitFor((m) => m.topic === 'monitor/t4/sms/availability' && m.payload === 'online', 10_000);
    rec.client.publish(
      'monitor/t4/sms/send/set',
      JSON.stringify({ to: ['0611111111', '0622222222'], text: 'rl' }),
    );
    await waitUntil(() => sim2.sim.submitted.length === 1, 5000, 'first send');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(sim2.sim.submitted.length, 1, 'the second waits for the next minute');
    await rec.waitFor((m) => m.topic === 'monitor/t4/sms/state' && JSON.parse(m.payload).outbox === 1, 5000);
  } finally {
    await app2.stop();
    await sim2.dispose();
  }
});

test('a modem that only stores status reports (<ds>=2): +CDSI, read, matched, slot freed', async () => {
  const sim3 = await new SimOnPty({
    profile: 'sim800',
    reportDelayMs: 100,
    cnmiTest: '+CNMI: (0-3),(0-3),(0,2),(0,2),(0,1)',
  }).start();
  const { app: app3 } = await startApp(rig.broker.url, smsSection(sim3.path), undefined, 't5');
  try {
    await rec.waitFor((m) => m.topic === 'monitor/t5/sms/availability' && m.payload === 'online', 10_000);
    assert.ok(
      sim3.sim.commands.some((c) => /^AT\+CNMI=\d,1,0,2/.test(c)),
      'stored reports chosen',
    );
    rec.client.publish('monitor/t5/sms/send/set', JSON.stringify({ to: '+33688888888', text: 'cdsi' }));
    const ev = await rec.waitFor(
      (m) => m.topic === 'monitor/t5/sms/outgoing/event' && JSON.parse(m.payload).event_type === 'delivered',
      8000,
    );
    assert.equal(JSON.parse(ev.payload).to, '+33688888888');
    await waitUntil(() => sim3.sim.storage.size === 0, 5000, 'report deleted from the SIM');
  } finally {
    await app3.stop();
    await sim3.dispose();
  }
});
