/**
 * Both sides of docs/rpc.md agree byte for byte: test/bridge/fixtures/signed-request.json is a
 * request signed by monitor_bridge's Python code (test/bridge/make-vector.py; test_sign.py checks
 * the Python code still produces it). Monitor's signing helper must produce the same payload
 * from the same inputs, and Monitor's RPC server, over a real Mosquitto, must accept it once
 * (clock set to the vector's ts) and refuse it replayed or altered, before any handler runs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { MqttConnection } from '../../addon/src/mqtt/connection.js';
import { RpcServer } from '../../addon/src/mqtt/rpc.js';
import { signRequest } from '../../addon/src/mqtt/rpc-sign.js';
import { Mosquitto } from '../helpers/mosquitto.js';

interface Vector {
  secret: string;
  id: string;
  method: string;
  ts: number;
  nonce: string;
  params: Record<string, unknown>;
  payload: string;
}
const vector = JSON.parse(
  readFileSync(new URL('fixtures/signed-request.json', import.meta.url), 'utf8'),
) as Vector;
const log = new LoggerRoot({ level: 'silent', timestamps: false });
const NODE = 'vector';

describe('the Python signature, checked by Monitor', () => {
  let broker: Mosquitto;
  let server: MqttConnection;
  let rpc: RpcServer;
  let bridge: MqttClient;
  const handled: Array<Record<string, unknown>> = [];
  const replies: Array<Record<string, unknown>> = [];

  before(async () => {
    broker = new Mosquitto();
    await broker.start();
    server = new MqttConnection(
      {
        url: broker.url,
        clientId: 'vector_server',
        protocolVersion: 5,
        keepalive: 30,
        reconnectMaxMs: 200,
        reconnectInitialMs: 50,
        statusTopic: `monitor/${NODE}/status`,
      },
      log.logger('mqtt'),
    );
    await server.start();
    rpc = new RpcServer(
      {
        nodeId: NODE,
        baseTopic: 'monitor',
        discoveryPrefix: 'homeassistant',
        origin: { name: 'm', sw_version: '0' },
      },
      server,
      log.logger('rpc'),
      { secret: vector.secret, now: () => vector.ts * 1000 },
    );
    rpc.register(vector.method, async (params) => {
      handled.push(params);
      return { results: [] };
    });
    rpc.start();
    bridge = await mqtt.connectAsync(broker.url, { protocolVersion: 4 }); // HA may speak 3.1.1
    await bridge.subscribeAsync(`monitor/${NODE}/rpc/+/reply`, { qos: 1 });
    bridge.on('message', (_t, payload) => replies.push(JSON.parse(payload.toString('utf8'))));
    await new Promise((r) => setTimeout(r, 200)); // the server's subscription is in place
  });

  after(async () => {
    await bridge?.endAsync();
    rpc?.stop();
    await server?.stop();
    await broker?.dispose();
  });

  async function send(payload: string): Promise<Record<string, unknown>> {
    const before = replies.length;
    await bridge.publishAsync(`monitor/${NODE}/rpc/${vector.method}`, payload, { qos: 1 });
    const deadline = Date.now() + 5000;
    while (replies.length === before) {
      if (Date.now() > deadline) throw new Error('no reply from the RPC server');
      await new Promise((r) => setTimeout(r, 10));
    }
    return replies[before] as Record<string, unknown>;
  }

  test("Monitor's helper signs the same inputs into the same bytes as Python", () => {
    const { secret, id, method, params, ts, nonce } = vector;
    assert.equal(signRequest(secret, { id, method, params, ts, nonce }), vector.payload);
  });

  test('the RPC server accepts the Python-signed request; params arrive intact (UTF-8)', async () => {
    assert.deepEqual(await send(vector.payload), { id: vector.id, ok: true, result: { results: [] } });
    assert.deepEqual(handled, [vector.params]);
  });

  test('the same request again (replayed nonce) and an altered body are refused, code 5', async () => {
    const replayed = await send(vector.payload);
    assert.equal((replayed.error as { code: number }).code, 5);
    const outer = JSON.parse(vector.payload) as { body: string; sig: string };
    const altered = JSON.stringify({
      body: outer.body.replace('+33612345678', '+33700000000'),
      sig: outer.sig,
    });
    assert.equal(((await send(altered)).error as { code: number }).code, 5);
    assert.equal(handled.length, 1, 'no handler ran for a refused request');
  });
});
