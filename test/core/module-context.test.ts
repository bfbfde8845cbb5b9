/**
 * The module context owns what a module registers (issue 9, "Module lifecycle"), in process
 * against a real Mosquitto: after a stop nothing of the module is left (RPC method answers
 * code 2 "not available", devices, command handlers, listeners, actions, timers, sockets, HA
 * subscriptions); a module touches only its own devices and methods; a throw from a socket
 * callback or a timer restarts that module, never the process, and another module stays up.
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { App } from '../../addon/src/app.js';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { sleep } from '../../addon/src/core/backoff.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import type { ModuleContext, ModuleFactory } from '../../addon/src/core/module.js';
import { button, sensor } from '../../addon/src/entities/model.js';
import { FakeHa } from '../helpers/fake-ha.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { rpcRequest, TEST_RPC_SECRET } from '../helpers/rpc.js';

async function until(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A TCP server standing in for a printer or a meter bridge: counts open sockets. */
async function peer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  return { server, port: typeof a === 'object' && a ? a.port : 0, sockets };
}

describe('core/backoff sleep()', () => {
  test('removes its abort listener when the time is up (one signal, many sleeps)', async () => {
    const ac = new AbortController();
    for (let i = 0; i < 50; i++) await sleep(1, ac.signal);
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
    const long = sleep(60_000, ac.signal);
    assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
    ac.abort();
    await long;
  });
});

describe('module context (App, real Mosquitto)', () => {
  const broker = new Mosquitto();
  const ha = new FakeHa();
  const dataDir = mkdtempSync(join(tmpdir(), 'monitor-ctx-'));
  before(async () => {
    await broker.start();
    await ha.start();
  });
  after(async () => {
    await broker.dispose();
    await ha.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function appWith(nodeId: string, modules: Record<string, ModuleFactory<unknown>>, restartInitialMs = 50) {
    const config = loadConfigObject(
      {
        node_id: nodeId,
        data_dir: dataDir,
        language: 'en',
        mqtt: { url: broker.url },
        rpc: { secret: TEST_RPC_SECRET },
        homeassistant: { url: ha.httpUrl, token: ha.token },
        discovery: { coalesce_ms: 0, republish_delay_ms: 0 },
      },
      {},
    );
    for (const m of Object.keys(modules)) Object.assign(config, { [m]: {} });
    return new App(config, {
      logRoot: new LoggerRoot({ level: 'silent' }),
      env: {},
      modules,
      supervisor: { restartInitialMs, restartMaxMs: restartInitialMs * 2 },
    });
  }

  test('after a stop nothing of the module is left; its RPC method answers code 2 "not available"', async () => {
    const tcp = await peer();
    let ticks = 0;
    let alpha: ModuleContext<unknown> | undefined;
    const alphaModule: ModuleFactory<unknown> = (ctx) => ({
      async start() {
        alpha = ctx;
        ctx.entities.declare({
          device: { id: 'alpha_dev', name: 'Alpha' },
          entities: [sensor('v', 'V'), button('go', 'Go', () => {})],
        });
        ctx.entities.update('alpha_dev', { v: 1 });
        ctx.rpc.register('alpha_echo', async (p) => p);
        ctx.bus.on('notification', () => {});
        ctx.bus.registerAction('alpha.go', 'alpha', async () => ({ ok: true, message: 'ok' }));
        ctx.timers.setInterval(() => void ticks++, 10);
        const s = ctx.track((await import('node:net')).connect(tcp.port, '127.0.0.1').on('error', () => {}));
        s.on(
          'data',
          ctx.isolate(() => {}),
        );
        await ctx.ha?.subscribeEvents('tag_scanned', () => {});
      },
      async stop() {},
    });
    const app = appWith('ctxstop', { alpha: alphaModule }, 60_000);
    const rec = await Recorder.open(broker.url, ['monitor/ctxstop/#']);
    const baseListeners = app.bus.listenerCount('notification');
    try {
      await app.start();
      await until(() => tcp.sockets.size === 1, 3000, 'the socket');
      await until(() => ticks > 2, 3000, 'ticks');
      await ha.waitFor((m) => m.msg.type === 'subscribe_events' && m.msg.event_type === 'tag_scanned');
      assert.equal(app.bus.listenerCount('notification'), baseListeners + 1);
      assert.deepEqual(app.rpc.offered(), { alpha_echo: 'alpha' });

      alpha?.fail(new Error('port vanished'));
      await until(() => app.supervisor.statuses().alpha?.state === 'degraded', 3000, 'stopped');
      await until(() => tcp.sockets.size === 0, 3000, 'the socket closed');

      // RPC: not available, code 2, the handler's module named.
      await rec.client.publishAsync('monitor/ctxstop/rpc/alpha_echo', rpcRequest('alpha_echo', { a: 1 }));
      const reply = JSON.parse((await rec.topic('monitor/ctxstop/rpc/alpha_echo/reply')).payload);
      assert.equal(reply.ok, false);
      assert.equal(reply.error.code, 2);
      assert.match(reply.error.message, /not available/);

      // Nothing left: devices, listeners, actions, methods, timers, HA subscription.
      assert.equal(app.registry.hasDevice('alpha_dev'), false);
      assert.deepEqual(app.registry.devicesOf('alpha'), []);
      assert.equal(app.bus.listenerCount('notification'), baseListeners);
      assert.equal(app.bus.hasAction('alpha.go'), false);
      assert.deepEqual(app.rpc.offered(), {});
      const t = ticks;
      await new Promise((r) => setTimeout(r, 60));
      assert.equal(ticks, t, 'the interval was cleared');
      await ha.waitFor((m) => m.msg.type === 'unsubscribe_events');
      // Its device shows offline in HA (the retained discovery stays for the restart).
      await until(
        () =>
          rec.messages.some(
            (m) => m.topic === 'monitor/ctxstop/alpha_dev/availability' && m.payload === 'offline',
          ),
        3000,
        'offline',
      );
      // A command for it reaches nobody (no handler left), without error.
      await rec.client.publishAsync('monitor/ctxstop/alpha_dev/go/set', 'PRESS');
    } finally {
      await app.stop();
      await rec.close();
      tcp.server.close();
    }
  });

  test('a module touches only its own devices and methods', async () => {
    const errors: string[] = [];
    const owner: ModuleFactory<unknown> = (ctx) => ({
      async start() {
        ctx.entities.declare({ device: { id: 'owned', name: 'Owned' }, entities: [sensor('v', 'V')] });
        ctx.rpc.register('owned_method', async () => 1);
      },
      async stop() {},
    });
    const intruder: ModuleFactory<unknown> = (ctx) => ({
      async start() {
        await new Promise((r) => setTimeout(r, 50));
        const attempts: Array<[string, () => unknown]> = [
          ['declare', () => ctx.entities.declare({ device: { id: 'owned', name: 'X' }, entities: [] })],
          ['update', () => ctx.entities.update('owned', { v: 666 })],
          ['availability', () => ctx.entities.setAvailability('owned', false)],
          ['remove', () => ctx.entities.remove('owned')],
          ['keep', () => ctx.entities.keepDevice('owned')],
          ['rpc', () => ctx.rpc.register('owned_method', async () => 2)],
        ];
        for (const [what, f] of attempts) {
          try {
            f();
            errors.push(`${what}: allowed`);
          } catch (err) {
            errors.push(`${what}: ${(err as Error).message}`);
          }
        }
      },
      async stop() {},
    });
    const app = appWith('ctxown', { owner, intruder });
    try {
      await app.start();
      assert.equal(errors.length, 6, errors.join('\n'));
      for (const e of errors) assert.doesNotMatch(e, /allowed/);
      assert.match(errors[0] as string, /belongs to owner/);
      assert.match(errors[5] as string, /already offered by owner/);
      assert.equal(app.registry.hasDevice('owned'), true);
      assert.deepEqual(app.rpc.offered(), { owned_method: 'owner' });
    } finally {
      await app.stop();
    }
  });

  test('a throw from a socket callback and from a timer restarts that module; the process and another module stay up', async () => {
    const tcp = await peer();
    const starts = { sock: 0, timer: 0, steady: 0 };
    const sock: ModuleFactory<unknown> = (ctx) => ({
      async start() {
        starts.sock++;
        const s = ctx.track((await import('node:net')).connect(tcp.port, '127.0.0.1'));
        s.on('error', () => {});
        // A malformed message from the peer: the parser throws inside the socket callback.
        s.on(
          'data',
          ctx.isolate((d: Buffer) => {
            JSON.parse(d.toString()).field.deeper;
          }, 'peer message'),
        );
      },
      async stop() {},
    });
    const timer: ModuleFactory<unknown> = (ctx) => ({
      async start() {
        starts.timer++;
        if (starts.timer === 1)
          ctx.timers.setTimeout(() => {
            throw new Error('timer blew up');
          }, 20);
      },
      async stop() {},
    });
    const steady: ModuleFactory<unknown> = (ctx) => ({
      async start() {
        starts.steady++;
        ctx.rpc.register('steady_ping', async () => 'pong');
      },
      async stop() {},
    });
    const app = appWith('ctxiso', { sock, timer, steady });
    const rec = await Recorder.open(broker.url, ['monitor/ctxiso/rpc/#']);
    try {
      await app.start();
      await until(() => tcp.sockets.size === 1, 3000, 'the socket');
      for (const s of tcp.sockets) s.write('{"field": null}');
      await until(() => starts.sock >= 2, 5000, 'the sock module restarted');
      await until(() => starts.timer >= 2, 5000, 'the timer module restarted');
      await until(() => app.supervisor.statuses().sock?.state === 'ok', 5000, 'sock ok');
      assert.equal(starts.steady, 1, 'the other module never restarted');
      assert.equal(app.supervisor.statuses().steady?.state, 'ok');
      await rec.client.publishAsync('monitor/ctxiso/rpc/steady_ping', rpcRequest('steady_ping', {}));
      const reply = JSON.parse((await rec.topic('monitor/ctxiso/rpc/steady_ping/reply')).payload);
      assert.equal(reply.result, 'pong');
      // The restarted socket module has one socket again, the first one was closed.
      await until(() => tcp.sockets.size === 1, 3000, 'one socket');
    } finally {
      await app.stop();
      await rec.close();
      tcp.server.close();
    }
  });

  test('per-entity availability without building core topics', async () => {
    let c: ModuleContext<unknown> | undefined;
    const m: ModuleFactory<unknown> = (ctx) => ({
      async start() {
        c = ctx;
        ctx.entities.declare({
          device: { id: 'pr', name: 'Printer' },
          entities: [
            sensor('power', 'Power', { availability: 'instance' }),
            sensor('nozzle', 'Nozzle', { availability: 'own' }),
          ],
        });
      },
      async stop() {},
    });
    const app = appWith('ctxav', { m });
    const rec = await Recorder.open(broker.url, ['monitor/ctxav/#', 'homeassistant/sensor/ctxav_pr/#']);
    try {
      await app.start();
      const power = JSON.parse((await rec.topic('homeassistant/sensor/ctxav_pr/power/config')).payload);
      assert.deepEqual(
        power.availability.map((a: { topic: string }) => a.topic),
        ['monitor/ctxav/status'],
      );
      const nozzle = JSON.parse((await rec.topic('homeassistant/sensor/ctxav_pr/nozzle/config')).payload);
      assert.deepEqual(
        nozzle.availability.map((a: { topic: string }) => a.topic),
        ['monitor/ctxav/status', 'monitor/ctxav/pr/availability', 'monitor/ctxav/pr/nozzle/availability'],
      );
      c?.entities.setEntityAvailability('pr', 'nozzle', false);
      assert.equal((await rec.topic('monitor/ctxav/pr/nozzle/availability')).payload, 'offline');
    } finally {
      await app.stop();
      await rec.close();
    }
  });
});
