/**
 * Tests that run the real CLI (`node bin/monitor.js …`) need dist/monitor.js current.
 * `ensureBuilt()` rebuilds it (rollup, once, guarded by a lock directory so that test files
 * running in parallel do not build twice) when any source under addon/src is newer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const BIN = join(ROOT, 'bin/monitor.js');
const DIST = join(ROOT, 'dist/monitor.js');
const LOCK = join(ROOT, 'dist/.build-lock');

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

function stale(): boolean {
  if (!existsSync(DIST)) return true;
  const built = statSync(DIST).mtimeMs;
  return (
    newest(join(ROOT, 'addon/src')) > built ||
    statSync(join(ROOT, 'package.json')).mtimeMs > built ||
    statSync(join(ROOT, 'rollup.config.mjs')).mtimeMs > built
  );
}

export async function ensureBuilt(): Promise<void> {
  if (!stale()) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another test file is building; wait for it, then check again.
      if (Date.now() > deadline) throw new Error('timed out waiting for the build lock');
      await new Promise((r) => setTimeout(r, 200));
      if (!existsSync(LOCK) && !stale()) return;
    }
  }
  try {
    if (!stale()) return;
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/rollup/dist/bin/rollup'), '-c', '--silent'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(`build failed:\n${r.stderr}${r.stdout}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
