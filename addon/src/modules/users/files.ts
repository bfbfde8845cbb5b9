/** Where the registry lives and how it is opened, shared by the module and `monitor users`. */
import { basename, dirname } from 'node:path';
import type { Lang } from '../../core/i18n.js';
import { translator } from '../../core/i18n.js';
import type { Logger } from '../../core/logger.js';
import { DurableStore, type StateFile } from '../../core/store.js';
import { dict } from './i18n.js';
import { isRegistryDoc, REGISTRY_VERSION, type RegistryDoc, UserRegistry } from './registry.js';

/** The registry's state file name in the users module's data directory. */
export const REGISTRY_NAME = 'registry';

export function registryFile(store: DurableStore): StateFile<RegistryDoc> {
  return store.state<RegistryDoc>(REGISTRY_NAME, { version: REGISTRY_VERSION, validate: isRegistryDoc });
}

/** The registry at `path` (`<dir>/<name>.json`) outside a running module (CLI, tests). */
export function registryStore(path: string, log: Logger): StateFile<RegistryDoc> {
  const store = new DurableStore(dirname(path), { log });
  return store.state<RegistryDoc>(basename(path, '.json'), {
    version: REGISTRY_VERSION,
    validate: isRegistryDoc,
  });
}

export function openRegistry(
  store: StateFile<RegistryDoc>,
  o: { minPinLength: number; defaultCountry: string; lang: Lang; now?: () => number },
): UserRegistry {
  return new UserRegistry(store, {
    minPinLength: o.minPinLength,
    defaultCountry: o.defaultCountry,
    t: translator(dict, o.lang),
    now: o.now,
  });
}
