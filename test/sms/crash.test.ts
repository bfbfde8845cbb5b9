/**
 * Crash test: a child Monitor is killed with SIGKILL while messages are queued, one is in
 * flight (PDU and Ctrl-Z written, +CMGS not yet answered) and a received SMS is published but
 * not yet deleted from the SIM. After a restart on the same data directory: every accepted
 * message reached the modem exactly once, and the received SMS was reported to HA once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ChildScripts } from '../helpers/child-scripts.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { SimOnPty, waitUntil } from './helpers.js';

const children = new ChildScripts();
const CHILD = join(import.meta.dirname, 'crash-child.ts');
let broker: Mosquitto | undefined;
let sim: SimOnPty | undefined;
let rec: Recorder | undefined;
after(async () => {
  children.killAll();
  await rec?.close();
  await sim?.dispose();
  await broker?.dispose();
});

test('kill -9 with messages queued and in flight: nothing lost, nothing sent or reported twice', {
  timeout: 60_000,
}, async () => {
  broker = new Mosquitto();
  await broker.start();
  rec = await Recorder.open(broker.url, ['monitor/crash/#']);
  sim = await new SimOnPty({ profile: 'sim800' }).start();
  const env = {
    CRASH_MQTT: broker.url,
    CRASH_PORT: sim.path,
    CRASH_DIR: mkdtempSync(join(tmpdir(), 'sms-crash-')),
  };
  const T = 'monitor/crash/sms';
  const r = rec;
  const s = sim.sim;

  let child = await children.start(CHILD, env);
  await r.waitFor((m) => m.topic === `${T}/availability` && m.payload === 'online', 10_000);

  // Received and published, but the SIM keeps it (the delete is "lost" in the crash).
  s.keepDeleted = true;
  s.receive({ from: '+33612345678', text: 'incoming before the crash' });
  await r.waitFor((m) => m.topic === `${T}/message/event` && m.payload.includes('incoming before the crash'));

  // One send in flight (modem has the PDU, no +CMGS yet), two queued behind it.
  s.holdSends = true;
  for (const text of ['first', 'second', 'third'])
    r.client.publish(`${T}/send/set`, JSON.stringify({ to: '+33600000001', text }));
  await waitUntil(() => s.heldSends === 1, 5000, 'a send in flight');
  await children.kill9(child);
  // The modem had the first message: it leaves for the network even though nobody listens.
  s.releaseSends();
  s.keepDeleted = false;
  await waitUntil(() => s.submitted.length === 1, 2000, 'the in-flight message leaves');
  assert.deepEqual(
    s.submitted.map((x) => x.decoded?.text),
    ['first'],
  );

  child = await children.start(CHILD, env);
  await waitUntil(() => s.submitted.length >= 3, 10_000, 'queued messages sent after the restart');
  await waitUntil(() => s.storage.size === 0, 5000, 'received SMS deleted after the restart');
  await new Promise((res) => setTimeout(res, 1500)); // a sweep and any late duplicate
  assert.deepEqual(s.submitted.map((x) => x.decoded?.text).sort(), ['first', 'second', 'third']);
  const received = r.messages.filter(
    (m) => m.topic === `${T}/message/event` && m.payload.includes('incoming before the crash'),
  );
  assert.equal(received.length, 1);
  const out = r.messages
    .filter((m) => m.topic === `${T}/outgoing/event`)
    .map((m) => JSON.parse(m.payload) as Record<string, unknown>);
  const unconfirmed = out.filter((e) => e.event_type === 'unconfirmed');
  assert.equal(unconfirmed.length, 1, 'the in-flight message is reported unconfirmed, once');
  assert.deepEqual(unconfirmed[0]?.references, [null]);
  assert.match(String(unconfirmed[0]?.error), /not confirmed by the modem.*not sent again/);
  // The two queued behind it were sent (each once) after the restart.
  const sent = out.filter((e) => e.event_type === 'sent');
  assert.equal(sent.length, 2);
  assert.equal(new Set(sent.map((e) => e.id)).size, 2);
  assert.ok(!sent.some((e) => e.id === unconfirmed[0]?.id), 'the doubtful one is never reported sent');
  await children.kill9(child);
});
