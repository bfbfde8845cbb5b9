/**
 * RPC over MQTT for the monitor_bridge integration: request/reply topics and error codes, and
 * the signed requests of docs/rpc.md (issue 15: "anyone who can publish on the broker can send
 * SMS anywhere"): unsigned, wrongly signed, stale, replayed or for another method → code 5,
 * and the handler never runs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import type { NodeContext } from '../../addon/src/entities/discovery.js';
import { RpcError, RpcErrorCode, type RpcOptions, RpcServer } from '../../addon/src/mqtt/rpc.js';
import { signBody, signRequest, verifyRequest } from '../../addon/src/mqtt/rpc-sign.js';
import { FakeMqtt } from '../helpers/fake-mqtt.js';

const node: NodeContext = {
  nodeId: 'n',
  baseTopic: 'monitor',
  discoveryPrefix: 'homeassistant',
  origin: { name: 'M', sw_version: '0' },
};

/** `require_signature: false` unless options say otherwise (the unsigned format of the tests below). */
function server(opts: RpcOptions = { requireSignature: false }) {
  const mqtt = new FakeMqtt();
  const rpc = new RpcServer(node, mqtt, new LoggerRoot({ level: 'silent' }).logger('rpc'), opts);
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

describe('signed RPC (docs/rpc.md)', () => {
  const SECRET = 'installation-secret-0123456789abcdef';
  const NOW = Date.parse('2026-12-06T12:00:00Z');
  const nowS = NOW / 1000;

  function signedServer() {
    let now = NOW;
    const s = server({ secret: SECRET, now: () => now });
    let runs = 0;
    s.rpc.register('send_sms', async (p) => {
      runs++;
      return { to: p.to };
    });
    const setNow = (ms: number) => {
      now = ms;
    };
    return { ...s, runs: () => runs, setNow };
  }
  const req = (o: Partial<{ method: string; ts: number; nonce: string; secret: string; id: string }> = {}) =>
    signRequest(o.secret ?? SECRET, {
      id: o.id ?? 'c1',
      method: o.method ?? 'send_sms',
      params: { to: ['+33612345678'], text: 'Hello' },
      ts: o.ts ?? nowS,
      nonce: o.nonce ?? `nonce_${Math.random().toString(36).slice(2, 14)}`,
    });

  test('the example of docs/rpc.md verifies with the documented HMAC (hex, over body bytes)', () => {
    const body =
      '{"id":"c1","method":"send_sms","ts":1765000000,"nonce":"9f2c4e1a7b3d5f60","params":{"to":["+33612345678"],"text":"Hello"}}';
    const sig = signBody(body, SECRET);
    assert.match(sig, /^[0-9a-f]{64}$/);
    const v = verifyRequest(JSON.stringify({ body, sig }), SECRET, 'send_sms', 1765000000);
    assert.equal(v.ok, true);
    // Any change of one byte of the body breaks it.
    const v2 = verifyRequest(
      JSON.stringify({ body: body.replace('Hello', 'Hellp'), sig }),
      SECRET,
      'send_sms',
      1765000000,
    );
    assert.equal(v2.ok, false);
  });

  test('a correctly signed request runs once', async () => {
    const { call, runs } = signedServer();
    const r = await call('send_sms', req({ id: 'ok1' }));
    assert.deepEqual(r, { id: 'ok1', ok: true, result: { to: ['+33612345678'] } });
    assert.equal(runs(), 1);
  });

  test('unsigned, wrong signature, stale or future ts, replayed nonce, method mismatch → code 5, handler never runs', async () => {
    const { call, runs } = signedServer();
    const refused = async (payload: string, topicMethod = 'send_sms') => {
      const r = await call(topicMethod, payload);
      assert.equal(r.ok, false, payload);
      return r.error as { code: number; message: string };
    };
    assert.deepEqual(
      await refused(JSON.stringify({ id: 'u', params: { to: ['+33600000000'], text: 'x' } })),
      {
        code: 5,
        message: 'request is not signed',
      },
    );
    assert.equal(
      (await refused(req({ secret: 'another-secret-0123456789abcdef' }))).message,
      'bad signature',
    );
    const tampered = JSON.parse(req()) as { body: string; sig: string };
    tampered.body = tampered.body.replace('+33612345678', '+33899999999');
    assert.equal((await refused(JSON.stringify(tampered))).code, 5);
    assert.match((await refused(req({ ts: nowS - 61 }))).message, /timestamp/);
    assert.match((await refused(req({ ts: nowS + 61 }))).message, /timestamp/);
    // A request for send_sms replayed on another method's topic.
    assert.match((await refused(req({ method: 'send_sms' }), 'other_method')).message, /method/);
    const once = req({ nonce: 'replayed_nonce_0001' });
    assert.equal((await call('send_sms', once)).ok, true);
    assert.deepEqual(await refused(once), { code: 5, message: 'replayed request' });
    assert.equal((await refused(req({ nonce: 'short' }))).message, 'invalid nonce');
    assert.equal(runs(), 1, 'only the one valid request ran');
  });

  test('a nonce is forgotten after 120 s (then the timestamp refuses the old request anyway)', async () => {
    const { call, setNow } = signedServer();
    const first = req({ nonce: 'nonce_reused_after_ttl', ts: nowS });
    assert.equal((await call('send_sms', first)).ok, true);
    setNow(NOW + 121_000);
    const again = req({ nonce: 'nonce_reused_after_ttl', ts: nowS + 121 });
    assert.equal((await call('send_sms', again)).ok, true);
    assert.equal((await call('send_sms', first)).error.code, 5);
  });

  test('with require_signature and no secret, nothing runs', async () => {
    const { rpc, call } = server({});
    let ran = false;
    rpc.register('m', async () => {
      ran = true;
    });
    assert.equal((await call('m', JSON.stringify({ id: 'a', params: {} }))).error.code, 5);
    assert.equal(ran, false);
  });

  test('RpcErrorCode has 5 unauthorised and 6 refused by policy', () => {
    assert.equal(RpcErrorCode.UNAUTHORISED, 5);
    assert.equal(RpcErrorCode.REFUSED, 6);
  });
});
