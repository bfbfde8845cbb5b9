/**
 * For tests that build a ModuleContext by hand (a stub registry, no App): the context's store,
 * timers, track, isolate and signal, as the App gives them (core/context.ts). Call `release()`
 * at the end of the test as the supervisor would after `stop()`.
 */
import { ModuleResources } from '../../addon/src/core/context.js';
import type { Logger } from '../../addon/src/core/logger.js';

export function moduleResources(
  name: string,
  dataDir: string,
  log: Logger,
  fail: (err: Error) => void = () => {},
): ModuleResources {
  return new ModuleResources({ name, dataDir, log, fail });
}
