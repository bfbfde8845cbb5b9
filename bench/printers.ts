/**
 * Printers bench: (1) state change at the printer → MQTT state published, with OctoPrint's
 * push socket and with REST polling; (2) CPU and RSS of Monitor watching 50 simulated printers
 * that are all printing. The printers run in a child process (bench/printers-fleet.ts), the
 * broker is a real Mosquitto; only Monitor's process is measured.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { App } from '../addon/src/app.js';
import { loadConfigObject } from '../addon/src/config/load.js';
import { LoggerRoot } from '../addon/src/core/logger.js';
import { Mosquitto, Recorder } from '../test/helpers/mosquitto.js';
import { distribution, figure } from './run.js';

const FLEET_KEY = 'bench-fleet-key';

interface Fleet {
  urls: string[];
  proc: ChildProcess;
  command(line: string): Promise<{ i: number; state: string; at: number }>;
  stop(): Promise<void>;
}

async function startFleet(n: number): Promise<Fleet> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./printers-fleet.ts', import.meta.url).pathname, String(n)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
  const queue: Array<(l: string) => void> = [];
  lines.on('line', (l) => queue.shift()?.(l));
  const next = () => new Promise<string>((resolve) => queue.push(resolve));
  const { urls } = JSON.parse(await next()) as { urls: string[] };
  return {
    urls,
    proc,
    async command(line) {
      const reply = next();
      proc.stdin?.write(`${line}\n`);
      return JSON.parse(await reply);
    },
    async stop() {
      proc.stdin?.end();
      await new Promise((r) => proc.once('exit', r));
    },
  };
}

async function startMonitor(brokerUrl: string, urls: string[], push: boolean, interval: number, first = 0) {
  const dataDir = mkdtempSync(join(tmpdir(), 'printers-bench-'));
  const config = loadConfigObject({
    node_id: 'bench',
    data_dir: dataDir,
    log: { level: process.env.BENCH_LOG || 'error' },
    mqtt: { url: brokerUrl },
    printers: {
      list: urls.map((url, i) => ({
        name: `P${first + i}`,
        type: 'octoprint',
        url,
        api_key: FLEET_KEY,
        interval,
        push,
      })),
    },
  });
  const app = new App(config, {
    logRoot: new LoggerRoot({ level: (process.env.BENCH_LOG as 'info') || 'error' }),
  });
  await app.start();
  return {
    app,
    async stop() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Pause/resume printer `i` `rounds` times; ms from the change at the printer to the MQTT state. */
async function latencies(
  fleet: Fleet,
  rec: Recorder,
  i: number,
  rounds: number,
  timeoutMs: number,
): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const cmd = r % 2 === 0 ? 'pause' : 'resume';
    const want = cmd === 'pause' ? 'paused' : 'printing';
    const sentAt = Date.now();
    const applied = await fleet.command(`${cmd} ${i}`);
    const m = await rec.waitFor(
      (x) =>
        x.at >= sentAt &&
        x.topic === `monitor/bench/printer_p${i}/state` &&
        JSON.parse(x.payload).state === want,
      timeoutMs,
    );
    out.push(m.at - applied.at);
    await new Promise((res) => setTimeout(res, 300 + Math.random() * 700));
  }
  return out;
}

export async function run(): Promise<void> {
  const broker = new Mosquitto();
  await broker.start();
  const fleet = await startFleet(50);
  const rec = await Recorder.open(broker.url, ['monitor/bench/+/state']);
  try {
    // 1. Latency with push, one printer watched.
    let mon = await startMonitor(broker.url, fleet.urls.slice(0, 1), true, 10);
    await rec.waitFor(
      (m) => m.topic === 'monitor/bench/printer_p0/state' && JSON.parse(m.payload).link === 'push',
      15_000,
    );
    const push = await latencies(fleet, rec, 0, 20, 5000);
    figure('state change → MQTT, OctoPrint push', distribution(push, 'ms', 0), '≤ 1000 ms');
    await mon.stop();

    // 2. Latency with REST polling every 2 s (Home Assistant's OctoPrint integration: 30 s).
    mon = await startMonitor(broker.url, fleet.urls.slice(1, 2), false, 2, 1);
    await rec.waitFor((m) => m.topic === 'monitor/bench/printer_p1/state', 15_000);
    const poll = await latencies(fleet, rec, 1, 8, 10_000);
    figure('state change → MQTT, REST polling every 2 s', distribution(poll, 'ms', 0));
    figure('  same with a 30 s poll (HA integration), expected mean', '≈ 15000 ms (interval / 2)');
    await mon.stop();

    // 3. CPU and RSS watching 50 printing printers over push.
    rec.clear();
    const rss0 = process.memoryUsage().rss;
    mon = await startMonitor(broker.url, fleet.urls, true, 10);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const up = new Set(
        rec.messages.filter((m) => JSON.parse(m.payload).link === 'push').map((m) => m.topic),
      );
      if (up.size >= 50) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 3000));
    const windowMs = 20_000;
    const sent0 = mon.app.registry.counters.stateMessages;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let rssMax = 0;
    const sampler = setInterval(() => {
      rssMax = Math.max(rssMax, process.memoryUsage().rss);
    }, 500);
    await new Promise((r) => setTimeout(r, windowMs));
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpu0);
    const elapsedUs = Number(process.hrtime.bigint() - t0) / 1000;
    const sent = mon.app.registry.counters.stateMessages - sent0;
    figure(
      '50 printers printing (push): CPU of Monitor',
      `${(((cpu.user + cpu.system) / elapsedUs) * 100).toFixed(1)} % of one core`,
    );
    figure(
      '50 printers printing (push): RSS of the process',
      `${(rssMax / 1048576).toFixed(0)} MB (before: ${(rss0 / 1048576).toFixed(0)} MB)`,
    );
    figure('50 printers printing (push): MQTT state messages', `${(sent / (windowMs / 1000)).toFixed(1)} /s`);
    await mon.stop();
  } finally {
    await rec.close();
    await fleet.stop();
    await broker.dispose();
  }
}
