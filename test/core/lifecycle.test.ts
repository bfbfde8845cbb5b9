/** The event bus isolates listeners; the supervisor restarts failing modules with backoff. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Backoff } from '../../addon/src/core/backoff.js';
import { EventBus, type ModuleState } from '../../addon/src/core/bus.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import type { ModuleContext, MonitorModule } from '../../addon/src/core/module.js';
import { Supervisor } from '../../addon/src/core/supervisor.js';
import { pollUntil } from '../helpers/poll.js';

function logs() {
  const lines: string[] = [];
  const root = new LoggerRoot({ level: 'debug', timestamps: false, sink: { write: (l) => lines.push(l) } });
  return { root, lines };
}

const until = (pred: () => boolean, timeoutMs = 3000, what = 'condition') =>
  pollUntil(pred, timeoutMs, what, 5);

describe('event bus', () => {
  test('a throwing listener (sync or async) is logged; the other listeners still run', async () => {
    const { root, lines } = logs();
    const bus = new EventBus(root.logger('bus'));
    const got: string[] = [];
    bus.on('notification', () => {
      throw new Error('sync failure');
    });
    bus.on('notification', async () => {
      throw new Error('async failure');
    });
    bus.on('notification', (n) => void got.push(n.message));
    assert.doesNotThrow(() => bus.emit('notification', { source: 't', message: 'hello' }));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(got, ['hello']);
    assert.ok(lines.some((l) => /listener of notification failed: sync failure/.test(l)));
    assert.ok(lines.some((l) => /listener of notification failed: async failure/.test(l)));
  });

  test('on() returns an unsubscribe function', () => {
    const bus = new EventBus(logs().root.logger('bus'));
    let n = 0;
    const off = bus.on('haOnline', () => void n++);
    bus.emit('haOnline', {});
    off();
    bus.emit('haOnline', {});
    assert.equal(n, 1);
  });

  test('actions: call, unknown action, throwing handler, withdrawal only by its owner handler', async () => {
    const { root } = logs();
    const bus = new EventBus(root.logger('bus'));
    const off = bus.registerAction('alarm.arm_away', 'alarm', async (args, ctx) => ({
      ok: true,
      message: `armed by ${ctx.origin} ${String(args.user)}`,
    }));
    assert.deepEqual(
      await bus.callAction('alarm.arm_away', { user: 'ana' }, { origin: 'sms:+33600000000' }),
      {
        ok: true,
        message: 'armed by sms:+33600000000 ana',
      },
    );
    assert.equal((await bus.callAction('nope', {}, { origin: 'rpc' })).ok, false);
    bus.registerAction('x.fail', 'x', async () => {
      throw new Error('broken');
    });
    assert.deepEqual(await bus.callAction('x.fail', {}, { origin: 'rpc' }), { ok: false, message: 'broken' });
    assert.deepEqual(bus.listActions(), ['alarm.arm_away', 'x.fail']);
    off();
    assert.equal(bus.hasAction('alarm.arm_away'), false);
  });
});

describe('backoff', () => {
  test('grows exponentially and is capped; jitter only lowers it; reset starts over', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    assert.deepEqual(
      Array.from({ length: 7 }, () => b.next()),
      [100, 200, 400, 800, 1000, 1000, 1000],
    );
    b.reset();
    assert.equal(b.next(), 100);
    const j = new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.2, random: () => 1 });
    assert.equal(j.next(), 800);
  });
});

describe('supervisor', () => {
  interface Harness {
    sup: Supervisor;
    bus: EventBus;
    statuses: Array<{ module: string; state: ModuleState; error?: string }>;
    lines: string[];
  }

  function harness(opts = { restartInitialMs: 20, restartMaxMs: 80 }): Harness {
    const { root, lines } = logs();
    const bus = new EventBus(root.logger('bus'));
    const statuses: Harness['statuses'] = [];
    bus.on('moduleStatus', (s) => void statuses.push(s));
    const sup = new Supervisor(bus, root.logger('supervisor'), { ...opts, stableAfterMs: 10_000 });
    return { sup, bus, statuses, lines };
  }

  function add(h: Harness, name: string, make: (ctx: ModuleContext<unknown>) => MonitorModule): void {
    h.sup.add(name, make, (hooks) => ({ name, ...hooks }) as unknown as ModuleContext<unknown>);
  }

  test('factories that load their module on demand: a stop during the load starts nothing', async () => {
    const h = harness();
    let loaded: (m: MonitorModule) => void = () => {};
    let started = 0;
    h.sup.add(
      'slow',
      () => new Promise<MonitorModule>((resolve) => (loaded = resolve)),
      (hooks) => ({ name: 'slow', ...hooks }) as unknown as ModuleContext<unknown>,
    );
    const starting = h.sup.startAll();
    await h.sup.stopAll();
    loaded({ start: async () => void started++, stop: async () => {} });
    await starting;
    assert.equal(started, 0);
    assert.equal(h.sup.statuses().slow?.state, 'stopped');

    const h2 = harness();
    h2.sup.add(
      'lazy',
      async () => ({ start: async () => void started++, stop: async () => {} }),
      (hooks) => ({ name: 'lazy', ...hooks }) as unknown as ModuleContext<unknown>,
    );
    await h2.sup.startAll();
    assert.equal(started, 1);
    assert.equal(h2.sup.statuses().lazy?.state, 'ok');
    await h2.sup.stopAll();
  });

  test('a module whose start() throws is marked degraded, then error, and restarted with growing delays while the others run', async () => {
    const h = harness();
    const startTimes: number[] = [];
    let okRunning = false;
    add(h, 'flaky', () => ({
      start: async () => {
        startTimes.push(Date.now());
        if (startTimes.length < 6) throw new Error(`modem not found (${startTimes.length})`);
      },
      stop: async () => {},
    }));
    add(h, 'steady', () => ({
      start: async () => {
        okRunning = true;
      },
      stop: async () => {
        okRunning = false;
      },
    }));
    await h.sup.startAll();
    assert.equal(okRunning, true);
    await until(() => startTimes.length === 6, 5000, 'six starts');
    await until(() => h.sup.statuses().flaky?.state === 'ok', 1000, 'flaky ok');
    const flaky = h.statuses.filter((s) => s.module === 'flaky').map((s) => s.state);
    assert.deepEqual(flaky.slice(0, 2), ['starting', 'degraded']);
    assert.ok(flaky.includes('error'), `after repeated failures the module is in error: ${flaky.join(',')}`);
    assert.equal(flaky.at(-1), 'ok');
    assert.equal(h.statuses.find((s) => s.state === 'degraded')?.error, 'modem not found (1)');
    // The wait grows (20, 40, 80, 80, 80 ms with at most 20 % jitter) and is capped at 80 ms.
    const gaps = startTimes.slice(1).map((t, i) => t - (startTimes[i] as number));
    assert.ok((gaps[2] as number) > (gaps[0] as number), `gaps ${gaps.join(',')}`);
    assert.ok(
      gaps.every((g) => g < 400),
      `capped: ${gaps.join(',')}`,
    );
    assert.equal(h.sup.statuses().flaky?.restarts, 5);
    assert.equal(h.sup.statuses().steady?.state, 'ok');
    assert.equal(okRunning, true, 'the steady module was never touched');
    await h.sup.stopAll();
    assert.equal(okRunning, false);
    assert.ok(h.lines.some((l) => /module flaky failed, restart in/.test(l)));
  });

  test('a failure reported later through ctx.fail() stops the module and restarts it', async () => {
    const h = harness();
    let starts = 0;
    let stops = 0;
    let fail: ((e: Error) => void) | undefined;
    add(h, 'late', (ctx) => ({
      start: async () => {
        starts++;
        fail = ctx.fail;
      },
      stop: async () => {
        stops++;
      },
    }));
    await h.sup.startAll();
    fail?.(new Error('serial port vanished'));
    await until(() => starts === 2, 2000, 'the restart');
    assert.equal(stops, 1);
    assert.ok(h.statuses.some((s) => s.state === 'degraded' && s.error === 'serial port vanished'));
    // A stale context (from before the restart) can no longer fail the new instance.
    const stale = fail;
    await until(() => h.sup.statuses().late?.state === 'ok');
    await h.sup.stopAll();
    stale?.(new Error('ignored'));
    assert.equal(starts, 2);
  });

  test('setStatus marks a running module degraded and back to ok', async () => {
    const h = harness();
    let ctxRef: ModuleContext<unknown> | undefined;
    add(h, 'm', (ctx) => {
      ctxRef = ctx;
      return { start: async () => {}, stop: async () => {} };
    });
    await h.sup.startAll();
    ctxRef?.setStatus('degraded', 'meter silent');
    assert.deepEqual(h.sup.statuses().m, { state: 'degraded', detail: 'meter silent', restarts: 0 });
    ctxRef?.setStatus('ok');
    assert.equal(h.sup.statuses().m?.state, 'ok');
    await h.sup.stopAll();
    assert.equal(h.sup.statuses().m?.state, 'stopped');
  });

  test('a module that fails right after each start keeps backing off (backoff resets only once stable)', async () => {
    const h = harness({ restartInitialMs: 20, restartMaxMs: 10_000 });
    const times: number[] = [];
    add(h, 'bouncy', (ctx) => ({
      start: async () => {
        times.push(Date.now());
        setTimeout(() => ctx.fail(new Error('dies at once')), 1);
      },
      stop: async () => {},
    }));
    await h.sup.startAll();
    await until(() => times.length >= 5, 3000, 'five starts');
    await h.sup.stopAll();
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    // 20, 40, 80, 160 ms (less ≤ 20 % jitter), plus the same scheduling overhead each time:
    // were the backoff reset after each start, every gap would be ~20 ms.
    assert.ok((gaps[3] as number) - (gaps[0] as number) >= 80, `gaps ${gaps.join(',')}`);
  });

  test('a module whose stop() hangs does not block the others', async () => {
    const { root } = logs();
    const bus = new EventBus(root.logger('bus'));
    const sup = new Supervisor(bus, root.logger('s'), { stopTimeoutMs: 50 });
    let stopped = false;
    sup.add(
      'hang',
      () => ({ start: async () => {}, stop: () => new Promise(() => {}) }),
      (hooks) => ({ ...hooks }) as never,
    );
    sup.add(
      'fine',
      () => ({
        start: async () => {},
        stop: async () => {
          stopped = true;
        },
      }),
      (hooks) => ({ ...hooks }) as never,
    );
    await sup.startAll();
    const t0 = Date.now();
    await sup.stopAll();
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(stopped, true);
  });
});
