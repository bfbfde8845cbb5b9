/**
 * The core's serial line (core/serial-line.ts), shared by the SMS and Linky modules, on a real
 * pseudo-terminal pair from socat: bytes both ways, reads gathered when the line may wait
 * (one wake-up for many bytes), an unplug reported once, our own close not reported, and the
 * in-memory line of the demo.
 */
import assert from 'node:assert/strict';
import { closeSync, openSync, writeSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  createMemoryLine,
  openSerialLine,
  removeMemoryLine,
  SerialPortLine,
} from '../../addon/src/core/serial-line.js';
import { PtyPair } from '../helpers/pty.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serial line', () => {
  it('a line that may wait gathers bytes sent one by one at 1200 baud into a few reads', async () => {
    const pty = new PtyPair();
    await pty.open();
    const eager = new SerialPortLine({ path: pty.a, baud: 1200, dataBits: 7, parity: 'even' });
    await eager.open();
    const got: Buffer[] = [];
    eager.onData((c) => got.push(c));
    const fd = openSync(pty.b, 'w');
    const send = async (text: string) => {
      // One byte every 8.3 ms, as a meter at 1200 baud (10 bits a character).
      for (const ch of text) {
        writeSync(fd, ch);
        await sleep(8);
      }
    };
    try {
      const text = 'ADCO 021528603314 3\r\nPAPP 01230 !\r\n';
      await send(text);
      await sleep(150);
      assert.equal(Buffer.concat(got).toString(), text);
      const eagerReads = got.length;
      await eager.close();
      const patient = new SerialPortLine({
        path: pty.a,
        baud: 1200,
        dataBits: 7,
        parity: 'even',
        readPauseMs: 100,
      });
      await patient.open();
      got.length = 0;
      patient.onData((c) => got.push(c));
      await send(text);
      await sleep(250);
      assert.equal(Buffer.concat(got).toString(), text);
      // ~300 ms of bytes: a read every 100 ms at most, against one per byte or so without the pause.
      assert.ok(got.length <= 5, `${got.length} reads with the pause`);
      assert.ok(eagerReads > 2 * got.length, `${eagerReads} reads without the pause, ${got.length} with`);
      await patient.close();
    } finally {
      closeSync(fd);
      await pty.dispose();
    }
  });

  it('writes reach the other end; an unplug is reported once, our own close never', async () => {
    const pty = new PtyPair();
    await pty.open();
    const host = new SerialPortLine({ path: pty.a, baud: 115200 });
    const device = new SerialPortLine({ path: pty.b, baud: 115200 });
    await host.open();
    await device.open();
    const received: string[] = [];
    device.onData((c) => received.push(c.toString()));
    const closes: Array<Error | undefined> = [];
    host.onClose((e) => closes.push(e));
    device.onClose(() => {});
    await host.write('AT\r');
    for (let i = 0; i < 50 && received.join('') !== 'AT\r'; i++) await sleep(10);
    assert.equal(received.join(''), 'AT\r');
    await device.close();
    await pty.close(); // socat dies: the host end vanishes
    for (let i = 0; i < 100 && closes.length === 0; i++) await sleep(20);
    assert.equal(closes.length, 1);
    assert.equal(host.isOpen, false);
    await host.close();
    assert.equal(closes.length, 1);
    await pty.dispose();

    const again = new PtyPair();
    await again.open();
    const mine = new SerialPortLine({ path: again.a, baud: 9600 });
    let closed = 0;
    mine.onClose(() => closed++);
    await mine.open();
    await mine.setBaud(1200);
    await mine.close();
    await sleep(100);
    assert.equal(closed, 0);
    await again.dispose();
  });

  it('memory:NAME is an in-memory line: both ways, speed seen by the device, unplug', async () => {
    const line = createMemoryLine('ut-line');
    try {
      const host = openSerialLine({ path: 'memory:ut-line', baud: 1200 });
      await host.open();
      assert.equal(line.hostBaud, 1200);
      const got: string[] = [];
      host.onData((c) => got.push(c.toString()));
      const atDevice: string[] = [];
      line.device.onData((c) => atDevice.push(c.toString()));
      line.device.write('frame');
      await host.write('cmd');
      await sleep(10);
      assert.deepEqual([got, atDevice], [['frame'], ['cmd']]);
      await host.setBaud(9600);
      assert.equal(line.hostBaud, 9600);
      let closed = 0;
      host.onClose(() => closed++);
      line.unplug();
      assert.equal(closed, 1);
      await assert.rejects(host.open());
      assert.throws(() => openSerialLine({ path: 'memory:nothing', baud: 1 }));
    } finally {
      removeMemoryLine('ut-line');
    }
  });
});
