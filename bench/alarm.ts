/**
 * Alarm figures: the PIN check (scrypt: slow on purpose), an SMS command received → panel
 * state published (the simulated modem answers at once, so modem time is excluded; the PIN
 * check is included), and HA `tag_scanned` → disarmed published, against the fake HA websocket
 * and, when test/e2e/setup-ha.sh installed it, against a real Home Assistant core.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { App } from '../addon/src/app.js';
import { loadConfigObject } from '../addon/src/config/load.js';
import { LoggerRoot } from '../addon/src/core/logger.js';
import { startLocalBroker } from '../addon/src/demo/broker.js';
import { createMemoryLine, removeMemoryLine } from '../addon/src/modules/sms/serial/memory.js';
import { ModemSimulator } from '../addon/src/modules/sms/simulator/modem-sim.js';
import { buildDeliver } from '../addon/src/modules/sms/simulator/network.js';
import { hashPin, verifyPin } from '../addon/src/modules/users/pin.js';
import { ALICE_USER, usersRegistryIn } from '../test/alarm/users.js';
import { HomeAssistant } from '../test/e2e/ha.js';
import { FakeHa } from '../test/helpers/fake-ha.js';
import { distribution, figure, percentile } from './run.js';

const silent = new LoggerRoot({ level: (process.env.MONITOR_LOG_LEVEL as 'silent') ?? 'silent' });

async function pinCheck(): Promise<void> {
  const hash = await hashPin('2580');
  const samples: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await verifyPin(i % 2 ? '2580' : '0000', hash);
    samples.push(performance.now() - t);
  }
  figure('PIN check (scrypt N=2^14 r=8 p=1, one hash)', distribution(samples, 'ms', 1), '20–250 ms');
  const p50 = percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );
  figure(
    'every 4-digit PIN of one user tried from a stolen file',
    `${((10_000 * p50) / 60_000).toFixed(1)} min per core`,
  );
}

async function seed(dir: string): Promise<void> {
  await usersRegistryIn(dir).add({ ...ALICE_USER, phones: ['+33612345678'] });
}

/**
 * Monitor with the users and alarm modules (plus `sections`) on the broker and Home Assistant,
 * publishing at once (no coalescing): the app both latency figures measure.
 */
async function startAlarmApp(
  nodeId: string,
  dir: string,
  brokerUrl: string,
  homeassistant: { url: string; token: string },
  haReadyMs: number,
  sections: Record<string, unknown>,
): Promise<App> {
  const config = loadConfigObject(
    {
      node_id: nodeId,
      data_dir: dir,
      log: { level: 'silent' },
      mqtt: { url: brokerUrl },
      homeassistant,
      discovery: { coalesce_ms: 0 },
      users: {},
      ...sections,
    },
    {},
  );
  const app = new App(config, { logRoot: silent, env: {} });
  await app.start();
  await app.ha?.ready(haReadyMs);
  return app;
}

/** The alarm state Monitor publishes, and a wait for one state: both figures time transitions with it. */
class AlarmStateWatch {
  last = '';
  private waiter: { want: string; resolve: () => void } | undefined;

  /** One payload of `<base>/<node>/alarm/state`. */
  onState(payload: Buffer): void {
    this.last = JSON.parse(payload.toString()).state;
    if (this.waiter && this.last === this.waiter.want) this.waiter.resolve();
  }

  until(want: string): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiter = { want, resolve };
      if (this.last === want) resolve();
    });
  }
}

async function latencies(): Promise<void> {
  const broker = await startLocalBroker(0);
  const ha = new FakeHa();
  await ha.start();
  ha.setState('binary_sensor.door', 'off');
  const line = createMemoryLine('bench-alarm');
  const sim = new ModemSimulator(line.device, { profile: 'sim800', sendDelayMs: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'alarm-bench-'));
  await seed(dir);
  const app = await startAlarmApp('bench', dir, broker.url, { url: ha.httpUrl, token: ha.token }, 5000, {
    sms: {
      port: 'memory:bench-alarm',
      poll_seconds: 3600,
      watchdog_seconds: 3600,
      status_reports: false,
      max_per_minute: 100_000,
      daily_quota: 100_000,
      commands: { max_per_hour: 100_000 },
    },
    alarm: { modes: { away: { exit_delay: 0 } }, sensors: [{ entity_id: 'binary_sensor.door' }] },
  });
  const client = await mqtt.connectAsync(broker.url);
  await client.subscribeAsync(['monitor/bench/alarm/state', 'monitor/bench/sms/availability']);
  let modemUp: () => void = () => {};
  const modem = new Promise<void>((r) => {
    modemUp = r;
  });
  const alarm = new AlarmStateWatch();
  client.on('message', (topic, p) => {
    if (topic.endsWith('/sms/availability')) {
      if (p.toString() === 'online') modemUp();
      return;
    }
    alarm.onState(p);
  });
  const until = (want: string) => alarm.until(want);
  await until('disarmed');
  await modem;

  const sms: number[] = [];
  for (let i = 0; i < 40; i++) {
    // A distinct text each time: the inbox drops a PDU it has already seen (duplicate detection).
    const text = `${i % 2 ? 'Aloff' : 'Alon'} 1234 #${i}`;
    const want = i % 2 ? 'disarmed' : 'armed_away';
    const done = until(want);
    sim.storage.set(1, { stat: 0, pdu: buildDeliver({ from: '+33612345678', text })[0] as string });
    const t = performance.now();
    sim.urc('+CMTI: "SM",1');
    await done;
    sms.push(performance.now() - t);
    // One command at a time, as a person sends them: the next +CMTI once this SMS is done
    // (published, acknowledged, deleted from the SIM), so the figure is not a queue's length.
    while (sim.storage.size > 0) await new Promise((r) => setTimeout(r, 1));
  }
  figure(
    'SMS command (+CMTI) → panel state published (modem excluded)',
    distribution(sms, 'ms', 1),
    'p99 ≤ 500 ms',
  );

  const tag: number[] = [];
  for (let i = 0; i < 40; i++) {
    const want = alarm.last === 'disarmed' ? 'armed_away' : 'disarmed';
    const done = until(want);
    const t = performance.now();
    ha.pushEvent('tag_scanned', { tag_id: '04:a3:2b:1c', device_id: 'bench_reader' });
    await done;
    if (want === 'disarmed') tag.push(performance.now() - t);
  }
  figure('HA tag_scanned → disarmed published (fake HA)', distribution(tag, 'ms', 1), 'p99 ≤ 200 ms');

  await client.endAsync();
  await app.stop();
  sim.stop();
  removeMemoryLine('bench-alarm');
  await ha.stop();
  await broker.close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The same badge figure through a real HA core: `fire_event tag_scanned` over HA's websocket →
 * HA's event bus → Monitor's event subscription → the engine (badge lookup) → the state on MQTT.
 */
async function realHaTag(): Promise<void> {
  let ha: HomeAssistant;
  try {
    ha = new HomeAssistant();
  } catch (err) {
    figure(
      'HA tag_scanned → disarmed published (real HA)',
      `not measured: ${(err as Error).message.split('\n')[0]}`,
    );
    return;
  }
  const broker = await startLocalBroker(0);
  const dir = mkdtempSync(join(tmpdir(), 'alarm-bench-ha-'));
  let app: App | undefined;
  let client: mqtt.MqttClient | undefined;
  try {
    await ha.start();
    await ha.onboard();
    await seed(dir);
    app = await startAlarmApp('benchha', dir, broker.url, { url: ha.url, token: ha.token }, 10_000, {
      alarm: { modes: { away: { exit_delay: 0 } } },
    });
    client = await mqtt.connectAsync(broker.url);
    await client.subscribeAsync('monitor/benchha/alarm/state');
    const alarm = new AlarmStateWatch();
    client.on('message', (_topic, p) => alarm.onState(p));
    const until = (want: string) => alarm.until(want);
    await until('disarmed');
    const ws = await ha.ws();
    const tag: number[] = [];
    // The first scans also prove that Monitor's subscription to tag_scanned is in place.
    for (let i = 0; i < 44; i++) {
      const want = alarm.last === 'disarmed' ? 'armed_away' : 'disarmed';
      const done = until(want);
      const t = performance.now();
      await ws.send({ type: 'fire_event', event_type: 'tag_scanned', event_data: { tag_id: '04A32B1C' } });
      await done;
      if (want === 'disarmed' && i >= 4) tag.push(performance.now() - t);
    }
    figure(
      `HA tag_scanned → disarmed published (real HA ${ha.install.version})`,
      distribution(tag, 'ms', 1),
      'p99 ≤ 200 ms',
    );
  } finally {
    await client?.endAsync();
    await app?.stop();
    await ha.dispose();
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  await pinCheck();
  await latencies();
  await realHaTag();
}
