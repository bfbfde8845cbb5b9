/**
 * The feature modules this build offers, by config section. A module runs when its section is
 * present in the configuration. Each module adds one line here.
 *
 * Each factory imports its module when it is first called: a process configured with `linky`
 * alone never parses the SMS, printer or alarm code (in the bundle, each module is a chunk of
 * its own, loaded on demand; bench/linky-live.ts measures what it saves).
 */
import type { ModuleContext, ModuleFactory, MonitorModule } from '../core/module.js';

/** A factory that loads its module's code on first use; `C` is the section's config type. */
function lazy<C>(load: () => Promise<(ctx: ModuleContext<C>) => MonitorModule>): ModuleFactory<C> {
  return async (ctx) => (await load())(ctx);
}

// biome-ignore lint/suspicious/noExplicitAny: each factory checks its own section type.
export const MODULES: Record<string, ModuleFactory<any>> = {
  sms: lazy(async () => (await import('./sms/index.js')).create),
  linky: lazy(async () => (await import('./linky/module.js')).create),
  printers: lazy(async () => (await import('./printers/index.js')).createPrinters),
  users: lazy(async () => (await import('./users/index.js')).create),
  alarm: lazy(async () => (await import('./alarm/index.js')).create),
  bridge: lazy(async () => (await import('./bridge/module.js')).create),
};

/** The module sections of the schema; one without a module in this build is reported, then ignored. */
export const RESERVED_SECTIONS = ['sms', 'linky', 'printers', 'users', 'alarm', 'bridge'] as const;
