/**
 * The parts of a module context that need no App (core/context.ts `ModuleResources`): isolated
 * callbacks (sync throw and rejected promise → fail() with the module's name in the log, no-op
 * after release), timers cleared on release, sleep() answering false at once, tracked
 * resources closed last first, the signal aborted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ModuleResources } from '../../addon/src/core/context.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'monitor-res-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function resources() {
  const failures: string[] = [];
  const lines: string[] = [];
  const log = new LoggerRoot({ level: 'debug', timestamps: false, sink: { write: (l) => lines.push(l) } });
  const r = new ModuleResources({
    name: 'printers',
    log: log.logger('printers'),
    dataDir: join(dir, `m${Math.random().toString(16).slice(2, 8)}`),
    fail: (e) => failures.push(e.message),
  });
  return { r, failures, lines };
}

describe('ModuleResources', () => {
  test('isolate: a throw and a rejection reach fail() and the log names the module; nothing after release', async () => {
    const { r, failures, lines } = resources();
    const { isolate } = r.parts();
    assert.doesNotThrow(() =>
      isolate(() => {
        throw new Error('bad frame');
      }, 'websocket message')(),
    );
    isolate(async () => {
      throw new Error('bad poll');
    }, 'poll')();
    await new Promise((res) => setImmediate(res));
    assert.deepEqual(failures, ['bad frame', 'bad poll']);
    assert.ok(
      lines.some((l) =>
        /module printers: websocket message failed, restarting the module: bad frame/.test(l),
      ),
    );
    await r.release();
    let ran = false;
    isolate(() => {
      ran = true;
    })();
    assert.equal(ran, false);
  });

  test('timers run isolated and are cleared on release; sleep() answers false at once', async () => {
    const { r, failures } = resources();
    const { timers, signal } = r.parts();
    let ticks = 0;
    timers.setInterval(() => void ticks++, 5);
    timers.setTimeout(() => {
      throw new Error('timer threw');
    }, 5);
    assert.equal(await timers.sleep(30), true);
    assert.ok(ticks > 0);
    assert.deepEqual(failures, ['timer threw']);
    const sleeping = timers.sleep(60_000);
    const t0 = Date.now();
    await r.release();
    assert.equal(await sleeping, false);
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(signal.aborted, true);
    const n = ticks;
    await new Promise((res) => setTimeout(res, 30));
    assert.equal(ticks, n);
    assert.equal(await timers.sleep(10), false, 'after release');
  });

  test('track: close(), destroy(), end() or a function, last first; a throwing one does not stop the others', async () => {
    const { r } = resources();
    const order: string[] = [];
    r.track({ close: () => order.push('close') });
    r.track({ destroy: () => order.push('destroy') });
    r.track(() => {
      throw new Error('already closed');
    });
    r.track({ end: async () => void order.push('end') });
    r.track(() => order.push('fn'));
    await r.release();
    assert.deepEqual(order, ['fn', 'end', 'destroy', 'close']);
    // Tracked after release: closed at once.
    let late = false;
    r.track(() => {
      late = true;
    });
    await new Promise((res) => setImmediate(res));
    assert.equal(late, true);
  });
});
