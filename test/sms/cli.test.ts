/** CLI: sms decode / sms encode, modem probe against the simulator on a pty, and the demo's modem. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { SimOnPty } from './helpers.js';

async function run(args: string[], stdin = '') {
  const r = await runCli(args, { stdin, env: { LANG: 'C' } });
  return { ...r, out: r.out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('sms decode: one JSON line per PDU, {error} and a non-zero exit for a bad one', async () => {
  const r = await run([
    'sms',
    'decode',
    '07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37',
    'ZZ12',
  ]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.out[0], {
    type: 'deliver',
    smsc: '+27381000015',
    address: '27838890001',
    text: 'hellohello',
    encoding: 'gsm7',
    timestamp: '1999-03-29T15:16:59+02:00',
    concat: null,
    reference: null,
    status: null,
    class: null,
  });
  assert.ok(typeof r.out[1]?.error === 'string');
  const piped = await run(['sms', 'decode', '-'], '0006D60B911326880736F4111011719551401110117195714000\n');
  assert.equal(piped.code, 0);
  assert.equal(piped.out[0]?.type, 'status-report');
  assert.equal(piped.out[0]?.reference, 214);
});

test('sms encode: one PDU per part with its length; decode reads it back', async () => {
  const r = await run([
    'sms',
    'encode',
    '--to',
    '+33612345678',
    '--status-report',
    '--flash',
    '--ref',
    '9',
    'x'.repeat(200),
  ]);
  assert.equal(r.code, 0);
  assert.equal(r.out.length, 2);
  const back = await run(['sms', 'decode', ...r.out.map((o) => String(o.pdu))]);
  assert.deepEqual(
    back.out.map((o) => o.concat),
    [
      { ref: 9, total: 2, seq: 1 },
      { ref: 9, total: 2, seq: 2 },
    ],
  );
  assert.equal(back.out.map((o) => o.text).join(''), 'x'.repeat(200));
  assert.equal(back.out[0]?.class, 0);
  assert.equal((await run(['sms', 'encode', 'no recipient'])).code, 2);
});

test('modem probe: what a user needs to debug a modem', async () => {
  const s = await new SimOnPty({ profile: 'e1752' }).start();
  try {
    const r = await run(['modem', 'probe', '--port', s.path]);
    assert.equal(r.code, 0, JSON.stringify(r.out));
    const o = r.out[0]!;
    assert.equal(o.manufacturer, 'huawei');
    assert.equal(o.model, 'E1752');
    assert.equal(o.imei, '353142041234567');
    assert.equal(o.sim, 'READY');
    assert.equal(o.registration, 'registered_home');
    assert.equal(o.cnmi_supported, '(0-2),(0-3),(0,2),(0-2),(0,1)');
    assert.equal(typeof o.signal_dbm, 'number');
  } finally {
    await s.dispose();
  }
  const missing = await run(['modem', 'probe', '--port', '/nonexistent/tty']);
  assert.equal(missing.code, 1);
  assert.match(String(missing.out[0]?.error), /cannot open/);
});
