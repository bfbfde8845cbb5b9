/**
 * One sender's SMS are handled in the order they were sent, so that an SMS command is never
 * checked before the one sent before it (a right PIN after three wrong ones must meet the
 * lockout). Found by the alarm scenario: the periodic sweep (AT+CMGL, slot order) listed an SMS
 * stored in a slot freed a moment before, ahead of older SMS whose +CMTI reads were queued
 * behind the sweep. Both cases are set up on the SIM800 simulator through its command hook.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildDeliver } from '../../addon/src/modules/sms/simulator/network.js';
import { SmsRig, smsSection } from './app-harness.js';
import { waitUntil } from './helpers.js';

const rig = new SmsRig('t9');
const FROM = '+33622222222';

before(async () => {
  await rig.start({ profile: 'sim800', reportDelayMs: false }, (port) =>
    smsSection(port, { poll_seconds: 1 }),
  );
  await rig.online();
});
after(() => rig.dispose());

const texts = (since: number) =>
  rig.rec.messages
    .slice(since)
    .filter((m) => m.topic === `${rig.topic}/message/event`)
    .map((m) => JSON.parse(m.payload).text as string);

/** An SMS from FROM stamped by the service centre `second` seconds after a fixed time. */
const pdu = (text: string, second: number) =>
  buildDeliver({ from: FROM, text, date: new Date(Date.UTC(2026, 11, 6, 10, 0, second)) })[0] as string;

/** Runs `fn` once, when the modem receives the next AT+CMGL (before it answers). */
function atNextSweep(fn: () => void): Promise<void> {
  const sim = rig.sim.sim;
  return new Promise((resolve) => {
    sim.onCommand = (line) => {
      if (!line.toUpperCase().startsWith('AT+CMGL')) return;
      sim.onCommand = undefined;
      fn();
      resolve();
    };
  });
}

test('a sweep leaves SMS whose +CMTI reads are queued to those reads: they come in order', async () => {
  const since = rig.rec.messages.length;
  const sim = rig.sim.sim;
  await atNextSweep(() => {
    // "one" and "two" were announced first; "three" took slot 1, freed a moment before.
    sim.storage.set(2, { stat: 0, pdu: pdu('one', 1) });
    sim.storage.set(3, { stat: 0, pdu: pdu('two', 2) });
    sim.storage.set(1, { stat: 0, pdu: pdu('three', 3) });
    sim.urc('+CMTI: "SM",2');
    sim.urc('+CMTI: "SM",3');
    sim.urc('+CMTI: "SM",1');
  });
  await waitUntil(() => texts(since).length >= 3 && sim.storage.size === 0, 10_000, 'three SMS handled');
  assert.deepEqual(texts(since), ['one', 'two', 'three']);
});

test('SMS found by a sweep alone (their +CMTI lost) are handled in the order the centre stamped them', async () => {
  const since = rig.rec.messages.length;
  const sim = rig.sim.sim;
  await atNextSweep(() => {
    sim.storage.set(1, { stat: 0, pdu: pdu('third', 13) });
    sim.storage.set(2, { stat: 0, pdu: pdu('first', 11) });
    sim.storage.set(3, { stat: 0, pdu: pdu('second', 12) });
  });
  await waitUntil(() => texts(since).length >= 3 && sim.storage.size === 0, 10_000, 'three SMS handled');
  assert.deepEqual(texts(since), ['first', 'second', 'third']);
});
