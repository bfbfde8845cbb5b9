// Runs every test suite with Node's built-in test runner (TypeScript through tsx).
// Node 20's `--test` does not expand globs, so the files are listed here.
// Usage: node test/run.mjs [substring…]   (only files whose path contains one of the substrings)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk('test')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test file matched');
  process.exit(1);
}
// One file at a time by default: on a 2-core machine two files with real peers (HA, Chromium,
// ptys) racing for the CPU made timing-bound tests flaky; TEST_CONCURRENCY=2 is faster.
const concurrency = process.env.TEST_CONCURRENCY ?? '1';
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...files],
  { stdio: 'inherit', env: { ...process.env, MONITOR_LOG_LEVEL: process.env.MONITOR_LOG_LEVEL ?? 'silent' } },
);
process.exit(res.status ?? 1);
