/**
 * Linky as a user runs it: the real CLI (`node bin/monitor.js run`, the bundled dist) reading a
 * socat pseudo-terminal that the simulator feeds at the live rate (historic, 1200 baud 7E1,
 * a frame every ~1.7 s), publishing to a real Mosquitto. Measured from outside the process:
 * CPU (utime + stime from /proc/<pid>/stat) over a window after a warm-up, resident memory
 * (VmRSS), and the MQTT bytes the meter costs per hour (topic + payload of every message a
 * subscriber receives in the window, scaled to an hour). Each Node flag set is a separate run,
 * so what each flag saves is printed beside it.
 *
 * The CLI gets the environment a service has (PATH and LANG, as systemd or the app's run script
 * give it), not the bench's: this machine's NODE_EXTRA_CA_CERTS alone made Node load a CA bundle
 * at start, ~11 MB of the 77 MB measured before. `BENCH_LINKY_BIN=/other/bin/monitor.js` measures
 * another build the same way (e.g. a checkout of main, for an A/B at the same machine load).
 *
 * teleinfo2mqtt (the reference) is not in this workplace's package lists and cannot be
 * installed here: its figures are those of issue 9 (2 % of one core, 182 kB/h historic, 67 MB).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TicSimulator } from '../addon/src/modules/linky/simulator.js';
import { BIN, ensureBuilt } from '../test/helpers/build.js';
import { CountingProxy } from '../test/helpers/counting-proxy.js';
import { connectClient, Mosquitto } from '../test/helpers/mosquitto.js';
import { stopProcess } from '../test/helpers/process.js';
import { PtyPair } from '../test/helpers/pty.js';
import { figure, SERVICE_ENV } from './run.js';

const CLK_TCK = 100;
const WARMUP_MS = Number(process.env.BENCH_LINKY_WARMUP_MS ?? 15_000);
const WINDOW_MS = Number(process.env.BENCH_LINKY_WINDOW_MS ?? 60_000);

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
}

/** VmRSS and its two parts: anonymous (heaps, code) and file-backed (the node binary's pages). */
function memory(pid: number): { rss: number; anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (key: string) => {
    const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(status);
    return m ? Number(m[1]) / 1024 : Number.NaN;
  };
  return { rss: mb('VmRSS'), anon: mb('RssAnon'), file: mb('RssFile') };
}

const CLI = process.env.BENCH_LINKY_BIN ?? BIN;

interface LiveFigures {
  /** Bytes per hour Monitor sent to the broker (TCP payload through the counting proxy). */
  wireKbPerHour: number;
  cpuPct: number;
  /** Median of one sample a second over the window; rssMaxMb the highest. */
  rssMb: number;
  rssMaxMb: number;
  anonMb: number;
  fileMb: number;
  kbPerHour: number;
  messagesPerHour: number;
  /** Bytes per topic (the device part of the topic), largest first. */
  byTopic: Array<[string, number]>;
}

async function liveRun(
  broker: Mosquitto,
  nodeFlags: string[],
  env: Record<string, string> = {},
): Promise<LiveFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-linky-live-'));
  const pty = new PtyPair();
  await pty.open();
  const fd = openSync(pty.b, 'w');
  // A steady 1.5 kVA household with a fast ±200 VA ripple: the same load for every run (the
  // simulator's default also drifts ±900 VA over an hour, which moves the bytes per hour).
  const sim = new TicSimulator({
    mode: 'historic',
    write: (b) => writeSync(fd, b),
    power: (t) => 1500 + 200 * Math.sin(t / 7000),
  });
  const brokerUrl = new URL(broker.url);
  const proxy = new CountingProxy({ host: brokerUrl.hostname, port: Number(brokerUrl.port) });
  const proxyUrl = await proxy.start();
  const config = join(dir, 'monitor.json');
  writeFileSync(
    config,
    JSON.stringify({
      node_id: 'live',
      data_dir: join(dir, 'data'),
      log: { level: 'warn' },
      mqtt: { url: proxyUrl },
      linky: { meters: [{ port: pty.a, baud: '1200', mode: 'historic' }] },
    }),
  );
  const sub = await connectClient(broker.url);
  let bytes = 0;
  let messages = 0;
  let counting = false;
  const perTopic = new Map<string, number>();
  sub.on('message', (topic, payload, packet) => {
    // The meter's own topics and discovery (the gateway's are the same with or without it).
    if (!counting || packet.retain || !topic.includes('linky_')) return;
    const n = Buffer.byteLength(topic) + payload.length;
    bytes += n;
    messages++;
    const short = topic.split('/').slice(2).join('/') || topic;
    perTopic.set(short, (perTopic.get(short) ?? 0) + n);
  });
  await sub.subscribeAsync(['monitor/#', 'homeassistant/#']);
  let child: ChildProcess | undefined;
  try {
    sim.start();
    child = spawn(process.execPath, [...nodeFlags, CLI, 'run', '--config', config], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...SERVICE_ENV, ...env },
    });
    const pid = child.pid!;
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    // Live messages only (retained ones are the start's): counted from here.
    counting = true;
    const wire0 = proxy.sent;
    const t0 = cpuTicks(pid);
    const w0 = Date.now();
    // Resident memory moves with the garbage collector (±4 MB between runs read once): sampled
    // every second of the window, the median and the highest reported.
    const samples: Array<ReturnType<typeof memory>> = [];
    while (Date.now() - w0 < WINDOW_MS) {
      await new Promise((r) => setTimeout(r, 1000));
      samples.push(memory(pid));
    }
    const ms = Date.now() - w0;
    counting = false;
    const cpuMs = ((cpuTicks(pid) - t0) * 1000) / CLK_TCK;
    const wireBytes = proxy.sent - wire0;
    const median = (k: 'rss' | 'anon' | 'file') =>
      samples.map((m) => m[k]).sort((a, b) => a - b)[samples.length >> 1]!;
    return {
      wireKbPerHour: (wireBytes / 1000) * (3_600_000 / ms),
      cpuPct: (100 * cpuMs) / ms,
      rssMb: median('rss'),
      rssMaxMb: Math.max(...samples.map((m) => m.rss)),
      anonMb: median('anon'),
      fileMb: median('file'),
      kbPerHour: (bytes / 1000) * (3_600_000 / ms),
      messagesPerHour: messages * (3_600_000 / ms),
      byTopic: [...perTopic].sort((a, b) => b[1] - a[1]).map(([t, n]) => [t, (n / 1000) * (3_600_000 / ms)]),
    };
  } finally {
    sim.stop();
    if (child) await stopProcess(child);
    await sub.endAsync();
    await proxy.stop();
    closeSync(fd);
    await pty.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

// The default is what users run: V8's optimising compiler off (core/jit.ts). The other rows say
// what it saves (MONITOR_JIT=optimizing, V8's own default) and what other flags would save on top.
const VARIANTS: Array<{ name: string; flags: string[]; env?: Record<string, string> }> = [
  { name: 'default', flags: [] },
  { name: 'MONITOR_JIT=optimizing (TurboFan on)', flags: [], env: { MONITOR_JIT: 'optimizing' } },
  { name: '--optimize-for-size', flags: ['--optimize-for-size'] },
  { name: '--max-semi-space-size=1', flags: ['--max-semi-space-size=1'] },
  { name: '--lite-mode', flags: ['--lite-mode'] },
];

/** One run with extra Node flags (e.g. --cpu-prof), figures printed; for finding where time goes. */
export async function profile(flags: string[]): Promise<void> {
  await ensureBuilt();
  const broker = new Mosquitto();
  await broker.start();
  try {
    const f = await liveRun(broker, flags);
    figure(
      `live CLI process with ${flags.join(' ')}`,
      `CPU ${f.cpuPct.toFixed(2)} %, RSS median ${f.rssMb.toFixed(1)} MB, max ${f.rssMaxMb.toFixed(1)} (anonymous ${f.anonMb.toFixed(1)}, file ${f.fileMb.toFixed(1)})`,
    );
  } finally {
    await broker.dispose();
  }
}

export async function run(): Promise<void> {
  await ensureBuilt();
  const broker = new Mosquitto();
  await broker.start();
  try {
    let base: LiveFigures | undefined;
    for (const v of process.env.BENCH_LINKY_VARIANTS === 'default' ? VARIANTS.slice(0, 1) : VARIANTS) {
      const f = await liveRun(broker, v.flags, v.env);
      base ??= f;
      const delta = f.rssMb - base.rssMb;
      const saved =
        v === VARIANTS[0]
          ? ''
          : `, ${Math.abs(delta).toFixed(1)} MB ${delta > 0 ? 'more' : 'less'} than default`;
      figure(
        `live CLI process, historic 1200 baud: ${v.name}`,
        `CPU ${f.cpuPct.toFixed(2)} % of one core, RSS median ${f.rssMb.toFixed(1)} MB, max ${f.rssMaxMb.toFixed(1)} (anonymous ${f.anonMb.toFixed(1)}, file ${f.fileMb.toFixed(1)})${saved} (load ${loadavg()[0]!.toFixed(1)})`,
        v === VARIANTS[0] ? 'CPU ≤ 0.3 %, RSS ≤ 55 MB' : undefined,
      );
      if (v === VARIANTS[0])
        figure(
          'MQTT for one historic meter (live CLI, per hour)',
          `${f.kbPerHour.toFixed(0)} kB/h topic + payload, ${f.messagesPerHour.toFixed(0)} messages/h (teleinfo2mqtt: 182 kB/h)`,
          '≤ 182 kB/h',
        );
      if (v === VARIANTS[0])
        figure(
          'MQTT bytes on the wire, Monitor → broker (per hour, gateway and pings included)',
          `${f.wireKbPerHour.toFixed(0)} kB/h`,
        );
      if (v === VARIANTS[0])
        figure(
          '  of which (kB/h)',
          f.byTopic
            .slice(0, 8)
            .map(([t, kb]) => `${t} ${kb.toFixed(0)}`)
            .join(', '),
        );
    }
  } finally {
    await broker.dispose();
  }
}
