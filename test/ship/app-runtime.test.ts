/**
 * The app's runtime contract, without Docker: the built entry point runs in a Debian root file
 * system (app-root.ts) with a fake Supervisor (fake-supervisor.ts) at http://supervisor, a real
 * Mosquitto that wants the credentials the Supervisor hands out, a fake Home Assistant behind the
 * Supervisor's websocket proxy, a simulated modem on a pseudo-terminal, SUPERVISOR_TOKEN set and
 * /data/options.json written as the Supervisor writes it. Needs root and the e2e root file system
 * (`bash test/e2e/setup-ha.sh`).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { ensureBuilt, ROOT } from '../helpers/build.js';
import { FakeHa } from '../helpers/fake-ha.js';
import { freePort, Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { SimOnPty } from '../sms/helpers.js';
import { AppRoot } from './app-root.js';
import { FakeSupervisor } from './fake-supervisor.js';

const SUPERVISOR_TOKEN = 'supervisor-token-4f1c2a9e7b';
const MQTT_PASSWORD = 'Mosquitto-app-pw-93ab';

/** A loopback address of this run's own, so that port 80 is free whoever else runs tests. */
function loopbackAddress(): string {
  const n = () => 2 + Math.floor(Math.random() * 250);
  return `127.${n()}.${n()}.${n()}`;
}

const mode = (p: string) => statSync(p).mode & 0o777;

/** config.yaml's `options:`, which the Supervisor saves with the user's changes. */
function prefilledOptions(): Record<string, unknown> {
  const manifest = parse(readFileSync(join(ROOT, 'addon/config.yaml'), 'utf8')) as {
    options: Record<string, unknown>;
  };
  return structuredClone(manifest.options);
}

describe('the app in its container', () => {
  let broker: Mosquitto;
  let ha: FakeHa;
  let supervisor: FakeSupervisor;
  let modem: SimOnPty;
  const cleanups: Array<() => Promise<void>> = [];

  before(async () => {
    await ensureBuilt();
    // As the Mosquitto app: no anonymous access, only the credentials the Supervisor hands out.
    const pwdir = mkdtempSync(join(tmpdir(), 'monitor-pw-'));
    cleanups.push(async () => rmSync(pwdir, { recursive: true, force: true }));
    const pwfile = join(pwdir, 'passwd');
    writeFileSync(pwfile, '');
    execFileSync('mosquitto_passwd', ['-b', pwfile, 'addons', MQTT_PASSWORD]);
    broker = new Mosquitto({ anonymous: false, extraConfig: `password_file ${pwfile}\nuser root` });
    await broker.start();
    ha = new FakeHa({ haVersion: '2026.11.0' });
    await ha.start();
    const ip = loopbackAddress();
    supervisor = new FakeSupervisor(
      ip,
      SUPERVISOR_TOKEN,
      { host: 'core-mosquitto', port: broker.port, username: 'addons', password: MQTT_PASSWORD },
      ha,
    );
    await supervisor.start(80);
    modem = await new SimOnPty({ profile: 'e1752' }).start();
    cleanups.unshift(
      () => modem.dispose(),
      () => supervisor.stop(),
      () => ha.stop(),
      () => broker.dispose(),
    );
  });

  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  function appRoot(): AppRoot {
    const root = new AppRoot({ supervisor: supervisor.host, 'core-mosquitto': '127.0.0.1' });
    cleanups.push(() => root.dispose());
    return root;
  }

  test('broker from the Supervisor, Home Assistant through the proxy, private files under /data', async () => {
    const root = appRoot();
    const healthPort = await freePort();
    // As the Supervisor writes it: the pre-filled form (every section present) and what the
    // user set: a node_id, the language, the tty picked in the list (/dev is the host's).
    const options = prefilledOptions();
    Object.assign(options, { node_id: 'appnode', language: 'en', log: { level: 'debug' } });
    Object.assign(options.sms as object, {
      port: realpathSync(modem.path),
      default_recipients: ['0612345678'],
    });
    root.writeOptions(options);
    const rec = await Recorder.open(broker.url.replace('mqtt://', `mqtt://addons:${MQTT_PASSWORD}@`), [
      'monitor/appnode/#',
    ]);
    cleanups.push(() => rec.close());
    root.start({ SUPERVISOR_TOKEN, MONITOR_HEALTH_PORT: String(healthPort) });
    await root.waitForLog(/running as node appnode/);

    // Broker: asked of the Supervisor with the token, used with the credentials it gave.
    assert.ok(supervisor.requests.some((r) => r.path === '/services/mqtt' && r.authorized));
    await rec.waitFor((m) => m.topic === 'monitor/appnode/status' && m.payload === 'online', 10_000);
    assert.ok(
      broker.clientConnections().some((c) => c.clientId === 'monitor_appnode' && c.user === 'addons'),
      broker.log,
    );
    assert.match(root.stderr, /MQTT broker from the Supervisor: mqtt:\/\/core-mosquitto:\d+/);

    // Home Assistant: through ws://supervisor/core/websocket with the Supervisor token.
    const end = Date.now() + 10_000;
    while (ha.authOk === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    assert.ok(ha.authOk >= 1, 'Home Assistant saw an authenticated connection through the proxy');
    assert.deepEqual([...new Set(supervisor.wsAuthTokens)], [SUPERVISOR_TOKEN]);

    // The watchdog's port answers.
    const health = (await (await fetch(`http://127.0.0.1:${healthPort}/health`)).json()) as Record<
      string,
      string
    >;
    assert.deepEqual(health, { status: 'running', mqtt: 'connected' });

    // Journals under /data, private: 0700 directories, 0600 files.
    const smsDir = join(root.data, 'sms');
    const waitFiles = Date.now() + 10_000;
    while (Date.now() < waitFiles) {
      try {
        if (readdirSync(smsDir).some((f) => f.endsWith('.jsonl'))) break;
      } catch {}
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(mode(smsDir).toString(8), '700');
    const files = readdirSync(smsDir);
    assert.ok(
      files.some((f) => f.startsWith('outbox')),
      `journals in /data/sms: ${files.join(', ')}`,
    );
    for (const f of files) assert.equal(mode(join(smsDir, f)).toString(8), '600', f);

    // Secrets never in the log.
    for (const secret of [SUPERVISOR_TOKEN, MQTT_PASSWORD]) assert.ok(!root.stderr.includes(secret), secret);

    root.proc?.kill('SIGTERM');
    assert.equal(await root.exited, 0);
  });

  test('a config error is reported as "path: problem" before anything starts', async () => {
    const root = appRoot();
    const before = supervisor.requests.length;
    const connections = broker.clientConnections().length;
    const haAuths = ha.authOk;
    root.writeOptions({
      node_id: 'Bad Node',
      mqtt: { keepalive: 2 },
      sms: { port: '/dev/ttyUSB0', baud: -5 },
    });
    root.start({ SUPERVISOR_TOKEN });
    assert.equal(await root.exited, 1);
    const lines = root.stderr.trim().split('\n');
    for (const p of ['node_id: ', 'mqtt.keepalive: must be >= 5', 'sms.baud: must be >= 0'])
      assert.ok(
        lines.some((l) => l.startsWith(p)),
        `no line starting "${p}":\n${root.stderr}`,
      );
    assert.equal(supervisor.requests.length, before, 'nothing asked of the Supervisor');
    assert.equal(broker.clientConnections().length, connections, 'no broker connection');
    assert.equal(ha.authOk, haAuths, 'no Home Assistant connection');
  });
});
