/**
 * Linky figures: decode throughput, ETX received → MQTT state published (real Mosquitto when
 * installed, else the in-process aedes broker), CPU at the live rate, and MQTT messages per hour
 * for a simulated day compared with publishing every frame.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../addon/src/app.js';
import { loadConfigObject } from '../addon/src/config/load.js';
import { LoggerRoot } from '../addon/src/core/logger.js';
import { startLocalBroker } from '../addon/src/demo/broker.js';
import { TicSimulator } from '../addon/src/modules/linky/simulator.js';
import { decodeTic, initialDecoderState } from '../addon/src/modules/linky/tic/decoder.js';
import { deriveValues } from '../addon/src/modules/linky/tic/derive.js';
import { MemoryLine, registerMemoryLine } from '../addon/src/modules/linky/transport.js';
import { connectClient } from '../test/helpers/mosquitto.js';
import { distribution, figure } from './run.js';

function throughput(): void {
  let t = 0;
  const sim = new TicSimulator({ mode: 'historic', write: () => {}, now: () => (t += 1500) });
  const frames = Array.from({ length: 2000 }, () => sim.frame());
  const bytes = Buffer.concat(frames);
  let state = initialDecoderState();
  let n = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < 20; i++) {
    for (let off = 0; off < bytes.length; off += 64) {
      const r = decodeTic(state, bytes.subarray(off, off + 64));
      state = r.state;
      n += r.frames.length;
    }
  }
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  figure('decode throughput, historic frames (64-byte chunks)', `${Math.round(n / s)} frames/s`, '≥ 20,000');
  let derived = 0;
  const s2 = process.hrtime.bigint();
  const all = decodeTic(initialDecoderState(), bytes).frames;
  for (let i = 0; i < 10; i++) for (const f of all) derived += deriveValues(f).phases;
  figure(
    'decode + derived values, historic frames',
    `${Math.round((all.length * 10 + all.length) / (Number(process.hrtime.bigint() - s2) / 1e9))} frames/s`,
  );
  if (derived < 0) console.log(derived);
}

async function latencyAndCpu(): Promise<void> {
  const broker = await startLocalBroker(0);
  const dir = mkdtempSync(join(tmpdir(), 'bench-linky-'));
  const line = new MemoryLine();
  const unreg = registerMemoryLine('bench', line);
  const config = loadConfigObject(
    {
      node_id: 'bench',
      data_dir: dir,
      log: { level: 'silent' },
      mqtt: { url: broker.url },
      linky: {
        meters: [{ port: 'memory:bench', baud: '1200' }],
        power_min_interval_s: 0,
        power_deadband_va: 0,
      },
    },
    {},
    'en',
  );
  const app = new App(config, { logRoot: new LoggerRoot({ level: 'silent' }) });
  await app.start();
  const sub = await connectClient(broker.url);
  const topic = 'monitor/bench/linky_021528603314/state';
  await sub.subscribeAsync(topic);
  let t = Date.now();
  const sim = new TicSimulator({
    mode: 'historic',
    write: () => {},
    now: () => (t += 1500),
    power: (x) => 1000 + ((x / 1500) % 500),
  });
  let resolveMsg: (() => void) | undefined;
  sub.on('message', () => resolveMsg?.());
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const f = sim.frame();
    const got = new Promise<void>((r) => {
      resolveMsg = r;
    });
    // Everything but the ETX first, then the ETX alone: the clock starts when it arrives.
    line.write(f.subarray(0, f.length - 1));
    const t0 = process.hrtime.bigint();
    line.write(f.subarray(f.length - 1));
    await got;
    if (i >= 20) samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  figure('ETX received → MQTT state received (aedes, loopback)', distribution(samples, 'ms'), 'p99 ≤ 5 ms');

  // CPU at the live rate: a historic frame every ~1.5 s, 10 s of real time.
  const live = new TicSimulator({ mode: 'historic', write: (b) => line.write(b) });
  const cpu0 = process.cpuUsage();
  const w0 = Date.now();
  live.start();
  await new Promise((r) => setTimeout(r, 10_000));
  live.stop();
  const cpu = process.cpuUsage(cpu0);
  figure(
    'CPU at the live rate (1200 baud historic, 10 s)',
    `${(((cpu.user + cpu.system) / 1000 / (Date.now() - w0)) * 100).toFixed(2)} % of one core`,
  );
  await sub.endAsync();
  await app.stop();
  unreg();
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
}

async function messagesPerHour(): Promise<void> {
  // One simulated hour of a historic meter (a frame every 1.5 s) through the real pipeline with
  // the default settings (5 s minimum interval on powers, 10 VA deadband).
  const broker = await startLocalBroker(0);
  const dir = mkdtempSync(join(tmpdir(), 'bench-linky-'));
  const line = new MemoryLine();
  const unreg = registerMemoryLine('bench-h', line);
  let now = Date.parse('2026-11-20T18:00:00Z');
  const config = loadConfigObject(
    {
      node_id: 'bh',
      data_dir: dir,
      log: { level: 'silent' },
      mqtt: { url: broker.url },
      discovery: { coalesce_ms: 0, refresh_minutes: 0 },
      linky: { meters: [{ port: 'memory:bench-h', baud: '1200' }] },
    },
    {},
    'en',
  );
  const app = new App(config, { logRoot: new LoggerRoot({ level: 'silent' }) });
  await app.start();
  const sub = await connectClient(broker.url);
  let states = 0;
  sub.on('message', () => states++);
  await sub.subscribeAsync('monitor/bh/+/state');
  const sim = new TicSimulator({ mode: 'historic', write: () => {}, now: () => now });
  // Real time is compressed: the registry's minimum interval uses the wall clock, so the hour is
  // replayed at 50 frames per real second (2400 frames, 48 s).
  const frames = 2400;
  for (let i = 0; i < frames; i++) {
    now += 1500;
    line.write(sim.frame());
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 1000));
  }
  await new Promise((r) => setTimeout(r, 500));
  figure(
    'MQTT state messages for 1 h of frames (every frame: 2400)',
    `${states - 1} messages (${((100 * (states - 1)) / frames).toFixed(1)} %)`,
  );
  await sub.endAsync();
  await app.stop();
  unreg();
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
}

export async function run(): Promise<void> {
  throughput();
  await latencyAndCpu();
  await messagesPerHour();
}
