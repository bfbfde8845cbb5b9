/**
 * What has been fetched from Enedis, per PRM, kept in the durable store (`linky-enedis-<prm>`,
 * see ../persist.ts): daily totals, complete days of hourly energy, daily maximum power, days
 * that failed (retried on the next sync, never skipped).
 */
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
