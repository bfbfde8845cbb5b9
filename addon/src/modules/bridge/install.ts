/**
 * Copies the monitor_bridge integration shipped with Monitor into Home Assistant's
 * `custom_components/` when the installed copy is missing or older (manifest versions), never
 * over a newer one. The copy is staged beside the target and swapped in with renames, so that
 * Home Assistant never loads a half-written integration.
 */
import { cpSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DOMAIN = 'monitor_bridge';

/** The shipped integration: `custom_components_bridge/monitor_bridge` above this file or the bundle. */
export function findShippedIntegration(from: string = fileURLToPath(import.meta.url)): string | undefined {
  for (let dir = dirname(from); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'custom_components_bridge', DOMAIN);
    if (existsSync(join(candidate, 'manifest.json'))) return candidate;
  }
  return undefined;
}

export function manifestVersion(dir: string): string | undefined {
  try {
    const v = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Compares dotted numeric versions ("0.10.0" > "0.9.3"); a pre-release suffix is ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) =>
    v
      .split(/[-+]/)[0]
      ?.split('.')
      .map((n) => Number.parseInt(n, 10) || 0) ?? [];
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export type InstallOutcome =
  | { action: 'installed' | 'updated'; version: string; previous?: string; path: string }
  | { action: 'current' | 'newer_installed'; version: string; installed: string; path: string };

export function installIntegration(source: string, configDir: string): InstallOutcome {
  const version = manifestVersion(source);
  if (!version) throw new Error(`no version in ${join(source, 'manifest.json')}`);
  const target = join(configDir, 'custom_components', DOMAIN);
  const installed = existsSync(target) ? manifestVersion(target) : undefined;
  if (installed !== undefined) {
    const cmp = compareVersions(installed, version);
    if (cmp === 0) return { action: 'current', version, installed, path: target };
    if (cmp > 0) return { action: 'newer_installed', version, installed, path: target };
  }
  const staged = `${target}.new-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  rmSync(staged, { recursive: true, force: true });
  cpSync(source, staged, {
    recursive: true,
    filter: (src) => basename(src) !== '__pycache__' && !src.endsWith('.pyc'),
  });
  if (existsSync(target)) renameSync(target, old);
  renameSync(staged, target);
  rmSync(old, { recursive: true, force: true });
  return installed === undefined
    ? { action: 'installed', version, path: target }
    : { action: 'updated', version, previous: installed, path: target };
}
