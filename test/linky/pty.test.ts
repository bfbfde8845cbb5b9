/**
 * The real serial path: a TIC simulator behind a socat pseudo-terminal pair, paced at the
 * line's speed (7E1: 10 bits a character), read by `serialport` (7 data bits, even parity) in
 * `monitor tic probe`. A pty does not enforce speeds, so the simulator reads the speed the
 * reader set (`stty -F`) and sends garbage when it is not the meter's, as a UART would see.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { describe, it } from 'node:test';
import { main } from '../../addon/src/cli/main.js';
import { TicSimulator } from '../../addon/src/modules/linky/simulator.js';
import { PtyPair } from '../helpers/pty.js';

async function withSimulator(
  mode: 'historic' | 'standard',
  fn: (port: string) => Promise<void>,
): Promise<void> {
  const pty = new PtyPair();
  await pty.open();
  const fd = openSync(pty.b, 'w');
  let readerBaud: number | undefined;
  const poll = setInterval(() => {
    try {
      readerBaud = Number(execFileSync('stty', ['-F', pty.a, 'speed'], { encoding: 'utf8' }).trim());
    } catch {
      readerBaud = undefined;
    }
  }, 200);
  const sim = new TicSimulator({ mode, write: (b) => writeSync(fd, b), readerBaud: () => readerBaud });
  sim.start();
  try {
    await fn(pty.a);
  } finally {
    sim.stop();
    clearInterval(poll);
    closeSync(fd);
    await pty.dispose();
  }
}

async function probe(port: string, seconds: number): Promise<Array<Record<string, unknown>>> {
  const out: string[] = [];
  const code = await main(['tic', 'probe', '--port', port, '--seconds', String(seconds)], {
    stdout: (l) => out.push(l),
    stderr: () => {},
    env: {},
  });
  assert.equal(code, 0, out.join('\n'));
  return out.map((l) => JSON.parse(l));
}

describe('TIC over a real serial port (socat pty, serialport 7E1)', () => {
  it('historic meter at 1200 baud: found at once, frames decoded, no checksum error', async () => {
    await withSimulator('historic', async (port) => {
      const lines = await probe(port, 6);
      const summary = lines.at(-1)!;
      assert.equal(summary.baud, 1200);
      assert.equal(summary.mode, 'historic');
      assert.equal(summary.checksum_error_rate, 0);
      const frame = lines.find((l) => l.meter === '021528603314')!;
      assert.equal((frame.groups as Record<string, string>).OPTARIF, 'HC..');
      assert.ok(['off_peak', 'peak'].includes((frame.derived as { tariff_period: string }).tariff_period));
    });
  });

  it('standard meter at 9600 baud: garbage at 1200, then found at 9600', async () => {
    await withSimulator('standard', async (port) => {
      const lines = await probe(port, 3);
      const summary = lines.at(-1)!;
      assert.equal(summary.baud, 9600);
      assert.equal(summary.mode, 'standard');
      assert.ok((summary.frames as number) >= 1);
      const frame = lines.find((l) => l.meter === '031764953443')!;
      assert.equal((frame.groups as Record<string, string>).PRM, '14405933300802');
    });
  });
});
