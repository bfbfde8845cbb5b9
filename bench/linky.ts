/**
 * Linky figures: decode throughput, ETX received → MQTT state received by a subscriber (real
 * Mosquitto when installed, and the in-process aedes broker; through an in-memory line and
 * through a real serial port on a socat pty), CPU at the live rate, and MQTT messages per hour
 * for a simulated day compared with publishing every frame.
 *
 * The machine running the benchmark may be shared: each figure is followed by the load average
 * at the time, and throughputs are the median of several runs.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { App } from '../addon/src/app.js';
import { loadConfigObject } from '../addon/src/config/load.js';
import { LoggerRoot } from '../addon/src/core/logger.js';
import { createMemoryLine, removeMemoryLine } from '../addon/src/core/serial-line.js';
import { startLocalBroker } from '../addon/src/demo/broker.js';
import { TIC_READ_PAUSE_MS } from '../addon/src/modules/linky/meter.js';
import { METER_ID_CONFIRM_FRAMES } from '../addon/src/modules/linky/meter-id.js';
import { TicSimulator } from '../addon/src/modules/linky/simulator.js';
import { decodeTic, initialDecoderState } from '../addon/src/modules/linky/tic/decoder.js';
import { deriveValues } from '../addon/src/modules/linky/tic/derive.js';
import { connectClient, Mosquitto } from '../test/helpers/mosquitto.js';
import { PtyPair } from '../test/helpers/pty.js';
import { distribution, figure } from './run.js';

const load = () => `load ${loadavg()[0]!.toFixed(1)}, ${availableParallelism()} cores`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Frames per second decoding `bytes` cut into `size`-byte chunks (at least `frames` frames). */
function decodeRate(bytes: Buffer, size: number, frames: number): number {
  let state = initialDecoderState();
  let n = 0;
  let off = 0;
  const start = process.hrtime.bigint();
  while (n < frames) {
    const r = decodeTic(state, bytes.subarray(off, off + size));
    state = r.state;
    n += r.frames.length;
    off += size;
    if (off >= bytes.length) off = 0;
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

function throughput(): void {
  for (const mode of ['historic', 'standard'] as const) {
    let t = 0;
    const sim = new TicSimulator({ mode, write: () => {}, now: () => (t += 1500) });
    const bytes = Buffer.concat(Array.from({ length: 2000 }, () => sim.frame()));
    // 64-byte chunks for the goal; 1 and 8 bytes are what a serial read gives at 1200/9600 baud.
    for (const size of [64, 8, 1]) {
      const runs = Array.from({ length: 5 }, () =>
        decodeRate(bytes, size, mode === 'historic' ? 20_000 : 4000),
      );
      figure(
        `decode throughput, ${mode} frames (${size}-byte chunks)`,
        `${Math.round(median(runs))} frames/s (median of 5, best ${Math.round(Math.max(...runs))}; ${load()})`,
        mode === 'historic' && size === 64 ? '≥ 20,000' : undefined,
      );
    }
    if (mode === 'standard') continue;
    const all = decodeTic(initialDecoderState(), bytes).frames;
    let derived = 0;
    const rates = Array.from({ length: 5 }, () => {
      const s = process.hrtime.bigint();
      for (let i = 0; i < 10; i++) for (const f of all) derived += deriveValues(f).phases;
      return (all.length * 10) / (Number(process.hrtime.bigint() - s) / 1e9);
    });
    figure('derived values alone, historic frames', `${Math.round(median(rates))} frames/s (median of 5)`);
    if (derived < 0) console.log(derived);
  }
}

interface Broker {
  name: string;
  url: string;
  close(): Promise<void>;
}

async function brokers(): Promise<Broker[]> {
  const out: Broker[] = [];
  const m = new Mosquitto();
  try {
    await m.start();
    out.push({ name: 'Mosquitto', url: m.url, close: () => m.dispose() });
  } catch (err) {
    console.log(`(no Mosquitto: ${(err as Error).message}; aedes only)`);
    await m.dispose();
  }
  const a = await startLocalBroker(0);
  out.push({ name: 'aedes in-process', url: a.url, close: () => a.close() });
  return out;
}

/**
 * ETX → state received by a subscriber. The module runs with the default settings
 * (`discovery.coalesce_ms` 50 ms: the meter flushes its own device after each frame), except
 * that power deadband and minimum interval are off so that every frame gives a message. Each
 * frame is sent without its ETX, then the clock starts and the ETX alone is sent: the serial
 * time of the frame is excluded, everything after the ETX reaches the machine is included.
 */
async function latency(broker: Broker, via: 'memory' | 'pty'): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-linky-'));
  const line = createMemoryLine('bench').device;
  const unreg = () => removeMemoryLine('bench');
  const pty = via === 'pty' ? new PtyPair() : undefined;
  await pty?.open();
  const fd = pty ? openSync(pty.b, 'w') : undefined;
  const send = (b: Buffer) => (fd !== undefined ? writeSync(fd, b) : line.write(b));
  const config = loadConfigObject(
    {
      node_id: 'bench',
      data_dir: dir,
      log: { level: 'silent' },
      mqtt: { url: broker.url },
      linky: {
        meters: [{ port: pty ? pty.a : 'memory:bench', baud: '1200', mode: 'historic' }],
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
  // The power changes by 1 VA with each frame: one message per frame on its own topic.
  await sub.subscribeAsync('monitor/bench/linky_021528603314/apparent_power/state');
  let t = Date.now();
  const sim = new TicSimulator({
    mode: 'historic',
    write: () => {},
    now: () => (t += 1500),
    power: (x) => 1000 + ((x / 1500) % 500),
  });
  let resolveMsg: (() => void) | undefined;
  sub.on('message', () => resolveMsg?.());
  const total: number[] = [];
  const local: number[] = [];
  const n = via === 'pty' ? 520 : 1020;
  for (let i = 0; i < n; i++) {
    const f = sim.frame();
    // A new meter id is believed after a few frames: those give no state yet.
    if (i < METER_ID_CONFIRM_FRAMES) {
      send(f);
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    const got = new Promise<void>((r) => {
      resolveMsg = r;
    });
    send(f.subarray(0, f.length - 1));
    // Through the pty, let serialport read the body first: only the ETX is then in flight.
    await new Promise((r) => setTimeout(r, pty ? 15 : 0));
    const t0 = process.hrtime.bigint();
    send(f.subarray(f.length - 1));
    const t1 = process.hrtime.bigint();
    await Promise.race([got, new Promise((_, rej) => setTimeout(() => rej(new Error('no state')), 5000))]);
    if (i >= 20) {
      total.push(Number(process.hrtime.bigint() - t0) / 1e6);
      local.push(Number(t1 - t0) / 1e6);
    }
  }
  const label =
    via === 'pty' ? `serial line on a socat pty, reads every ${TIC_READ_PAUSE_MS} ms` : 'in-memory line';
  figure(
    `ETX → state received (${broker.name}, ${label})`,
    `${distribution(total, 'ms')} (${load()})`,
    via === 'pty' ? 'p99 ≤ 250 ms' : 'p99 ≤ 5 ms',
  );
  if (via === 'memory')
    figure(`  of which decode, derive, registry, publish() (${broker.name})`, distribution(local, 'ms'));
  await sub.endAsync();
  await app.stop();
  unreg();
  if (fd !== undefined) closeSync(fd);
  await pty?.dispose();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The pty hop alone (write to one end → serialport's data event on the other, through socat),
 * measured like the latency above: how much of the pty path's tail is the test rig's, which a
 * real USB adapter does not have (no socat process to schedule).
 */
async function ptyHop(): Promise<void> {
  const pty = new PtyPair();
  await pty.open();
  const port = new SerialPort({ path: pty.a, baudRate: 1200, dataBits: 7, parity: 'even', stopBits: 1 });
  await new Promise((r) => port.once('open', r));
  const fd = openSync(pty.b, 'w');
  let resolveData: (() => void) | undefined;
  port.on('data', () => resolveData?.());
  const samples: number[] = [];
  for (let i = 0; i < 520; i++) {
    await new Promise((r) => setTimeout(r, 15));
    const got = new Promise<void>((r) => {
      resolveData = r;
    });
    const t0 = process.hrtime.bigint();
    writeSync(fd, Buffer.from([0x03]));
    await got;
    if (i >= 20) samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  figure('  the pty hop alone (socat → serialport data event)', `${distribution(samples, 'ms')} (${load()})`);
  closeSync(fd);
  await new Promise((r) => port.close(r));
  await pty.dispose();
}

async function cpuAtLiveRate(broker: Broker): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-linky-'));
  const line = createMemoryLine('bench-cpu').device;
  const unreg = () => removeMemoryLine('bench-cpu');
  const config = loadConfigObject(
    {
      node_id: 'bcpu',
      data_dir: dir,
      log: { level: 'silent' },
      mqtt: { url: broker.url },
      linky: { meters: [{ port: 'memory:bench-cpu', baud: '1200', mode: 'historic' }] },
    },
    {},
    'en',
  );
  const app = new App(config, { logRoot: new LoggerRoot({ level: 'silent' }) });
  await app.start();
  // A historic frame every ~1.5 s, paced at 1200 baud in 20 ms chunks, 10 s of real time.
  const live = new TicSimulator({ mode: 'historic', write: (b) => line.write(b) });
  const cpu0 = process.cpuUsage();
  const w0 = Date.now();
  live.start();
  await new Promise((r) => setTimeout(r, 10_000));
  live.stop();
  const cpu = process.cpuUsage(cpu0);
  figure(
    `CPU at the live rate (1200 baud historic, 10 s, ${broker.name})`,
    `${(((cpu.user + cpu.system) / 1000 / (Date.now() - w0)) * 100).toFixed(2)} % of one core`,
  );
  await app.stop();
  unreg();
  rmSync(dir, { recursive: true, force: true });
}

async function messagesPerHour(): Promise<void> {
  // One simulated hour of a historic meter (a frame every 1.5 s) through the real pipeline with
  // the default settings (5 s minimum interval on powers, 10 VA deadband).
  const broker = await startLocalBroker(0);
  const dir = mkdtempSync(join(tmpdir(), 'bench-linky-'));
  const line = createMemoryLine('bench-h').device;
  const unreg = () => removeMemoryLine('bench-h');
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
  sub.on('message', (topic) => {
    if (topic.includes('/linky_') && topic.endsWith('/state')) states++;
  });
  await sub.subscribeAsync('monitor/bh/#');
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
    `${states} messages, device JSON and own topics (${((100 * states) / frames).toFixed(1)} %)`,
  );
  await sub.endAsync();
  await app.stop();
  unreg();
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
}

export async function run(): Promise<void> {
  throughput();
  const all = await brokers();
  try {
    for (const b of all) await latency(b, 'memory');
    for (const b of all) await latency(b, 'pty');
    await ptyHop();
    await cpuAtLiveRate(all[0]!);
  } finally {
    for (const b of all) await b.close();
  }
  await messagesPerHour();
}
