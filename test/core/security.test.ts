/**
 * The broker side of docs/security.md, against a real Mosquitto started with the ACL file the
 * documentation gives (docs/mosquitto/monitor.acl): Home Assistant's user can press buttons and
 * call RPC; another user and an anonymous client can neither publish to Monitor's RPC or
 * command topics nor read its replies. And the start warns when the broker accepts anonymous
 * clients (issue 15).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { App } from '../../addon/src/app.js';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import type { ModuleFactory } from '../../addon/src/core/module.js';
import { button } from '../../addon/src/entities/model.js';
import { ROOT } from '../helpers/build.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { rpcRequest, TEST_RPC_SECRET } from '../helpers/rpc.js';

const USERS = { monitor: 'monitor-pw-123', homeassistant: 'ha-pw-123', intruder: 'intruder-pw-123' };

async function until(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A client as a user; resolves once connected, rejects when refused. */
function client(url: string, user?: keyof typeof USERS): Promise<MqttClient & { got: string[] }> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, {
      reconnectPeriod: 0,
      connectTimeout: 3000,
      protocolVersion: 5,
      clientId: `sec_${user ?? 'anon'}_${Math.random().toString(16).slice(2, 8)}`,
      ...(user ? { username: user, password: USERS[user] } : {}),
    }) as MqttClient & { got: string[] };
    c.got = [];
    c.on('message', (t, p) => c.got.push(`${t} ${p}`));
    c.once('connect', () => resolve(c));
    c.once('error', (e) => {
      c.end(true);
      reject(e);
    });
  });
}

function passwordFile(dir: string): string {
  const file = join(dir, 'passwd');
  writeFileSync(file, '');
  for (const [u, p] of Object.entries(USERS)) execFileSync('mosquitto_passwd', ['-b', file, u, p]);
  return file;
}

function appOn(url: string, dataDir: string, nodeId: string, lines: string[], modules = {}) {
  const config = loadConfigObject(
    {
      node_id: nodeId,
      data_dir: dataDir,
      mqtt: { url, username: 'monitor', password: USERS.monitor },
      rpc: { secret: TEST_RPC_SECRET },
      discovery: { coalesce_ms: 0, republish_delay_ms: 0 },
    },
    {},
  );
  for (const m of Object.keys(modules)) Object.assign(config, { [m]: {} });
  const logRoot = new LoggerRoot({
    level: 'debug',
    timestamps: false,
    sink: { write: (l) => lines.push(l) },
  });
  return new App(config, { logRoot, env: {}, modules });
}

describe('Mosquitto with the documented ACL (docs/mosquitto/monitor.acl)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-acl-'));
  let broker: Mosquitto;
  before(async () => {
    broker = new Mosquitto({
      anonymous: false,
      // `user root`: the broker keeps the rights to read files in this test's private directory.
      extraConfig: `password_file ${passwordFile(dir)}\nacl_file ${join(ROOT, 'docs/mosquitto/monitor.acl')}\nuser root`,
    });
    await broker.start();
  });
  after(async () => {
    await broker.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('HA can call RPC and press buttons; another user and anonymous clients cannot, nor read replies', async () => {
    let echoes = 0;
    let presses = 0;
    const probe: ModuleFactory<unknown> = (ctx) => ({
      async start() {
        ctx.entities.declare({
          device: { id: 'printer', name: 'Printer' },
          entities: [button('cancel', 'Cancel', () => void presses++)],
        });
        ctx.rpc.register('probe_echo', async (p) => {
          echoes++;
          return p;
        });
      },
      async stop() {},
    });
    const lines: string[] = [];
    const app = appOn(broker.url, join(dir, 'data'), 'acl', lines, { probe });
    const ha = await client(broker.url, 'homeassistant');
    const intruder = await client(broker.url, 'intruder');
    try {
      await app.start();
      await until(() => app.anonymousBroker !== undefined, 8000, 'the anonymous check');
      assert.equal(app.anonymousBroker, 'refused');
      assert.equal(
        lines.some((l) => /accepts anonymous/.test(l)),
        false,
      );
      await assert.rejects(client(broker.url), 'an anonymous client is refused');

      await ha.subscribeAsync('monitor/acl/rpc/+/reply');
      await intruder.subscribeAsync(['monitor/#', 'monitor/acl/rpc/+/reply']).catch(() => {});

      // The intruder publishes a well-signed request (it stole a payload) and presses a button.
      await intruder.publishAsync(
        'monitor/acl/rpc/probe_echo',
        rpcRequest('probe_echo', { who: 'intruder' }),
      );
      await intruder.publishAsync('monitor/acl/printer/cancel/set', 'PRESS');
      // Home Assistant does both.
      await ha.publishAsync('monitor/acl/rpc/probe_echo', rpcRequest('probe_echo', { who: 'ha' }));
      await ha.publishAsync('monitor/acl/printer/cancel/set', 'PRESS');
      await until(() => ha.got.some((m) => m.includes('"who":"ha"')), 5000, 'the reply to HA');
      await until(() => presses === 1, 5000, 'the press by HA');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(echoes, 1, 'only the request of HA ran');
      assert.equal(presses, 1, 'only the press of HA ran');
      assert.deepEqual(intruder.got, [], 'the intruder read nothing of Monitor');
    } finally {
      await app.stop();
      await ha.endAsync();
      await intruder.endAsync();
    }
  });
});

describe('anonymous broker warning', () => {
  test('credentials configured, broker also accepting anonymous clients → a clear warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'monitor-anon-'));
    const broker = new Mosquitto({ extraConfig: `password_file ${passwordFile(dir)}\nuser root` });
    await broker.start();
    const lines: string[] = [];
    const app = appOn(broker.url, join(dir, 'data'), 'anon', lines);
    try {
      await app.start();
      await until(() => app.anonymousBroker !== undefined, 8000, 'the anonymous check');
      assert.equal(app.anonymousBroker, 'accepted');
      assert.ok(
        lines.some((l) => /WARN .*the broker accepts anonymous clients: anyone on the network/.test(l)),
        lines.join('\n'),
      );
    } finally {
      await app.stop();
      await broker.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
