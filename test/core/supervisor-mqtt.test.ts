/**
 * Inside the add-on, the MQTT broker comes from the Supervisor's services API
 * (GET /services/mqtt, Bearer SUPERVISOR_TOKEN), answered here by a local HTTP server with the
 * shape the Supervisor documents: {"result": "ok", "data": {host, port, ssl, protocol, username, password}}.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { applySupervisorMqtt } from '../../addon/src/config/supervisor.js';
import { LoggerRoot, SecretRegistry } from '../../addon/src/core/logger.js';

describe('MQTT broker from the Supervisor', () => {
  let status = 200;
  let seen: IncomingHttpHeaders | undefined;
  let seenUrl = '';
  const server = createServer((req, res) => {
    seen = req.headers;
    seenUrl = req.url ?? '';
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        result: 'ok',
        data: {
          host: 'core-mosquitto',
          port: 1883,
          ssl: false,
          protocol: '3.1.1',
          username: 'addons',
          password: 'sup-pw-123',
        },
      }),
    );
  });
  let base = '';
  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const log = () => new LoggerRoot({ level: 'silent' }).logger('config');

  test('default broker setting + SUPERVISOR_TOKEN: URL, user and password from the Supervisor, password a secret', async () => {
    const config = loadConfigObject({}, {});
    const secrets = new SecretRegistry();
    const env = { SUPERVISOR_TOKEN: 'tok-abc', MONITOR_SUPERVISOR_URL: base };
    assert.equal(await applySupervisorMqtt(config, env, secrets, log()), true);
    assert.equal(seenUrl, '/services/mqtt');
    assert.equal(seen?.authorization, 'Bearer tok-abc');
    assert.equal(config.mqtt.url, 'mqtt://core-mosquitto:1883');
    assert.equal(config.mqtt.username, 'addons');
    assert.equal(config.mqtt.password, 'sup-pw-123');
    assert.equal(config.mqtt.protocol_version, 4);
    assert.equal(secrets.redact('pw sup-pw-123'), 'pw ***');
  });

  test('a broker set by the user is kept; outside the add-on nothing is asked', async () => {
    const mine = loadConfigObject({ mqtt: { url: 'mqtt://my-broker:1883' } }, {});
    seenUrl = '';
    assert.equal(
      await applySupervisorMqtt(
        mine,
        { SUPERVISOR_TOKEN: 't', MONITOR_SUPERVISOR_URL: base },
        new SecretRegistry(),
        log(),
      ),
      false,
    );
    assert.equal(mine.mqtt.url, 'mqtt://my-broker:1883');
    const outside = loadConfigObject({}, {});
    assert.equal(await applySupervisorMqtt(outside, {}, new SecretRegistry(), log()), false);
    assert.equal(seenUrl, '', 'no request made');
  });

  test('no MQTT service (no Mosquitto add-on): the defaults stay', async () => {
    status = 400;
    try {
      const config = loadConfigObject({}, {});
      assert.equal(
        await applySupervisorMqtt(
          config,
          { SUPERVISOR_TOKEN: 't', MONITOR_SUPERVISOR_URL: base },
          new SecretRegistry(),
          log(),
        ),
        false,
      );
      assert.equal(config.mqtt.url, 'mqtt://localhost:1883');
    } finally {
      status = 200;
    }
  });
});
