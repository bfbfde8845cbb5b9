/**
 * HaClient against the fake Home Assistant websocket server (test/helpers/fake-ha.ts), which
 * follows https://developers.home-assistant.io/docs/api/websocket.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERR_INVALID_AUTH, type HassEntities } from 'home-assistant-js-websocket';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { HaClient, HaError, resolveHaSettings, websocketUrl } from '../../addon/src/ha/websocket.js';
import { FakeHa } from '../helpers/fake-ha.js';
import { freePort } from '../helpers/mosquitto.js';
import { pollUntil } from '../helpers/poll.js';

function quietLog(lines: string[] = []) {
  return new LoggerRoot({
    level: 'debug',
    timestamps: false,
    sink: { write: (l) => lines.push(l) },
  }).logger('ha');
}

describe('HA websocket settings', () => {
  test('an http URL becomes the /api/websocket URL; a ws URL is kept', () => {
    assert.equal(websocketUrl('http://ha.local:8123/'), 'ws://ha.local:8123/api/websocket');
    assert.equal(websocketUrl('https://ha.example'), 'wss://ha.example/api/websocket');
    assert.equal(websocketUrl('ws://supervisor/core/websocket'), 'ws://supervisor/core/websocket');
  });

  test('explicit URL first, else the Supervisor token inside the add-on, else no client', () => {
    assert.deepEqual(resolveHaSettings({ url: 'http://h:8123', token: 't' }, {}), {
      url: 'http://h:8123',
      token: 't',
    });
    assert.deepEqual(resolveHaSettings({ url: '', token: '' }, { SUPERVISOR_TOKEN: 'sup' }), {
      url: 'ws://supervisor/core/websocket',
      token: 'sup',
    });
    assert.equal(resolveHaSettings({ url: '', token: '' }, {}), undefined);
  });
});

describe('HaClient against a fake Home Assistant', () => {
  const ha = new FakeHa();
  before(() => ha.start());
  after(() => ha.stop());

  test('auth ok: the token is sent in an auth message and the connection is ready', async () => {
    const client = new HaClient({ url: ha.httpUrl, token: ha.token }, quietLog());
    try {
      await client.connect();
      assert.equal(client.connected, true);
      assert.equal(client.haVersion, ha.haVersion);
      const auth = ha.messages('auth').at(-1);
      assert.equal(auth?.msg.access_token, ha.token);
    } finally {
      client.close();
    }
  });

  test('auth invalid: connect() rejects with a clear error, start() gives up', async () => {
    const lines: string[] = [];
    const client = new HaClient({ url: ha.url, token: 'wrong-token-123' }, quietLog(lines), {
      retryInitialMs: 10,
    });
    const before = ha.authInvalid;
    await assert.rejects(client.connect(), (e: unknown) => e instanceof HaError && /refused/.test(e.message));
    await assert.rejects(client.start(), HaError);
    assert.equal(ha.authInvalid, before + 2, 'start() must not retry a refused token');
    assert.equal(client.connected, false);
    client.close();
  });

  test('call_service sends domain, service, service_data and target; an error comes back as HaError', async () => {
    const client = new HaClient({ url: ha.url, token: ha.token }, quietLog());
    try {
      await client.connect();
      await client.callService('notify', 'persistent_notification', { message: 'hi' }, { entity_id: 'x.y' });
      assert.deepEqual(ha.serviceCalls.at(-1), {
        domain: 'notify',
        service: 'persistent_notification',
        service_data: { message: 'hi' },
        target: { entity_id: 'x.y' },
      });
      ha.failNext('call_service', 'service_not_found', 'Service light.nope not found.');
      await assert.rejects(
        client.callService('light', 'nope'),
        (e: unknown) => e instanceof HaError && e.code === 'service_not_found' && /not found/.test(e.message),
      );
    } finally {
      client.close();
    }
  });

  test('subscribe_events receives the events of its type only; unsubscribe stops them', async () => {
    const client = new HaClient({ url: ha.url, token: ha.token }, quietLog());
    try {
      await client.connect();
      const got: Array<{ event_type: string; data: Record<string, unknown> }> = [];
      const unsub = await client.subscribeEvents<{ event_type: string; data: Record<string, unknown> }>(
        'tag_scanned',
        (ev) => got.push(ev),
      );
      const sub = ha.messages('subscribe_events').at(-1);
      assert.equal(sub?.msg.event_type, 'tag_scanned');
      ha.pushEvent('other_event', { a: 1 });
      ha.pushEvent('tag_scanned', { tag_id: 'ABC' });
      await pollUntil(() => got.length === 1, 2000, 'the tag event');
      assert.equal(got[0]?.event_type, 'tag_scanned');
      assert.deepEqual(got[0]?.data, { tag_id: 'ABC' });
      await unsub();
      ha.pushEvent('tag_scanned', { tag_id: 'DEF' });
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(got.length, 1);
      assert.equal(ha.messages('unsubscribe_events').at(-1)?.msg.subscription, sub?.msg.id);
    } finally {
      client.close();
    }
  });

  test('subscribe_entities gives every state, then changes and removals', async () => {
    ha.setState('sensor.temp', '20.5', { unit_of_measurement: '°C' });
    const client = new HaClient({ url: ha.url, token: ha.token }, quietLog());
    try {
      await client.connect();
      let latest: HassEntities = {};
      const unsub = client.subscribeEntities((e) => {
        latest = e;
      });
      await pollUntil(() => latest['sensor.temp']?.state === '20.5', 2000, 'the initial state');
      assert.equal(latest['sensor.temp']?.attributes.unit_of_measurement, '°C');
      ha.setState('sensor.temp', '21');
      ha.setState('binary_sensor.door', 'on');
      await pollUntil(
        () => latest['sensor.temp']?.state === '21' && latest['binary_sensor.door']?.state === 'on',
        2000,
        'the changes',
      );
      ha.removeState('binary_sensor.door');
      await pollUntil(() => !latest['binary_sensor.door'], 2000, 'the removal');
      assert.equal(ha.messages('subscribe_entities').length > 0, true);
      unsub();
    } finally {
      client.close();
    }
  });

  test('recorder/import_statistics sends metadata and stats as HA expects; HA errors surface', async () => {
    const client = new HaClient({ url: ha.url, token: ha.token }, quietLog());
    try {
      await client.connect();
      const metadata = {
        statistic_id: 'monitor:linky_energy',
        source: 'monitor',
        name: 'Linky',
        unit_of_measurement: 'kWh',
        has_mean: false,
        has_sum: true,
      };
      const stats = [
        { start: '2025-01-01T00:00:00+00:00', sum: 1.5, state: 1.5 },
        { start: '2025-01-01T01:00:00+00:00', sum: 2.25, state: 0.75 },
      ];
      await client.importStatistics(metadata, stats);
      assert.deepEqual(ha.statistics.at(-1), { metadata, stats });
      await assert.rejects(
        client.importStatistics({ ...metadata, source: 'other' }, stats),
        (e: unknown) =>
          e instanceof HaError && e.code === 'home_assistant_error' && e.message === 'Invalid source',
      );
      await assert.rejects(
        client.importStatistics(metadata, [{ start: '2025-01-01T00:30:00+00:00', sum: 1 }]),
        (e: unknown) => e instanceof HaError && e.message === 'Invalid timestamp',
      );
    } finally {
      client.close();
    }
  });

  test('subscriptions asked before the first connection wait for it; start() retries until HA is up', async () => {
    const late = new FakeHa();
    await late.start();
    const port = late.port;
    await late.stop(); // HA not up yet: nothing listens on that port
    const client = new HaClient(
      { url: `ws://127.0.0.1:${port}/api/websocket`, token: late.token },
      quietLog(),
      {
        retryInitialMs: 50,
        retryMaxMs: 200,
      },
    );
    const events: unknown[] = [];
    const subscribed = client.subscribeEvents('monitor_test', (ev) => events.push(ev));
    const started = client.start();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(client.connected, false);
    const up = new FakeHa({ port });
    try {
      await up.start();
      await started;
      await subscribed;
      await pollUntil(() => up.messages('subscribe_events').length === 1, 2000, 'the subscription');
      up.pushEvent('monitor_test', { n: 1 });
      await pollUntil(() => events.length === 1, 2000, 'the event');
    } finally {
      client.close();
      await up.stop();
    }
  });

  test('reconnects after HA drops the connection and re-subscribes events and entities', async () => {
    const client = new HaClient({ url: ha.url, token: ha.token }, quietLog());
    try {
      await client.connect();
      const events: unknown[] = [];
      await client.subscribeEvents('call_service', (ev) => events.push(ev));
      let latest: HassEntities = {};
      client.subscribeEntities((e) => {
        latest = e;
      });
      await pollUntil(() => Object.keys(latest).length > 0, 2000, 'the entities');
      const opened = ha.connectionsOpened;
      ha.dropAllConnections();
      // The library retries after 0 s, then 1 s…; it re-authenticates on a new connection.
      await ha.waitForType('subscribe_events', opened + 1, 8000);
      await ha.waitForType('subscribe_entities', opened + 1, 8000);
      await pollUntil(() => client.connected, 2000, 'the reconnection');
      ha.pushEvent('call_service', { domain: 'light' });
      await pollUntil(() => events.length === 1, 2000, 'the event after reconnection');
      ha.setState('sensor.after', 'yes');
      await pollUntil(() => latest['sensor.after']?.state === 'yes', 2000, 'a state after reconnection');
      // Commands work again.
      await client.callService('homeassistant', 'check_config');
    } finally {
      client.close();
    }
  });
});

describe('HaClient.ready(): a bounded wait for Home Assistant (issue 9: the Enedis import gave up at boot)', () => {
  test('HA not up yet: a short wait rejects "not_connected"; a longer one resolves when HA comes up', async () => {
    const port = await freePort();
    const client = new HaClient(
      { url: `http://127.0.0.1:${port}`, token: 'fake-long-lived-token-0123456789' },
      quietLog(),
      { retryInitialMs: 50, retryMaxMs: 200 },
    );
    const started = client.start().catch(() => {});
    const ha = new FakeHa({ port });
    try {
      const t0 = Date.now();
      await assert.rejects(
        client.ready(300),
        (e: unknown) => e instanceof HaError && e.code === 'not_connected',
      );
      assert.ok(Date.now() - t0 < 2000, 'bounded');
      const waiting = client.ready(10_000);
      await new Promise((r) => setTimeout(r, 200));
      await ha.start();
      await waiting;
      assert.equal(client.connected, true);
      await started;
      // Connected: at once.
      await client.ready(1);
    } finally {
      client.close();
      await ha.stop();
    }
  });

  test('HA restarting: ready() waits for the reconnection instead of answering with a dead socket', async () => {
    const ha = new FakeHa();
    await ha.start();
    const client = new HaClient({ url: ha.httpUrl, token: ha.token }, quietLog());
    try {
      await client.connect();
      await ha.stop();
      await pollUntil(() => !client.connected, 5000, 'the drop');
      await assert.rejects(
        client.ready(200),
        (e: unknown) => e instanceof HaError && e.code === 'not_connected',
      );
      const waiting = client.ready(20_000);
      await ha.start();
      await waiting;
      assert.equal(client.connected, true);
    } finally {
      client.close();
      await ha.stop();
    }
  });

  test('a refused token, a closed client or an aborted signal end the wait at once', async () => {
    const ha = new FakeHa();
    await ha.start();
    try {
      const bad = new HaClient({ url: ha.httpUrl, token: 'wrong-token-0123456789' }, quietLog());
      await assert.rejects(bad.start());
      await assert.rejects(
        bad.ready(10_000),
        (e: unknown) => e instanceof HaError && e.code === ERR_INVALID_AUTH,
      );
      const never = new HaClient({ url: `http://127.0.0.1:${await freePort()}`, token: 't' }, quietLog());
      const ac = new AbortController();
      const aborted = never.ready(10_000, ac.signal);
      ac.abort();
      await assert.rejects(aborted, (e: unknown) => e instanceof HaError && e.code === 'aborted');
      const closed = never.ready(10_000);
      never.close();
      await assert.rejects(closed, (e: unknown) => e instanceof HaError && e.code === 'closed');
    } finally {
      await ha.stop();
    }
  });
});
