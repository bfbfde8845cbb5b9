/**
 * `monitor run` as a real process (node bin/monitor.js) against a real Mosquitto, with the
 * gateway device alone: what Home Assistant sees on the broker.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt } from '../helpers/build.js';
import { MonitorProcess, runConfig, tempConfig } from '../helpers/monitor-process.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';

const GATEWAY_KEYS = ['version', 'uptime', 'mqtt_messages_sent', 'store_problem'];

describe('monitor run against a real Mosquitto', () => {
  const broker = new Mosquitto();
  const dataDir = mkdtempSync(join(tmpdir(), 'monitor-run-'));
  const cleanups: Array<() => Promise<void> | void> = [];

  before(async () => {
    await Promise.all([ensureBuilt(), broker.start()]);
  });
  after(async () => {
    for (const c of cleanups.reverse()) await c();
    await broker.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startMonitor(nodeId: string): Promise<MonitorProcess> {
    const cfg = tempConfig(runConfig({ url: broker.url, nodeId, dataDir: join(dataDir, nodeId) }));
    const p = new MonitorProcess(['run', '--config', cfg.file]);
    cleanups.push(async () => {
      await p.dispose();
      cfg.cleanup();
    });
    return p;
  }

  async function retained(filters: string[], settleMs = 300): Promise<Recorder['messages']> {
    const r = await Recorder.open(broker.url, filters);
    await new Promise((res) => setTimeout(res, settleMs));
    await r.close();
    return r.messages.filter((m) => m.retain);
  }

  test('discovery and states arrive retained, as Home Assistant expects them', async () => {
    const live = await Recorder.open(broker.url, ['monitor/alpha/#', 'homeassistant/+/alpha_gateway/#']);
    const p = await startMonitor('alpha');
    try {
      await live.topic('monitor/alpha/gateway/state', 10_000);
      // A subscriber arriving later (Home Assistant restarting) gets everything from the broker.
      const got = await retained(['monitor/alpha/#', 'homeassistant/+/alpha_gateway/#']);
      const byTopic = new Map(got.map((m) => [m.topic, m.payload]));
      assert.equal(byTopic.get('monitor/alpha/status'), 'online');
      for (const key of GATEWAY_KEYS) {
        const config = byTopic.get(`homeassistant/sensor/alpha_gateway/${key}/config`);
        assert.ok(config, `discovery of ${key} retained`);
        const c = JSON.parse(config);
        assert.equal(c.unique_id, `alpha_gateway_${key}`);
        assert.equal(c.state_topic, 'monitor/alpha/gateway/state');
        assert.deepEqual(c.availability, [{ topic: 'monitor/alpha/status' }]);
        assert.equal(c.entity_category, 'diagnostic');
      }
      const state = JSON.parse(byTopic.get('monitor/alpha/gateway/state') ?? '{}');
      assert.match(String(state.version), /^\d+\.\d+\.\d+/);
      assert.equal(typeof state.uptime, 'number');
      assert.ok(state.mqtt_messages_sent >= 4, 'status + the discovery messages at least');
      // Discovery reached the broker before the first state (HA must know the entity first).
      const firstState = live.messages.findIndex((m) => m.topic === 'monitor/alpha/gateway/state');
      const discoveries = live.messages.filter((m) => m.topic.endsWith('/config'));
      assert.equal(discoveries.length, GATEWAY_KEYS.length);
      assert.ok(live.messages.indexOf(discoveries.at(-1) as (typeof live.messages)[number]) < firstState);
    } finally {
      await live.close();
      p.kill('SIGTERM');
      await p.exited;
    }
  });

  test('"online" on homeassistant/status triggers a republish: discovery, then states', async () => {
    const p = await startMonitor('bravo');
    const live = await Recorder.open(broker.url, [
      'monitor/bravo/gateway/state',
      'homeassistant/+/bravo_gateway/#',
    ]);
    try {
      await live.topic('monitor/bravo/gateway/state', 10_000);
      await new Promise((r) => setTimeout(r, 300));
      live.clear();
      await live.client.publishAsync('homeassistant/status', 'online');
      await live.waitFor((m) => m.topic === 'monitor/bravo/gateway/state', 5000);
      const kinds = live.messages.map((m) => (m.topic.endsWith('/config') ? 'discovery' : 'state'));
      assert.deepEqual(kinds, [...GATEWAY_KEYS.map(() => 'discovery'), 'state']);
      // The republish waited for the (random, ≤ 200 ms) delay rather than answering at once.
      assert.ok(p.stderr.includes('Home Assistant online: republishing in'), p.stderr);
    } finally {
      await live.close();
      p.kill('SIGTERM');
      await p.exited;
    }
  });

  test('broker restart: the process reconnects and republishes status, discovery and states', async () => {
    const p = await startMonitor('charlie');
    const first = await Recorder.open(broker.url, ['monitor/charlie/gateway/state']);
    await first.topic('monitor/charlie/gateway/state', 10_000);
    await first.close();
    await broker.restart(); // no persistence: every retained message is gone
    try {
      await p.waitForLog(/connection to .* lost, reconnecting/, 5000);
      await p.waitForLog(/connected to mqtt:\/\/127\.0\.0\.1:\d+ \(MQTT 5\)[\s\S]*connected to mqtt/, 10_000);
      await new Promise((r) => setTimeout(r, 300));
      const got = await retained(['monitor/charlie/#', 'homeassistant/+/charlie_gateway/#']);
      const topics = new Set(got.map((m) => m.topic));
      assert.ok(topics.has('monitor/charlie/status'));
      assert.ok(topics.has('monitor/charlie/gateway/state'));
      assert.equal(got.filter((m) => m.topic.endsWith('/config')).length, GATEWAY_KEYS.length);
      assert.equal(got.find((m) => m.topic === 'monitor/charlie/status')?.payload, 'online');
    } finally {
      p.kill('SIGTERM');
      await p.exited;
    }
  });

  test('kill -9: the broker publishes the last will "offline", retained, on <base>/<node_id>/status', async () => {
    const p = await startMonitor('delta');
    const live = await Recorder.open(broker.url, ['monitor/delta/status']);
    try {
      await live.waitFor((m) => m.payload === 'online', 10_000);
      p.kill('SIGKILL');
      await p.exited;
      await live.waitFor((m) => m.payload === 'offline', 5000);
      const got = await retained(['monitor/delta/status']);
      assert.deepEqual(
        got.map((m) => m.payload),
        ['offline'],
      );
    } finally {
      await live.close();
    }
  });

  test('SIGTERM: "offline" is published (retained) and the process exits 0', async () => {
    const p = await startMonitor('echo');
    const live = await Recorder.open(broker.url, ['monitor/echo/status']);
    try {
      await live.waitFor((m) => m.payload === 'online', 10_000);
      p.kill('SIGTERM');
      const { code } = await p.exited;
      assert.equal(code, 0);
      assert.match(p.stderr, /SIGTERM received, stopping/);
      await live.waitFor((m) => m.payload === 'offline', 3000);
      const got = await retained(['monitor/echo/status']);
      assert.deepEqual(
        got.map((m) => m.payload),
        ['offline'],
      );
    } finally {
      await live.close();
    }
  });

  test('two instances with different node_id on one broker do not collide', async () => {
    const a = await startMonitor('foxtrot');
    const b = await startMonitor('golf');
    const live = await Recorder.open(broker.url, ['monitor/+/gateway/state', 'monitor/+/status']);
    try {
      await live.topic('monitor/foxtrot/gateway/state', 10_000);
      await live.topic('monitor/golf/gateway/state', 10_000);
      const got = await retained(['homeassistant/+/foxtrot_gateway/#', 'homeassistant/+/golf_gateway/#']);
      const ids = got.map((m) => JSON.parse(m.payload).unique_id as string);
      assert.equal(ids.length, 2 * GATEWAY_KEYS.length);
      assert.equal(new Set(ids).size, 2 * GATEWAY_KEYS.length, 'unique ids are distinct');
      // Each keeps its own connection (distinct client ids): stopping one leaves the other online.
      assert.equal(a.stderr.includes('session taken over'), false);
      a.kill('SIGTERM');
      await a.exited;
      await new Promise((r) => setTimeout(r, 500));
      const statuses = new Map((await retained(['monitor/+/status'])).map((m) => [m.topic, m.payload]));
      assert.equal(statuses.get('monitor/foxtrot/status'), 'offline');
      assert.equal(statuses.get('monitor/golf/status'), 'online');
      assert.ok(b.running);
      assert.equal(b.stderr.includes('lost, reconnecting'), false);
    } finally {
      await live.close();
      b.kill('SIGTERM');
      await b.exited;
    }
  });
});
