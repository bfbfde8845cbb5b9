/**
 * How the core's serial line reads a line that may wait (the Linky TIC, `readPauseMs`): after
 * each pause the bytes already in the kernel are read on the event loop's own thread, not
 * through libuv's thread pool (the binding's `read()` = `fs.read`, two thread switches and one
 * more wake-up each: half the CPU of a Linky-only process, bench/linky-live.ts); a silent line
 * waits in the binding until it is readable again, and nothing is lost either way. On a real
 * pseudo-terminal pair from socat, fed at 1200 baud like a meter.
 */
import assert from 'node:assert/strict';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { PtyPair } from '../helpers/pty.js';

// Counts the thread-pool reads of the binding: it reads with `fs.read` (promisified when it is
// loaded), so the count must be installed before the binding is; this file loads it first.
const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
const realRead = fs.read;
let poolReads = 0;
const countingRead = (...args: unknown[]) => {
  poolReads++;
  return (realRead as (...a: unknown[]) => unknown)(...args);
};
// fs.read carries how promisify() must resolve ({bytesRead, buffer}): keep it.
for (const sym of Object.getOwnPropertySymbols(realRead))
  Object.defineProperty(countingRead, sym, { value: (realRead as unknown as Record<symbol, unknown>)[sym] });
(fs as { read: unknown }).read = countingRead;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serial line reads', () => {
  it('a line that may wait reads waiting bytes without the thread pool, and waits when silent', async () => {
    const { SerialPortLine } = await import('../../addon/src/core/serial-line.js');
    const pty = new PtyPair();
    await pty.open();
    const line = new SerialPortLine({
      path: pty.a,
      baud: 1200,
      dataBits: 7,
      parity: 'even',
      readPauseMs: 100,
    });
    const got: Buffer[] = [];
    line.onData((c) => got.push(c));
    const send = async (text: string) => {
      for (const ch of text) {
        writeSync(fd, ch); // one character every ~8 ms: 1200 baud
        await sleep(8);
      }
    };
    await line.open();
    const fd = openSync(pty.b, 'w');
    try {
      const first = 'ADCO 021528603314 3\r\nOPTARIF HC.. <\r\nISOUSC 45 ?\r\nHCHC 001065963 _\r\n';
      const second = 'PAPP 01230 !\r\nHHPHC A ,\r\n';
      poolReads = 0;
      await send(first);
      await sleep(250);
      const readsWhileStreaming = got.length;
      const poolWhileStreaming = poolReads;
      await sleep(600); // silence: the line waits for the port to be readable
      await send(second);
      await sleep(250);
      assert.equal(Buffer.concat(got).toString(), first + second, 'every byte, in order');
      assert.ok(readsWhileStreaming >= 5, `${readsWhileStreaming} reads for ~0.7 s of bytes`);
      // Only the read that follows a wait for readability may use the thread pool.
      assert.ok(
        poolWhileStreaming <= 2,
        `${poolWhileStreaming} thread-pool reads for ${readsWhileStreaming} reads while bytes kept coming`,
      );
    } finally {
      await line.close();
      closeSync(fd);
      await pty.dispose();
    }
  });
});
