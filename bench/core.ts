/**
 * Figures of the core (printed, never asserted):
 * - process start → first gateway state on a real Mosquitto (`node bin/monitor.js run`);
 * - resident memory of `monitor run` with the gateway alone, beside bare Node and Node + mqtt.js;
 * - throughput of the state pipeline (update → coalescing → dedupe → a counting transport);
 * - MQTT messages actually sent for 10,000 updates of which 90 % repeat the last value;
 * - the durable store: journal append (write + fsync) and atomic state save latencies;
 * - acknowledged publishing: QoS 1 publish → PUBACK latency on a real Mosquitto.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mock } from 'node:test';
import { LoggerRoot } from '../addon/src/core/logger.js';
import { DurableStore } from '../addon/src/core/store.js';
import { type NodeContext, topics } from '../addon/src/entities/discovery.js';
import { sensor } from '../addon/src/entities/model.js';
import { MqttConnection } from '../addon/src/mqtt/connection.js';
import { BIN, ensureBuilt, ROOT } from '../test/helpers/build.js';
import { Mosquitto, Recorder } from '../test/helpers/mosquitto.js';
import { registryOnFakeMqtt } from '../test/helpers/registry.js';
import { distribution, figure, SERVICE_ENV } from './run.js';

const node: NodeContext = {
  nodeId: 'bench',
  baseTopic: 'monitor',
  discoveryPrefix: 'homeassistant',
  origin: { name: 'Monitor', sw_version: 'bench' },
};
const silent = new LoggerRoot({ level: 'silent' }).logger('bench');

interface Memory {
  rss: number;
  pss: number;
  anon: number;
}

function memoryOf(pid: number): Memory {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN) / 1024;
  return { rss: kb('Rss'), pss: kb('Pss'), anon: kb('Anonymous') };
}

const mb = (m: Memory) =>
  `RSS ${m.rss.toFixed(1)} MB (PSS ${m.pss.toFixed(1)}, private anon ${m.anon.toFixed(1)})`;

async function startToFirstState(broker: Mosquitto, dir: string, runs: number) {
  const rec = await Recorder.open(broker.url, ['monitor/+/gateway/state']);
  const times: number[] = [];
  let memory: Memory | undefined;
  try {
    for (let i = 0; i < runs; i++) {
      const nodeId = `b${i}_${process.pid}`;
      const cfg = join(dir, `${nodeId}.yaml`);
      writeFileSync(cfg, `node_id: ${nodeId}\ndata_dir: ${join(dir, nodeId)}\nmqtt:\n  url: ${broker.url}\n`);
      const t0 = performance.now();
      const p = spawn(process.execPath, [BIN, 'run', '--config', cfg], {
        cwd: ROOT,
        stdio: 'ignore',
        env: { ...SERVICE_ENV, MONITOR_LOG_LEVEL: 'warn' },
      });
      const exited = new Promise((r) => p.once('exit', r));
      await rec.waitFor((m) => m.topic === `monitor/${nodeId}/gateway/state`, 10_000);
      times.push(performance.now() - t0);
      if (i === runs - 1) {
        // Let it settle (start-up garbage collected: at 3 s it still held ~7 MB more) as a
        // long-running service would.
        await new Promise((r) => setTimeout(r, 10_000));
        memory = memoryOf(p.pid as number);
      }
      p.kill('SIGTERM');
      await exited;
    }
  } finally {
    await rec.close();
  }
  return { times, memory };
}

/** Reference points: what Node itself, and Node with mqtt.js connected, take. */
async function referenceMemory(broker: Mosquitto, dir: string): Promise<{ bare: Memory; mqtt: Memory }> {
  const bareFile = join(dir, 'bare.mjs');
  writeFileSync(
    bareFile,
    "import net from 'node:net'; net.connect(1, '127.0.0.1').on('error', () => {}); setInterval(() => {}, 1000);",
  );
  const mqttFile = join(ROOT, 'node_modules/.bench-mqtt-ref.mjs');
  writeFileSync(
    mqttFile,
    `import mqtt from 'mqtt'; const c = mqtt.connect('${broker.url}', { writeCache: false }); c.on('connect', () => c.publish('ref/x', 'y'));`,
  );
  const measure = async (file: string) => {
    const p = spawn(process.execPath, [file], { stdio: 'ignore', env: SERVICE_ENV });
    await new Promise((r) => setTimeout(r, 2500));
    const m = memoryOf(p.pid as number);
    p.kill('SIGKILL');
    await new Promise((r) => p.once('exit', r));
    return m;
  };
  try {
    return { bare: await measure(bareFile), mqtt: await measure(mqttFile) };
  } finally {
    rmSync(mqttFile, { force: true });
  }
}

/** Updates/s through update() → coalescing timer → dedupe → stringify → transport, for ~2 s. */
async function throughput(
  coalesceMs: number,
): Promise<{ perSecond: number; messages: number; updates: number }> {
  const { mqtt, reg } = registryOnFakeMqtt(node, silent, { coalesceMs });
  mqtt.record = false;
  reg.start();
  const devices = Array.from({ length: 20 }, (_, i) => `dev${i}`);
  for (const id of devices)
    reg.declare({
      device: { id, name: id },
      entities: [
        sensor('power', 'Power', { unit: 'W' }),
        sensor('energy', 'Energy'),
        sensor('status', 'Status'),
      ],
    });
  const before = mqtt.stats.sent;
  let updates = 0;
  const t0 = performance.now();
  const until = t0 + 2000;
  while (performance.now() < until) {
    // A batch, then yield so that the coalescing timers fire as they would in the service.
    for (let i = 0; i < 2000; i++) {
      const d = devices[i % devices.length] as string;
      // Half of the updates repeat the previous value: dedupe has work to do.
      reg.update(d, { power: (updates >> 1) % 5000, energy: updates >> 4, status: 'ok' });
      updates++;
    }
    await new Promise((r) => setImmediate(r));
  }
  reg.flushAll();
  const seconds = (performance.now() - t0) / 1000;
  reg.stop();
  return { perSecond: updates / seconds, messages: mqtt.stats.sent - before, updates };
}

/**
 * 10,000 updates, one per simulated second, 90 % of them repeating the last value; the
 * periodic refresh (10 min) forces a re-send. Time is mocked so that 10,000 s pass at once.
 */
function messagesFor10k(): { sent: number; changes: number; refreshes: number } {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 0 });
  try {
    const { mqtt, reg } = registryOnFakeMqtt(node, silent);
    reg.start();
    reg.declare({ device: { id: 'meter', name: 'Meter' }, entities: [sensor('value', 'Value')] });
    const stateTopic = topics.deviceState(node, 'meter');
    let value = 0;
    let changes = 0;
    let last: number | undefined;
    // Deterministic: every tenth update is a new value.
    for (let i = 0; i < 10_000; i++) {
      if (i % 10 === 0) value++;
      if (value !== last) changes++;
      last = value;
      reg.update('meter', { value });
      mock.timers.tick(1000);
    }
    reg.stop();
    const sent = mqtt.on(stateTopic).length;
    const refreshes = Math.floor(10_000 / 600);
    return { sent, changes, refreshes };
  } finally {
    mock.timers.reset();
  }
}

/** Latencies of the durable store on this disk (each append and save is fsynced). */
async function storeLatencies(dir: string, n: number): Promise<{ append: number[]; save: number[] }> {
  const store = new DurableStore(join(dir, 'store'), { log: silent });
  const journal = store.journal<{ id: number; text: string }>('bench');
  const state = store.state<{ n: number; list: number[] }>('bench', { version: 1 });
  const append: number[] = [];
  const save: number[] = [];
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    await journal.append({ id: i, text: 'Alarme : porte d’entrée ouverte' });
    append.push(performance.now() - t0);
    t0 = performance.now();
    await state.save({ n: i, list: Array.from({ length: 50 }, (_, k) => k) });
    save.push(performance.now() - t0);
  }
  return { append, save };
}

/** QoS 1 publish → PUBACK on a real broker. */
async function ackLatency(broker: Mosquitto, n: number): Promise<number[]> {
  const c = new MqttConnection(
    {
      url: broker.url,
      clientId: `bench_ack_${process.pid}`,
      protocolVersion: 5,
      keepalive: 30,
      reconnectMaxMs: 1000,
      statusTopic: 'monitor/bench_ack/status',
    },
    silent,
  );
  await c.start(5000);
  const out: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await c.publish('monitor/bench_ack/event', `{"i":${i}}`, { qos: 1 });
      out.push(performance.now() - t0);
    }
  } finally {
    await c.stop();
  }
  return out;
}

export async function run(): Promise<void> {
  const tp = await throughput(50);
  figure(
    'state pipeline throughput (20 devices, coalescing 50 ms)',
    `${Math.round(tp.perSecond).toLocaleString('en')} updates/s (${tp.messages} messages for ${tp.updates} updates)`,
    '≥ 50,000/s',
  );
  // Worst case: no coalescing, every update is compared, serialised and published on its own.
  const tp0 = await throughput(0);
  figure(
    'state pipeline throughput, no coalescing (every update flushed)',
    `${Math.round(tp0.perSecond).toLocaleString('en')} updates/s (${tp0.messages} messages for ${tp0.updates} updates)`,
    '≥ 50,000/s',
  );
  const m = messagesFor10k();
  figure(
    'MQTT state messages for 10,000 updates, 90 % repeats',
    `${m.sent} sent; changes + forced refreshes = ${m.changes} + ${m.refreshes} = ${m.changes + m.refreshes}`,
    'sent = changes + refreshes',
  );

  await ensureBuilt();
  const broker = new Mosquitto();
  const dir = mkdtempSync(join(tmpdir(), 'monitor-bench-'));
  try {
    await broker.start();
    const { times, memory } = await startToFirstState(broker, dir, 10);
    figure('process start → first gateway state (monitor run)', distribution(times, 'ms', 0), '≤ 1000 ms');
    if (memory) figure('memory of monitor run, gateway alone', mb(memory), 'RSS ≤ 45 MB');
    const ref = await referenceMemory(broker, dir);
    figure('  reference: bare node 20 process', mb(ref.bare));
    figure('  reference: node 20 + mqtt.js connected', mb(ref.mqtt));
    const st = await storeLatencies(dir, 200);
    figure('store: journal append (write + fsync)', distribution(st.append, 'ms', 2));
    figure('store: state save (temp, fsync, rename, fsync dir)', distribution(st.save, 'ms', 2));
    figure(
      'QoS 1 publish → PUBACK (Mosquitto, localhost)',
      distribution(await ackLatency(broker, 500), 'ms', 2),
    );
  } finally {
    await broker.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
