/**
 * Several hosts on one broker: three `monitor run` processes, as on three machines, each with
 * its own node_id (a modem host, a meter host, a printers host, with the simulators the demo and
 * the end-to-end tests use: the modem on a pty, a standard-mode Linky on a pty, the demo's fake
 * OctoPrint and Moonraker) against one real Mosquitto. No entity, device or topic collides;
 * killing one (kill -9) marks only its own entities unavailable; an instance started by mistake
 * with a node_id already running refuses to start, says where it runs, and changes nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { printersDemo } from '../../addon/src/modules/printers/sim/demo.js';
import { TicOnPty } from '../e2e/module-peers.js';
import { ensureBuilt } from '../helpers/build.js';
import { MonitorProcess, runConfig, tempConfig } from '../helpers/monitor-process.js';
import { connectClient, Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { SimOnPty } from '../sms/helpers.js';

const HOSTS = ['modem_host', 'meter_host', 'printers_host'] as const;
type Host = (typeof HOSTS)[number];

interface Discovery {
  topic: string;
  config: Record<string, unknown>;
}

/** Every topic a discovery config names: state, command, attributes, availability… */
function topicsOf(config: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(config)) {
    if (k.endsWith('_topic') && typeof v === 'string') out.push(v);
    if (k === 'availability' && Array.isArray(v)) for (const a of v) out.push((a as { topic: string }).topic);
  }
  return out;
}

describe('three hosts on one broker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-hosts-'));
  const broker = new Mosquitto();
  const processes = new Map<Host, MonitorProcess>();
  const cleanups: Array<() => Promise<void> | void> = [];

  async function retained(filters: string[], settleMs = 400): Promise<Recorder['messages']> {
    const r = await Recorder.open(broker.url, filters);
    await new Promise((res) => setTimeout(res, settleMs));
    await r.close();
    return r.messages.filter((m) => m.retain);
  }

  async function discoveries(): Promise<Discovery[]> {
    return (await retained(['homeassistant/#']))
      .filter((m) => m.payload)
      .map((m) => ({ topic: m.topic, config: JSON.parse(m.payload) as Record<string, unknown> }));
  }

  function start(nodeId: string, section: Record<string, unknown>): MonitorProcess {
    const cfg = tempConfig(
      runConfig({
        url: broker.url,
        nodeId,
        dataDir: join(dir, nodeId),
        ...(Object.keys(section).length > 0 ? { extra: stringify(section).trimEnd() } : {}),
      }),
    );
    const p = new MonitorProcess(['run', '--config', cfg.file], { MONITOR_LOG_LEVEL: 'info' });
    cleanups.push(async () => {
      await p.dispose();
      cfg.cleanup();
    });
    return p;
  }

  before(async () => {
    await ensureBuilt();
    await broker.start();
    const modem = await new SimOnPty({ profile: 'sim800' }).start();
    const meter = await new TicOnPty({ power: 1800 }).start();
    const printers = await printersDemo.start({
      dataDir: dir,
      log: new LoggerRoot({ level: 'silent' }).logger('printers-sim'),
      lang: 'en',
      mqttUrl: broker.url,
      baseTopic: 'monitor',
      nodeId: 'printers-host',
    });
    cleanups.push(
      () => modem.dispose(),
      () => meter.dispose(),
      () => printers.stop(),
    );
    processes.set('modem_host', start('modem_host', { sms: { port: modem.path } }));
    processes.set('meter_host', start('meter_host', { linky: { meters: [{ port: meter.path }] } }));
    processes.set(
      'printers_host',
      start('printers_host', printers.section?.value ? { printers: printers.section.value } : {}),
    );
    // Each host's module device is declared (not only its gateway).
    const end = Date.now() + 60_000;
    for (;;) {
      const owners = new Set(
        (await discoveries())
          .map((d) => String(d.config.unique_id ?? ''))
          .filter((id) => !id.includes('_gateway_'))
          .map((id) => HOSTS.find((h) => id.startsWith(`${h}_`))),
      );
      if (HOSTS.every((h) => owners.has(h))) break;
      if (Date.now() > end) throw new Error(`not every host declared its devices: ${[...owners].join(', ')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  });

  after(async () => {
    for (const c of cleanups.reverse()) await c();
    await broker.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('no entity, device or topic collides; each host is its own gateway device', async () => {
    const all = await discoveries();
    const byHost = new Map<Host, Discovery[]>(HOSTS.map((h) => [h, []]));
    for (const d of all) {
      const host = HOSTS.find((h) => String(d.config.unique_id).startsWith(`${h}_`));
      assert.ok(host, `${d.topic}: unique_id ${String(d.config.unique_id)} names no host`);
      byHost.get(host)?.push(d);
    }
    const uniqueIds = all.map((d) => d.config.unique_id);
    assert.equal(new Set(uniqueIds).size, uniqueIds.length, 'unique ids are unique');
    assert.equal(new Set(all.map((d) => d.topic)).size, all.length);
    const deviceOwner = new Map<string, Host>();
    for (const [host, list] of byHost) {
      assert.ok(list.length > 3, `${host}: ${list.length} entities`);
      for (const d of list) {
        assert.match(d.topic, new RegExp(`^homeassistant/[a-z_]+/${host}_[a-z0-9_]+/`), d.topic);
        for (const t of topicsOf(d.config))
          assert.ok(t.startsWith(`monitor/${host}/`), `${d.topic} uses ${t}, not a topic of ${host}`);
        const ids = (d.config.device as { identifiers?: string[] } | undefined)?.identifiers ?? [];
        for (const id of ids) {
          if (deviceOwner.has(id))
            assert.equal(deviceOwner.get(id), host, `device ${id} shared by two hosts`);
          deviceOwner.set(id, host);
        }
      }
      assert.ok(
        list.some((d) => String(d.config.unique_id).startsWith(`${host}_gateway_`)),
        `${host} has its own gateway device`,
      );
    }
  });

  test('a second instance with a running node_id refuses to start and changes nothing', async () => {
    const watch = await Recorder.open(broker.url, [
      'monitor/printers_host/#',
      'homeassistant/+/printers_host_gateway/#',
    ]);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const seen = watch.messages.length;
      const twin = start('printers_host', {});
      const { code } = await Promise.race([
        twin.exited,
        new Promise<{ code: number | null }>((r) => setTimeout(() => r({ code: null }), 15_000)),
      ]);
      assert.equal(code, 1, twin.stderr);
      assert.match(
        twin.stderr,
        /node_id: "printers_host" is already used by a running Monitor on host \S+ \(pid \d+, since [^)]+\); give each instance its own node_id/,
      );
      await processes
        .get('printers_host')
        ?.waitForLog(/another Monitor \(host \S+, pid \d+\) tried to start with node_id "printers_host"/);
      await new Promise((r) => setTimeout(r, 500));
      const during = watch.messages.slice(seen);
      assert.deepEqual(
        during.filter((m) => m.retain || m.topic.endsWith('/status') || m.topic.startsWith('homeassistant/')),
        [],
        'no retained message, status or discovery from the twin',
      );
      assert.deepEqual(
        [...new Set(during.map((m) => m.topic).filter((t) => t.includes('/instance/')))].sort(),
        [
          'monitor/printers_host/instance/check',
          'monitor/printers_host/instance/ping',
          'monitor/printers_host/instance/pong',
        ],
      );
      assert.ok(processes.get('printers_host')?.running);
    } finally {
      await watch.close();
    }
    const statuses = new Map((await retained(['monitor/+/status'])).map((m) => [m.topic, m.payload]));
    assert.equal(statuses.get('monitor/printers_host/status'), 'online');
  });

  test('a stale "online" (nobody answers) does not block a start', async () => {
    const c = await connectClient(broker.url);
    await c.publishAsync('monitor/ghost/status', 'online', { retain: true, qos: 1 });
    await c.endAsync();
    const ghost = start('ghost', {});
    await ghost.waitForLog(/says online but nobody answers: a stale status, starting/, 10_000);
    await ghost.waitForLog(/running as node ghost/, 10_000);
  });

  test('killing one host marks only its own entities unavailable', async () => {
    const meter = processes.get('meter_host') as MonitorProcess;
    meter.kill('SIGKILL');
    await meter.exited;
    const end = Date.now() + 10_000;
    let statuses = new Map<string, string>();
    while (Date.now() < end) {
      statuses = new Map((await retained(['monitor/+/status'], 200)).map((m) => [m.topic, m.payload]));
      if (statuses.get('monitor/meter_host/status') === 'offline') break;
    }
    assert.equal(statuses.get('monitor/meter_host/status'), 'offline', 'the last will marks the killed host');
    assert.equal(statuses.get('monitor/modem_host/status'), 'online');
    assert.equal(statuses.get('monitor/printers_host/status'), 'online');
    // Home Assistant computes availability from each entity's list (mode all): only the killed
    // host's entities name its status topic.
    for (const d of await discoveries()) {
      const names = (d.config.availability as Array<{ topic: string }>).map((a) => a.topic);
      const owner = String(d.config.unique_id).split('_host_')[0];
      assert.equal(
        names.includes('monitor/meter_host/status'),
        owner === 'meter',
        `${d.topic}: availability ${names.join(', ')}`,
      );
    }
    for (const h of ['modem_host', 'printers_host'] as const) assert.ok(processes.get(h)?.running, h);
  });
});
