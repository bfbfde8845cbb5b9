/**
 * The service runs without V8's optimising compiler unless MONITOR_JIT=optimizing (core/jit.ts:
 * ~4.4 MB of resident memory with one meter, bench/linky-live.ts). Checked in a child process
 * with V8's own optimisation status of a hot function.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { jitMode } from '../../addon/src/core/jit.js';

const CHILD = fileURLToPath(new URL('./jit-child.ts', import.meta.url));

function optimizedIn(mode: string): boolean {
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', CHILD, mode], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout).optimized;
}

test('lean unless MONITOR_JIT=optimizing', () => {
  assert.equal(jitMode({}), 'lean');
  assert.equal(jitMode({ MONITOR_JIT: 'fast' }), 'lean');
  assert.equal(jitMode({ MONITOR_JIT: 'optimizing' }), 'optimizing');
});

test('lean: a hot function is never optimised', () => {
  assert.equal(optimizedIn('lean'), false);
});

test('optimizing: the same function is optimised (the check can see it)', () => {
  assert.equal(optimizedIn('optimizing'), true);
});
