/**
 * SMS figures: +CMTI on the line → MQTT event published (the simulated modem answers at once,
 * so modem time is excluded) against a real Mosquitto, PDU encode/decode throughput, RSS with
 * the module running.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { App } from '../addon/src/app.js';
import { loadConfigObject } from '../addon/src/config/load.js';
import { LoggerRoot } from '../addon/src/core/logger.js';
import { decodePdu, encodeSubmit } from '../addon/src/modules/sms/pdu/index.js';
import { createMemoryLine, removeMemoryLine } from '../addon/src/modules/sms/serial/memory.js';
import { ModemSimulator } from '../addon/src/modules/sms/simulator/modem-sim.js';
import { buildDeliver } from '../addon/src/modules/sms/simulator/network.js';
import { Mosquitto } from '../test/helpers/mosquitto.js';
import { distribution, figure } from './run.js';

function throughput(): void {
  const texts = ['Alarme activée', 'x'.repeat(400), 'Reçu 👍 à 19 h'];
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    for (const text of texts) encodeSubmit({ to: '+33612345678', text, concatRef: n & 0xff });
    n += texts.length;
  }
  figure(
    'sms encode (SMS-SUBMIT, mixed lengths)',
    `${Math.round(n / ((performance.now() - t0) / 1000))} messages/s`,
  );
  const pdus = [
    ...buildDeliver({ from: '+33612345678', text: 'Bonjour' }),
    ...buildDeliver({ from: '+33612345678', text: 'y'.repeat(300) }),
    ...buildDeliver({ from: 'Orange', text: 'Reçu 👍' }),
  ];
  let m = 0;
  const t1 = performance.now();
  while (performance.now() - t1 < 1000) {
    for (const p of pdus) decodePdu(p);
    m += pdus.length;
  }
  figure('sms decode (SMS-DELIVER PDUs)', `${Math.round(m / ((performance.now() - t1) / 1000))} PDUs/s`);
}

/**
 * One SMS after another against a real Mosquitto: the event's latency when the previous SMS
 * is done (deleted from the SIM), and the rate when each +CMTI follows the previous event at
 * once. A received SMS is deleted only after the broker's PUBACK for each channel, and
 * Mosquitto's default `set_tcp_nodelay false` lets Nagle's algorithm hold a PUBACK ~40 ms:
 * the back-to-back rate is measured with both settings.
 */
async function latency(tcpNoDelay: boolean): Promise<void> {
  const broker = new Mosquitto(tcpNoDelay ? 'set_tcp_nodelay true' : '');
  await broker.start();
  const name = `bench-${tcpNoDelay ? 'nodelay' : 'default'}`;
  const line = createMemoryLine(name);
  const sim = new ModemSimulator(line.device, { profile: 'sim800', sendDelayMs: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'sms-bench-'));
  const config = loadConfigObject(
    {
      node_id: 'bench',
      data_dir: dir,
      log: { level: 'silent' },
      mqtt: { url: broker.url },
      sms: { port: `memory:${name}`, poll_seconds: 3600, watchdog_seconds: 3600 },
    },
    {},
  );
  const app = new App(config, { logRoot: new LoggerRoot({ level: 'silent' }), env: {} });
  await app.start();
  const client = await mqtt.connectAsync(broker.url);
  await client.subscribeAsync('monitor/bench/sms/message/event');
  await new Promise((r) => setTimeout(r, 500));
  let resolve: (() => void) | undefined;
  client.on('message', () => resolve?.());
  const rss0 = process.memoryUsage().rss;
  /** Stores an SMS in slot 1, sends +CMTI, resolves with the ms until its event is received. */
  const one = async (i: number): Promise<number> => {
    const done = new Promise<void>((r) => {
      resolve = r;
    });
    const pdu = buildDeliver({ from: '+33699999999', text: `message ${i}` })[0] as string;
    sim.storage.set(1, { stat: 0, pdu });
    const t = performance.now();
    sim.urc('+CMTI: "SM",1');
    await done;
    return performance.now() - t;
  };
  const released = async () => {
    while (sim.storage.size > 0) await new Promise((r) => setTimeout(r, 1));
  };
  const setting = tcpNoDelay ? 'Mosquitto set_tcp_nodelay true' : 'Mosquitto defaults';
  if (!tcpNoDelay) {
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      samples.push(await one(i));
      await released();
    }
    figure(
      `+CMTI → MQTT event received, one SMS at a time (${setting})`,
      distribution(samples, 'ms'),
      'p99 ≤ 50 ms',
    );
  }
  const n = 100;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await one(i);
  await released();
  figure(
    `SMS back to back, +CMTI → event → deleted (${setting})`,
    `${(n / ((performance.now() - t0) / 1000)).toFixed(1)} SMS/s`,
  );
  if (!tcpNoDelay)
    figure(
      'RSS with the sms module running (bench process)',
      `${Math.round(process.memoryUsage().rss / 1e6)} MB (before the run ${Math.round(rss0 / 1e6)} MB)`,
    );
  await client.endAsync();
  await app.stop();
  sim.stop();
  removeMemoryLine(name);
  await broker.dispose();
  rmSync(dir, { recursive: true, force: true });
}

export async function run(): Promise<void> {
  throughput();
  await latency(false);
  await latency(true);
}
