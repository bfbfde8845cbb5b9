/**
 * AT engine and modem init over a real pty (socat) against the simulator of each profile.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { AtEngine, type AtError, type Urc } from '../../addon/src/modules/sms/at/engine.js';
import { Modem, type ModemError } from '../../addon/src/modules/sms/modem/modem.js';
import { encodeSubmit } from '../../addon/src/modules/sms/pdu/index.js';
import { SerialPortTransport } from '../../addon/src/modules/sms/serial/serialport.js';
import type { SimOptions } from '../../addon/src/modules/sms/simulator/modem-sim.js';
import { quietLog, SimOnPty, waitUntil } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function setup(profile: 'sim800' | 'e1752' | 'quectel', opts: { pin?: string } & SimOptions = {}) {
  const s = await new SimOnPty({ profile, noiseEveryMs: 15, ...opts }).start();
  const t = new SerialPortTransport({ path: s.path, baud: 115200 });
  await t.open();
  const urcs: Urc[] = [];
  const engine = new AtEngine(t, { log: quietLog, defaultTimeoutMs: 1500, onUrc: (u) => urcs.push(u) });
  const modem = new Modem(engine, quietLog, { commandTimeoutMs: 1500, sendTimeoutMs: 3000, ...opts });
  cleanups.push(async () => {
    engine.close();
    await t.close();
    await s.dispose();
  });
  return { s, t, engine, modem, urcs };
}

for (const profile of ['sim800', 'e1752', 'quectel'] as const) {
  test(`${profile}: init from power-on, with URC noise interleaved`, async () => {
    const { s, modem, urcs } = await setup(profile);
    s.sim.boot();
    const r = await modem.init();
    assert.equal(r.info.model, s.sim.profile.model);
    assert.equal(r.storage, s.sim.mem);
    assert.match(r.cnmi, /^[123],1,0,1/);
    assert.ok(s.sim.commands.includes('ATE0'));
    assert.ok(s.sim.commands.includes('AT+CMGF=0'));
    // The noise went to the URC handler, never into a response.
    await waitUntil(() => urcs.some((u) => s.sim.profile.noise.includes(u.line)), 2000, 'noise URC');
    const st = await modem.status();
    assert.equal(st.registration, 'registered_home');
    assert.equal(st.operator, s.sim.profile.operator);
    assert.ok(st.signalDbm !== null && st.signalDbm < 0);
  });
}

test('send: prompt without line ending, PDU, +CMGS reference', async () => {
  const { s, modem } = await setup('quectel');
  await modem.init();
  const enc = encodeSubmit({ to: '+33612345678', text: 'Bonjour' });
  assert.ok(enc.ok);
  const part = enc.value.parts[0]!;
  let committed = false;
  const mr = await modem.send(part.hex, part.tpduLength, () => {
    committed = true;
  });
  assert.equal(committed, true);
  assert.equal(mr, 1);
  assert.equal(s.sim.submitted[0]?.decoded?.text, 'Bonjour');
});

test('errors carry their meaning: +CMS ERROR 500 and 304, +CME ERROR 16', async () => {
  const { s, engine } = await setup('sim800', { pin: '4321' });
  // A prompt wait of its own: this test is about what the errors mean, and a 1.5 s wait for
  // the "> " prompt failed once on two busy cores (the pty relays the simulator's noise too).
  const modem = new Modem(engine, quietLog, { commandTimeoutMs: 5000, sendTimeoutMs: 10_000 });
  await assert.rejects(
    engine.send('AT+CPIN="0000"'),
    (e: AtError) => e.kind === 'cme' && /incorrect password/.test(e.message),
  );
  await engine.send('AT+CPIN="4321"');
  s.sim.sendErrors.push(500);
  await engine.send('AT+CMGF=0');
  const enc = encodeSubmit({ to: '+33612345678', text: 'x' });
  assert.ok(enc.ok);
  await assert.rejects(
    modem.send(enc.value.parts[0]!.hex, enc.value.parts[0]!.tpduLength),
    (e: AtError) => e.kind === 'cms' && e.code === 500 && /unknown error/.test(e.message),
  );
  await assert.rejects(
    modem.send(enc.value.parts[0]!.hex, enc.value.parts[0]!.tpduLength + 1),
    (e: AtError) => e.kind === 'cms' && e.code === 304 && /invalid PDU mode parameter/.test(e.message),
  );
});

test('a silent modem times out; the next command still gets its own answer', async () => {
  const { s, engine } = await setup('e1752');
  s.sim.muted = true;
  await assert.rejects(engine.send('AT', { timeoutMs: 300 }), (e: AtError) => e.kind === 'timeout');
  s.sim.muted = false;
  const lines = await engine.send('AT+CGMM');
  assert.deepEqual(lines, ['E1752']);
});

test('+CMTI and +CDS with its PDU line arrive as URCs in the middle of a listing', async () => {
  const { s, engine, modem, urcs } = await setup('sim800');
  await modem.init();
  s.sim.receive({ from: '+33611111111', text: 'un' });
  s.sim.receive({ from: '+33622222222', text: 'deux' });
  const listing = modem.listAll();
  s.sim.statusReport(7, '+33633333333', 0);
  const list = await listing;
  assert.equal(list.length, 2);
  await waitUntil(() => urcs.some((u) => u.name === '+CDS' && !!u.body), 2000, '+CDS');
  assert.ok(urcs.filter((u) => u.name === '+CMTI').length >= 2);
  assert.ok(!list.some((m) => m.pdu.startsWith('+')));
  void engine;
});

test('Huawei ^RSSI flood during the AT+CMGS prompt: the PDU goes once, the URCs are routed', async () => {
  // Worst case for the parser: URCs in the same read as the "> " prompt, and more while the
  // modem waits for the PDU (the flood of the E1752 logs in gammu#126/#138).
  const { s, modem, urcs } = await setup('e1752', {
    noiseEveryMs: 5,
    noiseDuringPrompt: true,
    urcsAfterPrompt: ['^RSSI:12', '^RSSI:7', '^MODE:5,4'],
  });
  await modem.init();
  for (const text of ['un', 'deux', 'trois']) {
    const enc = encodeSubmit({ to: '+33612345678', text });
    assert.ok(enc.ok);
    const part = enc.value.parts[0]!;
    const mr = await modem.send(part.hex, part.tpduLength);
    assert.ok(mr > 0, `a reference for "${text}"`);
  }
  assert.deepEqual(
    s.sim.submitted.map((x) => x.decoded?.text),
    ['un', 'deux', 'trois'],
  );
  assert.ok(urcs.filter((u) => u.line === '^MODE:5,4').length >= 3, 'the URCs after each prompt were routed');
  assert.ok(!urcs.some((u) => u.line === '>'), 'the prompt is never taken for a line');
});

test('an E1752 +CREG URC inside the answer of AT+CREG? does not spoil the registration', async () => {
  const { s, modem } = await setup('e1752', { noiseEveryMs: 0 });
  await modem.init();
  s.sim.onCommand = (line) => {
    if (line === 'AT+CREG?') s.sim.urc('+CREG: 1, E006B, ABE0016');
  };
  const st = await modem.status();
  assert.equal(st.registration, 'registered_home');
});

test('RING and +CLIP in the middle of an answer go to the URC handler, not into the answer', async () => {
  const { s, engine, urcs } = await setup('sim800', { noiseEveryMs: 0 });
  await engine.send('ATE0');
  s.sim.onCommand = (line) => {
    if (line === 'AT+CGMM') {
      s.sim.urc('RING');
      s.sim.urc('+CLIP: "+33612345678",145,"",0,"",0');
    }
  };
  assert.deepEqual(await engine.send('AT+CGMM'), ['SIMCOM_SIM800L']);
  assert.deepEqual(
    urcs.map((u) => u.name).filter((n) => n === 'RING' || n === '+CLIP'),
    ['RING', '+CLIP'],
  );
});

test('init aborts an AT+CMGS left half-sent by a previous process (ESC), sending nothing', async () => {
  const s = await new SimOnPty({ profile: 'sim800' }).start();
  cleanups.push(() => s.dispose());
  // A previous process asked for the prompt, got it, and died before the PDU and Ctrl-Z.
  const previous = new SerialPortTransport({ path: s.path, baud: 115200 });
  await previous.open();
  await previous.write('AT+CMGS=20\r');
  await waitUntil(() => s.sim.commands.includes('AT+CMGS=20'), 2000, 'half-sent CMGS');
  await new Promise((r) => setTimeout(r, 50));
  await previous.close();
  // This process opens the line: the modem still waits for a PDU, the prompt is long gone.
  const t = new SerialPortTransport({ path: s.path, baud: 115200 });
  await t.open();
  const engine = new AtEngine(t, { log: quietLog, defaultTimeoutMs: 500, onUrc: () => {} });
  cleanups.push(async () => {
    engine.close();
    await t.close();
  });
  const r = await new Modem(engine, quietLog, { commandTimeoutMs: 500, sendTimeoutMs: 1000 }).init();
  assert.equal(r.info.model, 'SIMCOM_SIM800L');
  assert.equal(s.sim.submitted.length, 0, 'the init commands were not taken for a PDU');
});

test('SIM PIN from the config: entered once; a refused PIN is a typed error, never retried', async () => {
  const ok = await setup('sim800', { pin: '4321', noiseEveryMs: 0 });
  ok.s.sim.boot();
  await ok.modem.init();
  assert.equal(ok.s.sim.commands.filter((c) => c.startsWith('AT+CPIN=')).length, 1);

  const bad = await setup('sim800', { pin: '4321', noiseEveryMs: 0 });
  const wrong = new Modem(bad.engine, quietLog, { pin: '0000', commandTimeoutMs: 1500, sendTimeoutMs: 3000 });
  await assert.rejects(wrong.init(), (e: ModemError) => e.code === 'pin_wrong');
  assert.equal(bad.s.sim.commands.filter((c) => c.startsWith('AT+CPIN=')).length, 1);
});

test('a configured SMS centre replaces a different one on the SIM', async () => {
  const { s, engine } = await setup('sim800', { noiseEveryMs: 0 });
  const modem = new Modem(engine, quietLog, {
    smsc: '+33609001390',
    commandTimeoutMs: 1500,
    sendTimeoutMs: 3000,
  });
  const r = await modem.init();
  assert.equal(r.smsc, '+33609001390');
  assert.ok(s.sim.commands.includes('AT+CSCA="+33609001390",145'));
  const again = await modem.init();
  assert.equal(s.sim.commands.filter((c) => c.startsWith('AT+CSCA=')).length, 1, 'set once');
  assert.equal(again.smsc, '+33609001390');
});

test('calls abandoned while ringing during sends: NO CARRIER is unsolicited, every +CMGS is read', async () => {
  // Issue 9: an unsolicited NO CARRIER (an incoming call abandoned while ringing) was taken for
  // the final result of the pending AT+CMGS: the SMS was reported unconfirmed and, with more
  // calls, the engine answered each command with the previous one's result.
  const { s, modem, urcs } = await setup('sim800', { noiseEveryMs: 0 });
  await modem.init();
  const refs: number[] = [];
  for (const text of ['un', 'deux', 'trois', 'quatre']) {
    const enc = encodeSubmit({ to: '+33612345678', text });
    assert.ok(enc.ok);
    const part = enc.value.parts[0]!;
    s.sim.holdSends = true;
    const sending = modem.send(part.hex, part.tpduLength);
    await waitUntil(() => s.sim.heldSends === 1, 2000, `"${text}" waiting for the network`);
    await s.sim.incomingCall('+33698765432', 2);
    s.sim.releaseSends();
    refs.push(await sending);
  }
  assert.deepEqual(
    refs,
    s.sim.submitted.map((x) => x.mr),
    'each send got its own +CMGS reference',
  );
  assert.deepEqual(
    s.sim.submitted.map((x) => x.decoded?.text),
    ['un', 'deux', 'trois', 'quatre'],
  );
  assert.equal(urcs.filter((u) => u.line === 'NO CARRIER').length, 4, 'NO CARRIER went to the URCs');
  // In step: the next command gets its own answer.
  await s.sim.incomingCall('+33698765432', 1);
  const st = await modem.status();
  assert.equal(st.registration, 'registered_home');
});
