/**
 * Acknowledged publishing against a real Mosquitto (issue 9, "received SMS are lost when the
 * broker is unreachable or frozen"): a QoS 1 publish resolves only on the broker's PUBACK,
 * rejects when offline, when the connection closes, and when a frozen broker (SIGSTOP: the
 * socket stays open, nobody answers) never acknowledges; once the broker is back it works.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { MqttConnection, PublishError } from '../../addon/src/mqtt/connection.js';
import { RpcServer } from '../../addon/src/mqtt/rpc.js';
import { FakeMqtt } from '../helpers/fake-mqtt.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';

const log = new LoggerRoot({ level: 'silent', timestamps: false });

function connection(url: string, ackTimeoutMs = 800) {
  return new MqttConnection(
    {
      url,
      clientId: `t_ack_${Math.random().toString(16).slice(2, 8)}`,
      protocolVersion: 5,
      keepalive: 30,
      reconnectMaxMs: 200,
      reconnectInitialMs: 50,
      ackTimeoutMs,
      statusTopic: 'monitor/t/status',
    },
    log.logger('mqtt'),
  );
}

async function until(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** 'resolved' | 'rejected:<reason>' | 'pending' after `ms`. */
async function outcome(p: Promise<void>, ms: number): Promise<string> {
  return Promise.race([
    p.then(
      () => 'resolved',
      (e: unknown) => `rejected:${e instanceof PublishError ? e.reason : String(e)}`,
    ),
    new Promise<string>((r) => setTimeout(() => r('pending'), ms)),
  ]);
}

describe('acknowledged publishing (real Mosquitto)', () => {
  const broker = new Mosquitto();
  before(() => broker.start());
  after(() => broker.dispose());

  test('QoS 1 resolves once the broker has the message; a subscriber gets it', async () => {
    const rec = await Recorder.open(broker.url, ['ack/#']);
    const c = connection(broker.url);
    try {
      await c.start(5000);
      await c.publish('ack/one', 'x', { qos: 1 });
      await rec.topic('ack/one', 2000);
      assert.equal(await outcome(c.publish('ack/zero', 'y'), 2000), 'resolved');
    } finally {
      await c.stop();
      await rec.close();
    }
  });

  test('broker stopped → publish rejects (offline); broker back → publish works', async () => {
    const c = connection(broker.url);
    try {
      await c.start(5000);
      await broker.stop();
      await until(() => !c.connected, 5000, 'the connection to drop');
      assert.equal(await outcome(c.publish('ack/lost', 'x', { qos: 1 }), 2000), 'rejected:offline');
      assert.equal(await outcome(c.publish('ack/lost0', 'x'), 2000), 'rejected:offline');
      await broker.start();
      await until(() => c.connected, 5000, 'the reconnection');
      const rec = await Recorder.open(broker.url, ['ack/#']);
      await c.publish('ack/back', 'x', { qos: 1 });
      await rec.topic('ack/back', 2000);
      await rec.close();
    } finally {
      await c.stop();
    }
  });

  test('broker frozen (SIGSTOP) → a QoS 1 publish is never resolved, it rejects after its timeout', async () => {
    const c = connection(broker.url, 800);
    try {
      await c.start(5000);
      broker.freeze();
      // The socket is still open: mqtt.js thinks it is connected.
      assert.equal(c.connected, true);
      const p = c.publish('ack/frozen', 'x', { qos: 1 });
      assert.equal(await outcome(p, 400), 'pending', 'not done before its timeout');
      assert.equal(await outcome(p, 2000), 'rejected:timeout');
      broker.thaw();
      await until(() => c.connected, 5000, 'connected after thaw');
      const rec = await Recorder.open(broker.url, ['ack/#']);
      await c.publish('ack/thawed', 'x', { qos: 1 });
      await rec.topic('ack/thawed', 2000);
      await rec.close();
    } finally {
      broker.thaw();
      await c.stop();
    }
  });

  test('a QoS 1 publish in flight when the connection closes is rejected, not left pending', async () => {
    const c = connection(broker.url, 10_000);
    try {
      await c.start(5000);
      broker.freeze();
      const p = c.publish('ack/closing', 'x', { qos: 1 });
      // The broker dies before it reads the packet: the kernel closes the socket.
      await broker.stop('SIGKILL');
      assert.equal(await outcome(p, 3000), 'rejected:closed');
      await broker.start();
    } finally {
      await c.stop();
    }
  });
});

describe('RPC replies and notifications are QoS 1 and awaited', () => {
  test('notify resolves on the ack, rejects offline, and carries a unique event_id', async () => {
    const mqtt = new FakeMqtt();
    const rpc = new RpcServer(
      {
        nodeId: 'n',
        baseTopic: 'monitor',
        discoveryPrefix: 'homeassistant',
        origin: { name: 'm', sw_version: '0' },
      },
      mqtt,
      log.logger('rpc'),
    );
    mqtt.holdAcks = true;
    const p = rpc.notify('sms_status', { id: 'a', status: 'sent' });
    assert.equal(await outcome(p, 50), 'pending');
    mqtt.releaseAcks();
    assert.equal(await outcome(p, 50), 'resolved');
    mqtt.holdAcks = false;
    await rpc.notify('sms_status', { id: 'b', status: 'sent' });
    const sent = mqtt.on('monitor/n/rpc/notify/sms_status');
    assert.equal(sent.length, 2);
    assert.ok(sent.every((m) => m.qos === 1));
    const ids = sent.map((m) => JSON.parse(m.payload).event_id);
    assert.equal(new Set(ids).size, 2);
    mqtt.disconnect();
    assert.equal(await outcome(rpc.notify('sms_status', { id: 'c' }), 50), 'rejected:offline');
  });
});
