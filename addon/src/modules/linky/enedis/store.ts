/**
 * What has been fetched from Enedis, per PRM, kept in `<dataDir>/enedis-<prm>.json`: daily
 * totals, complete days of hourly energy, daily maximum power, days that failed (retried on
 * the next sync, never skipped), and the Tempo colour the meter announced each day (for costs).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DayHours } from './stats.js';

export interface PrmStore {
  daily: Record<string, number>;
  hourly: Record<string, DayHours>;
  prodDaily: Record<string, number>;
  prodHourly: Record<string, DayHours>;
  maxPower: Record<string, { va: number; at: string }>;
  /** Day → last error for that day. */
  failed: Record<string, string>;
  /** Enedis has nothing before this day (meter activation, 12-month history limit). */
  noDataBefore?: string;
  lastSync?: string;
}

export const emptyStore = (): PrmStore => ({
  daily: {},
  hourly: {},
  prodDaily: {},
  prodHourly: {},
  maxPower: {},
  failed: {},
});

export function storeFile(dataDir: string, prm: string): string {
  return join(dataDir, `enedis-${prm}.json`);
}

export function loadStore(dataDir: string, prm: string): PrmStore {
  try {
    return { ...emptyStore(), ...JSON.parse(readFileSync(storeFile(dataDir, prm), 'utf8')) };
  } catch {
    return emptyStore();
  }
}

/** Written to a temporary file then renamed: a crash never leaves half a file. */
export function saveStore(dataDir: string, prm: string, s: PrmStore): void {
  const f = storeFile(dataDir, prm);
  writeFileSync(`${f}.tmp`, JSON.stringify(s));
  renameSync(`${f}.tmp`, f);
}

export function loadTempo(dataDir: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'tempo-days.json'), 'utf8'));
  } catch {
    return {};
  }
}

export function saveTempo(dataDir: string, tempo: Record<string, string>): void {
  writeFileSync(join(dataDir, 'tempo-days.json'), JSON.stringify(tempo));
}
