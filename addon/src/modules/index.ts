/**
 * The feature modules this build offers, by config section. A module runs when its section is
 * present in the configuration. Each module adds one line here.
 */
import type { ModuleFactory } from '../core/module.js';
import { create as createAlarm } from './alarm/index.js';
import { create as createBridge } from './bridge/module.js';
import { create as createLinky } from './linky/module.js';
import { createPrinters } from './printers/index.js';
import { create as createSms } from './sms/index.js';
import { create as createUsers } from './users/index.js';

// biome-ignore lint/suspicious/noExplicitAny: each factory checks its own section type.
export const MODULES: Record<string, ModuleFactory<any>> = {
  sms: createSms,
  linky: createLinky,
  printers: createPrinters,
  users: createUsers,
  alarm: createAlarm,
  bridge: createBridge,
};

/** The module sections of the schema; one without a module in this build is reported, then ignored. */
export const RESERVED_SECTIONS = ['sms', 'linky', 'printers', 'users', 'alarm', 'bridge'] as const;
