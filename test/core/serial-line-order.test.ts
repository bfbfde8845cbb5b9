/**
 * Bytes leave a serial line in the order they were written, even when the writer does not wait
 * for each write. Found by the SMS engine tests: the modem simulator wrote a command's echo and
 * then its answer, and the host read the answer first (serialport's binding writes through
 * libuv's thread pool, where two writes in flight can overtake each other).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { SerialPortLine } from '../../addon/src/core/serial-line.js';
import { PtyPair } from '../helpers/pty.js';

const pty = new PtyPair();
const lines: SerialPortLine[] = [];
after(async () => {
  for (const l of lines) await l.close();
  await pty.close();
});

test('writes not awaited one by one still arrive in order', async () => {
  await pty.open();
  const writer = new SerialPortLine({ path: pty.a, baud: 115200 });
  const reader = new SerialPortLine({ path: pty.b, baud: 115200 });
  lines.push(writer, reader);
  await reader.open();
  await writer.open();
  let got = '';
  reader.onData((c) => {
    got += c.toString('latin1');
  });
  const chunks = Array.from({ length: 300 }, (_, i) => `<${i}>`);
  await Promise.all(chunks.map((c) => writer.write(c)));
  const want = chunks.join('');
  const end = Date.now() + 5000;
  while (got.length < want.length && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  assert.equal(got, want);
});
