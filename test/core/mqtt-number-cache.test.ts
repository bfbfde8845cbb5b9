/**
 * No MQTT client of the service fills mqtt-packet's number cache (issue 9, memory). mqtt.js's
 * `writeCache` option, true by default, makes mqtt-packet build a process-wide table of 65,536
 * two-byte Buffers on the first packet any client writes, kept for the life of the process:
 * ≈ 7 MB resident, found in a heap snapshot of `monitor run` with one Linky meter (the service's
 * own connection had the option off, but the start-up checks' short connections did not).
 *
 * Each client is opened as in a fresh process: the table empty and armed to be filled (this test
 * process's own helper clients may have filled it before).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { probeAnonymous } from '../../addon/src/mqtt/anonymous-probe.js';
import { MqttConnection } from '../../addon/src/mqtt/connection.js';
import { checkNodeIdFree, thisInstance } from '../../addon/src/mqtt/instance-guard.js';
import { Mosquitto } from '../helpers/mosquitto.js';

// The copy mqtt.js uses (one mqtt-packet in node_modules).
const require = createRequire(import.meta.url);
const numbers: { cache: Record<number, Buffer> } = require('mqtt-packet/numbers.js');
const writeToStream: { cacheNumbers: boolean } = require('mqtt-packet/writeToStream.js');

/** The state of a process that has written no MQTT packet yet. */
function asInAFreshProcess(): void {
  for (const k of Object.keys(numbers.cache)) delete numbers.cache[Number(k)];
  writeToStream.cacheNumbers = true;
}

const cachedNumbers = () => Object.keys(numbers.cache).length;

const broker = new Mosquitto();
const dataDir = mkdtempSync(join(tmpdir(), 'mqtt-number-cache-'));
const log = new LoggerRoot({ level: 'error', timestamps: false, sink: { write: () => {} } }).logger('mqtt');

before(async () => {
  await broker.start();
});
after(async () => {
  await broker.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the anonymous-broker probe leaves the number cache empty', async () => {
  asInAFreshProcess();
  const r = await probeAnonymous({
    url: broker.url,
    clientId: 'probe',
    protocolVersion: 5,
    keepalive: 30,
    reconnectMaxMs: 1000,
    statusTopic: 'monitor/t/status',
  });
  assert.equal(r, 'accepted');
  assert.equal(cachedNumbers(), 0);
});

test('the node_id check leaves the number cache empty', async () => {
  asInAFreshProcess();
  const config = loadConfigObject({ node_id: 'cache', data_dir: dataDir, mqtt: { url: broker.url } }, {});
  const holder = await checkNodeIdFree(config, thisInstance(), log, {
    retainedMs: 100,
    answerMs: 100,
    connectMs: 2000,
  });
  assert.equal(holder, undefined);
  assert.equal(cachedNumbers(), 0);
});

test("the service's connection publishing at QoS 1 leaves the number cache empty", async () => {
  asInAFreshProcess();
  const c = new MqttConnection(
    {
      url: broker.url,
      clientId: 'cache_main',
      protocolVersion: 5,
      keepalive: 30,
      reconnectMaxMs: 1000,
      statusTopic: 'monitor/cache/status',
    },
    log,
  );
  await c.start(5000);
  try {
    await c.publish('monitor/cache/x', 'y', { qos: 1 });
    assert.equal(cachedNumbers(), 0);
  } finally {
    await c.stop();
  }
});

test('no file of the service opens an MQTT client other than through openMqttClient', () => {
  const opens = /\bmqtt\.connect(Async)?\(|^import mqtt\b|^import \{[^}]*\bconnect\b[^}]*\} from 'mqtt'/m;
  const offenders = readdirSync('addon/src', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && f !== join('mqtt', 'client.ts'))
    .filter((f) => opens.test(readFileSync(join('addon/src', f), 'utf8')));
  assert.deepEqual(offenders, []);
});
