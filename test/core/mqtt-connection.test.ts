/**
 * The MQTT connection: capped reconnect backoff, MQTT 5 → 3.1.1 fallback (the in-process aedes
 * broker of the demo refuses MQTT 5), user name/password and TLS against a real Mosquitto.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { startLocalBroker } from '../../addon/src/demo/broker.js';
import {
  MqttConnection,
  type MqttSettings,
  redactUrl,
  topicMatches,
} from '../../addon/src/mqtt/connection.js';
import { ensureBuilt } from '../helpers/build.js';
import { Cleanups } from '../helpers/cleanups.js';
import { CountingProxy } from '../helpers/counting-proxy.js';
import { MonitorProcess, runConfig, tempConfig } from '../helpers/monitor-process.js';
import { freePort, Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { pollUntil } from '../helpers/poll.js';

function connection(url: string, o: Partial<MqttSettings> = {}, lines: string[] = []) {
  const log = new LoggerRoot({
    level: 'debug',
    timestamps: false,
    sink: { write: (l) => lines.push(l) },
  }).logger('mqtt');
  return new MqttConnection(
    {
      url,
      clientId: `t_${Math.random().toString(16).slice(2, 8)}`,
      protocolVersion: 5,
      keepalive: 30,
      reconnectMaxMs: 30_000,
      statusTopic: 'monitor/t/status',
      ...o,
    },
    log,
  );
}

describe('topic filters and URLs', () => {
  test('+ matches one level, # the rest', () => {
    assert.equal(topicMatches('monitor/+/+/+/set', 'monitor/n/sms/send/set'), true);
    assert.equal(topicMatches('monitor/+/+/+/set', 'monitor/n/sms/set'), false);
    assert.equal(topicMatches('monitor/#', 'monitor/a/b/c'), true);
    assert.equal(topicMatches('homeassistant/status', 'homeassistant/status'), true);
    assert.equal(topicMatches('a/+', 'a/b/c'), false);
  });

  test('a URL is logged without its password', () => {
    assert.equal(redactUrl('mqtt://user:secret@host:1883'), 'mqtt://user:***@host:1883');
    assert.equal(redactUrl('mqtt://host:1883'), 'mqtt://host:1883');
  });
});

describe('MQTT connection (in process)', () => {
  const cleanups = new Cleanups();
  afterEach(() => cleanups.run());

  /** A Mosquitto of the test's own, disposed after it. */
  async function mosquitto(): Promise<Mosquitto> {
    const broker = new Mosquitto();
    await broker.start();
    cleanups.push(() => broker.dispose());
    return broker;
  }

  /** A connection stopped after the test, before its broker goes. */
  function stoppedAfter(c: MqttConnection): MqttConnection {
    cleanups.push(() => c.stop());
    return c;
  }

  test('MQTT 5 refused by the broker (aedes) → falls back to 3.1.1 and works', async () => {
    const broker = await startLocalBroker();
    cleanups.push(() => broker.close());
    const lines: string[] = [];
    const c = stoppedAfter(connection(broker.url, {}, lines));
    await c.start(5000);
    assert.equal(c.protocol, 4);
    assert.equal(c.connected, true);
    assert.ok(lines.some((l) => /broker refuses MQTT 5, falling back to MQTT 3\.1\.1/.test(l)));
    // It really works in 3.1.1: a subscription receives a message.
    const got: string[] = [];
    c.subscribe('x/#', (topic, payload) => void got.push(`${topic}=${payload}`));
    await new Promise((r) => setTimeout(r, 50));
    c.publish('x/y', 'z');
    await pollUntil(() => got.length === 1, 2000, 'the message');
    assert.deepEqual(got, ['x/y=z']);
  });

  test('MQTT 5 is kept with a broker that speaks it (Mosquitto)', async () => {
    const broker = await mosquitto();
    const c = stoppedAfter(connection(broker.url, { clientId: 'monitor_v5check' }));
    await c.start(5000);
    assert.equal(c.protocol, 5);
    await pollUntil(
      () => broker.clientConnections().some((x) => x.clientId === 'monitor_v5check'),
      2000,
      'log',
    );
    assert.equal(broker.clientConnections().find((x) => x.clientId === 'monitor_v5check')?.protocol, 5);
  });

  test('MQTT 5: a topic published again goes on the wire as an alias, and subscribers get the full topic', async () => {
    const broker = await mosquitto();
    const u = new URL(broker.url);
    const proxy = new CountingProxy({ host: u.hostname, port: Number(u.port) });
    cleanups.push(() => proxy.stop());
    const c = connection(await proxy.start());
    // As long as a Linky index's state topic.
    const topic = 'monitor/node/linky_021528603314/index_hchp/state';
    const rec = await Recorder.open(broker.url, [topic]);
    cleanups.push(
      () => rec.close(),
      () => c.stop(),
    );
    await c.start(5000);
    assert.equal(c.protocol, 5);
    await new Promise((r) => setTimeout(r, 100));
    const before = proxy.sent;
    await c.publish(topic, '0');
    await pollUntil(() => rec.messages.length >= 1, 2000, 'the first message');
    const first = proxy.sent - before;
    for (let i = 1; i <= 20; i++) await c.publish(topic, String(i % 10));
    await pollUntil(() => rec.messages.length >= 21, 2000, 'the other messages');
    const perRepeat = (proxy.sent - before - first) / 20;
    assert.ok(first > topic.length, `the first carries the topic (${first} bytes)`);
    assert.ok(
      perRepeat < 10,
      `repeats carry an alias, not the ${topic.length}-byte topic: ${perRepeat} bytes each`,
    );
    assert.ok(
      rec.messages.every((m) => m.topic === topic),
      'the broker resolves the alias',
    );
  });

  test('reconnect backoff grows and is capped, then the connection comes up when the broker does', async () => {
    const port = await freePort();
    const c = connection(`mqtt://127.0.0.1:${port}`, { reconnectInitialMs: 20, reconnectMaxMs: 160 });
    const started = c.start(0);
    try {
      await pollUntil(() => c.reconnectDelays.length >= 7, 5000, 'seven retries');
      const d = c.reconnectDelays.slice(0, 7);
      // 20, 40, 80, 160, 160… less at most 20 % jitter: growing, then never above the cap.
      assert.ok(
        d.every((x) => x <= 160),
        `capped: ${d.join(',')}`,
      );
      assert.ok((d[3] as number) >= 128 && (d[6] as number) >= 128, `reaches the cap: ${d.join(',')}`);
      assert.ok((d[0] as number) <= 20, `starts small: ${d.join(',')}`);
      const broker = new Mosquitto();
      broker.port = port;
      await broker.start();
      try {
        await started;
        assert.equal(c.connected, true);
      } finally {
        await c.stop();
        await broker.dispose();
      }
    } finally {
      await c.stop();
    }
  });

  test('after a broker restart, subscriptions are re-sent once and connect listeners fire', async () => {
    const broker = await mosquitto();
    const c = stoppedAfter(connection(broker.url, { reconnectInitialMs: 50, reconnectMaxMs: 200 }));
    const got: string[] = [];
    const firsts: boolean[] = [];
    c.onConnect((first) => void firsts.push(first));
    c.subscribe('cmd/#', (t, p) => void got.push(`${t}=${p}`));
    await c.start(5000);
    await broker.restart();
    await pollUntil(() => firsts.length === 2, 5000, 'the reconnection');
    assert.deepEqual(firsts, [true, false]);
    await new Promise((r) => setTimeout(r, 100));
    const pub = await Recorder.open(broker.url, ['unused/topic']);
    await pub.client.publishAsync('cmd/a', '1');
    await pollUntil(() => got.length >= 1, 2000, 'the command');
    await new Promise((r) => setTimeout(r, 100));
    await pub.close();
    assert.deepEqual(got, ['cmd/a=1'], 'delivered once: not subscribed twice');
  });

  test('publishing while disconnected is counted as dropped, not queued', async () => {
    const port = await freePort();
    const c = connection(`mqtt://127.0.0.1:${port}`, { reconnectInitialMs: 1000 });
    void c.start(0);
    c.publish('a/b', 'c');
    assert.equal(c.stats.dropped, 1);
    assert.equal(c.stats.sent, 0);
    await c.stop();
  });
});

describe('monitor run with credentials and TLS (real Mosquitto)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-auth-'));
  const PASSWORD = 'Tr0ub4dor&3-secret';
  const cleanups: Array<() => Promise<void> | void> = [];

  before(() => ensureBuilt());
  after(async () => {
    for (const c of cleanups.reverse()) await c();
    rmSync(dir, { recursive: true, force: true });
  });

  async function monitor(nodeId: string, url: string, mqttExtra: string, env: NodeJS.ProcessEnv = {}) {
    const cfg = tempConfig(runConfig({ url, nodeId, dataDir: join(dir, nodeId), mqttExtra }));
    const p = new MonitorProcess(['run', '--config', cfg.file], env);
    cleanups.push(async () => {
      await p.dispose();
      cfg.cleanup();
    });
    return p;
  }

  test('user name and password: accepted when right; refused with a clear error, never the password, when wrong', async () => {
    const pwfile = join(dir, 'passwd');
    writeFileSync(pwfile, '');
    execFileSync('mosquitto_passwd', ['-b', pwfile, 'monitor', PASSWORD]);
    execFileSync('mosquitto_passwd', ['-b', pwfile, 'observer', 'observer-pw']);
    // `user root`: the broker keeps the rights to read files in this test's private directory.
    const broker = new Mosquitto({ anonymous: false, extraConfig: `password_file ${pwfile}\nuser root` });
    await broker.start();
    cleanups.push(() => broker.dispose());
    const env = { MONITOR_TEST_MQTT_PASSWORD: PASSWORD };
    const ok = await monitor(
      'hotel',
      broker.url,
      '  username: monitor\n  password: ${MONITOR_TEST_MQTT_PASSWORD}',
      env,
    );
    await ok.waitForLog(/connected to mqtt/, 10_000);
    assert.ok(broker.clientConnections().some((c) => c.clientId === 'monitor_hotel' && c.user === 'monitor'));
    const observer = await Recorder.open(broker.url.replace('mqtt://', 'mqtt://observer:observer-pw@'), [
      'monitor/hotel/gateway/state',
    ]);
    await observer.topic('monitor/hotel/gateway/state', 5000);
    await observer.close();
    ok.kill('SIGTERM');
    assert.equal((await ok.exited).code, 0);

    const refusalsBefore = (broker.log.match(/disconnected, not authorised/g) ?? []).length;
    const bad = await monitor('india', broker.url, '  username: monitor\n  password: wrong-Pa55word-xyz');
    await bad.waitForLog(/refused the credentials/, 10_000);
    await new Promise((r) => setTimeout(r, 2500)); // a few retries (cap 2 s)
    assert.ok(bad.running, 'the service keeps retrying: the password file may be fixed');
    assert.match(
      bad.stderr,
      /ERROR \[mqtt\] broker mqtt:\/\/127\.0\.0\.1:\d+ refused the credentials \(Connection refused: (Bad User Name or Password|Not authorized); user "monitor"\): check mqtt\.username and mqtt\.password/,
    );
    assert.equal(bad.stderr.includes('wrong-Pa55word-xyz'), false, 'the password never appears in the log');
    assert.equal(ok.stderr.includes(PASSWORD), false);
    const errors = bad.stderr.split('\n').filter((l) => / ERROR .*refused the credentials/.test(l));
    const attempts = (broker.log.match(/disconnected, not authorised/g) ?? []).length - refusalsBefore;
    assert.ok(attempts >= 2, `retried (${attempts} attempts)`);
    assert.equal(errors.length, 1, 'the same refusal is reported once, then retried quietly');
  });

  test('TLS: mqtts:// with the CA given connects, with a client certificate too; without the CA the server is refused', async () => {
    const tls = join(dir, 'tls');
    execFileSync('mkdir', ['-p', tls]);
    const sh = (args: string[]) => execFileSync('openssl', args, { cwd: tls, stdio: 'ignore' });
    sh([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=Monitor test CA',
    ]);
    /** `<name>.key` and `<name>.crt` signed by the test CA: the server's and the client's alike. */
    const signedByCa = (name: string, subject: string, extra: string[] = []) => {
      sh([
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        subject,
      ]);
      sh([
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        '2',
        ...extra,
      ]);
    };
    writeFileSync(join(tls, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    signedByCa('server', '/CN=127.0.0.1', ['-extfile', 'ext.cnf']);
    // A client certificate for the listener that requires one.
    signedByCa('client', '/CN=monitor');
    const mutualPort = await freePort();
    const tlsFiles = `cafile ${tls}/ca.crt\ncertfile ${tls}/server.crt\nkeyfile ${tls}/server.key`;
    const broker = new Mosquitto({
      listener: `listener {port} 127.0.0.1\n${tlsFiles}\nlistener ${mutualPort} 127.0.0.1\n${tlsFiles}\nrequire_certificate true`,
      extraConfig: 'user root',
    });
    await broker.start();
    cleanups.push(() => broker.dispose());
    const url = `mqtts://127.0.0.1:${broker.port}`;

    const ok = await monitor('juliett', url, `  tls:\n    ca: ${join(tls, 'ca.crt')}`);
    await ok.waitForLog(/connected to mqtts:\/\/127\.0\.0\.1:\d+/, 10_000);
    assert.ok(broker.clientConnections().some((c) => c.clientId === 'monitor_juliett'));
    ok.kill('SIGTERM');
    assert.equal((await ok.exited).code, 0);

    const mutual = await monitor(
      'lima',
      `mqtts://127.0.0.1:${mutualPort}`,
      `  tls:\n    ca: ${join(tls, 'ca.crt')}\n    cert: ${join(tls, 'client.crt')}\n    key: ${join(tls, 'client.key')}`,
    );
    await mutual.waitForLog(/connected to mqtts:\/\/127\.0\.0\.1:\d+/, 10_000);
    mutual.kill('SIGTERM');
    assert.equal((await mutual.exited).code, 0);

    const refused = await monitor('kilo', url, '');
    await refused.waitForLog(/MQTT error: .*(self[- ]signed|unable to (get|verify)|certificate)/i, 10_000);
    assert.equal(
      broker.clientConnections().some((c) => c.clientId === 'monitor_kilo'),
      false,
    );
    refused.kill('SIGTERM');
    await refused.exited;
  });
});
