/**
 * The linky module's state on disk, all through the core's durable store (`ctx.store`:
 * atomic, fsynced, 0600 in a 0700 directory, versioned, a corrupt file reported and kept
 * aside): per meter the guard's baselines, the daily maximum and the learned shape; per PRM
 * what was fetched from Enedis; the Tempo colour of each day.
 *
 * Earlier versions wrote these files three different ways (`meter-<id>.json` overwritten in
 * place, `enedis-<prm>.json` by rename without fsync, `tempo-days.json` overwritten), and a
 * file that could not be read became an empty one without a word. Such a file is moved into
 * the store once; one that cannot be read is kept aside and reported like any corrupt file.
 */
import { readdirSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModuleContext } from '../../core/module.js';
import type { StateFile } from '../../core/store.js';

export type LoadOutcome<T> = { value: T | undefined; corrupt?: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Opens the state `name` (version 1) and loads it; when the store has none, a legacy file
 * `legacy` of an earlier version is moved in. Values that are not JSON objects are corrupt.
 */
export async function loadState<T extends object>(
  ctx: Pick<ModuleContext, 'store' | 'dataDir' | 'log'>,
  name: string,
  legacy: string,
): Promise<{ file: StateFile<T>; outcome: LoadOutcome<T> }> {
  const file = ctx.store.state<T>(name, { version: 1, validate: (v): v is T => isObject(v) });
  const r = await file.load();
  if (r.status === 'ok') return { file, outcome: { value: r.value } };
  if (r.status === 'corrupt')
    return { file, outcome: { value: undefined, corrupt: `${r.reason} (kept as ${r.movedTo})` } };
  const old = join(ctx.dataDir, legacy);
  let text: string;
  try {
    text = await readFile(old, 'utf8');
  } catch {
    return { file, outcome: { value: undefined } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {}
  if (!isObject(value)) {
    const movedTo = `${old}.corrupt-${Date.now()}`;
    await rename(old, movedTo).catch(() => {});
    ctx.log.error(() => `${legacy} is corrupt (not a JSON object): kept aside as ${movedTo}`);
    return { file, outcome: { value: undefined, corrupt: `not a JSON object (kept as ${movedTo})` } };
  }
  await file.save(value as T);
  await rm(old, { force: true });
  ctx.log.info(() => `${legacy} moved into the durable store (${name})`);
  return { file, outcome: { value: value as T } };
}

/** Meter ids with a state file, in the store (`linky-meter-<id>.json`) or of an earlier version. */
export function savedMeterFiles(dataDir: string): Array<{ meterId: string; file: string }> {
  let files: string[] = [];
  try {
    files = readdirSync(dataDir);
  } catch {
    return [];
  }
  const out: Array<{ meterId: string; file: string }> = [];
  for (const f of files) {
    const m = /^(?:linky-)?meter-(\w+)\.json$/.exec(f);
    if (m?.[1]) out.push({ meterId: m[1], file: f });
  }
  return out;
}

export const meterStateName = (meterId: string) => `linky-meter-${meterId.replace(/\W/g, '').toLowerCase()}`;
export const legacyMeterFile = (meterId: string) => `meter-${meterId.replace(/\W/g, '')}.json`;
export const enedisStateName = (prm: string) => `linky-enedis-${prm.replace(/\W/g, '').toLowerCase()}`;
export const legacyEnedisFile = (prm: string) => `enedis-${prm}.json`;
export const TEMPO_STATE = 'linky-tempo';
export const LEGACY_TEMPO_FILE = 'tempo-days.json';
