/** RPC over MQTT for the monitor_bridge integration: request/reply topics and error codes. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import type { NodeContext } from '../../addon/src/entities/discovery.js';
import { RpcError, RpcErrorCode, RpcServer } from '../../addon/src/mqtt/rpc.js';
import { FakeMqtt } from '../helpers/fake-mqtt.js';

const node: NodeContext = {
  nodeId: 'n',
  baseTopic: 'monitor',
  discoveryPrefix: 'homeassistant',
  origin: { name: 'M', sw_version: '0' },
};

function server() {
  const mqtt = new FakeMqtt();
  const rpc = new RpcServer(node, mqtt, new LoggerRoot({ level: 'silent' }).logger('rpc'));
  rpc.start();
  const call = async (method: string, payload: string) => {
    mqtt.clear();
    mqtt.deliver(`monitor/n/rpc/${method}`, payload);
    for (let i = 0; i < 20 && mqtt.published.length === 0; i++) await new Promise((r) => setImmediate(r));
    const reply = mqtt.published[0];
    assert.equal(reply?.topic, `monitor/n/rpc/${method}/reply`);
    assert.equal(reply?.qos, 1);
    return JSON.parse(reply?.payload ?? 'null');
  };
  return { mqtt, rpc, call };
}

describe('RPC server', () => {
  test('a request {id, params} gets {id, ok: true, result} on <method>/reply', async () => {
    const { rpc, call } = server();
    rpc.register('send_sms', async (p) => ({ queued: true, to: p.to }));
    assert.deepEqual(await call('send_sms', JSON.stringify({ id: 'a1', params: { to: ['+33600000000'] } })), {
      id: 'a1',
      ok: true,
      result: { queued: true, to: ['+33600000000'] },
    });
  });

  test('errors: not JSON, not an object, unknown method, bad params, handler failure with its code', async () => {
    const { rpc, call } = server();
    rpc.register('m', async (p) => {
      if (p.bad) throw new RpcError(RpcErrorCode.INVALID_PARAMS, 'to is required');
      throw new Error('modem unplugged');
    });
    assert.deepEqual(await call('m', '{nope'), {
      id: null,
      ok: false,
      error: { code: 1, message: 'request is not JSON' },
    });
    assert.equal((await call('m', '[1]')).error.code, RpcErrorCode.PARSE_ERROR);
    assert.deepEqual((await call('zz', '{"id":7}')).error, { code: 2, message: 'unknown method zz' });
    assert.deepEqual((await call('m', '{"id":1,"params":[1]}')).error.code, RpcErrorCode.INVALID_PARAMS);
    assert.deepEqual(await call('m', '{"id":2,"params":{"bad":true}}'), {
      id: 2,
      ok: false,
      error: { code: 3, message: 'to is required' },
    });
    assert.deepEqual((await call('m', '{"id":3}')).error, { code: 4, message: 'modem unplugged' });
  });

  test('params are data: a string that looks like code is passed through untouched', async () => {
    const { rpc, call } = server();
    rpc.register('echo', async (p) => p.text);
    const text = '${process.exit(1)}; $(rm -rf /); {{ 7*7 }}';
    assert.equal((await call('echo', JSON.stringify({ id: 1, params: { text } }))).result, text);
  });

  test('notifications go to rpc/notify/<name>; method names are checked', () => {
    const { mqtt, rpc } = server();
    rpc.notify('sms_received', { from: '+33600000000' });
    assert.equal(mqtt.published[0]?.topic, 'monitor/n/rpc/notify/sms_received');
    assert.throws(() => rpc.register('notify', async () => null), /invalid RPC method/);
    assert.throws(() => rpc.register('Bad-Name', async () => null), /invalid RPC method/);
  });
});
