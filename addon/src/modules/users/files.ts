/** Where the registry lives and how it is opened, shared by the module and `monitor users`. */
import { join } from 'node:path';
import type { Lang } from '../../core/i18n.js';
import { translator } from '../../core/i18n.js';
import { dict } from './i18n.js';
import { checkRegistryDoc, type RegistryDoc, UserRegistry } from './registry.js';
import { AtomicJsonFile, type JsonStore } from './store.js';

export const REGISTRY_FILE = 'registry.json';

export function registryPath(file: string, dataDir: string): string {
  return file || join(dataDir, REGISTRY_FILE);
}

export function registryStore(path: string): JsonStore<RegistryDoc> {
  return new AtomicJsonFile(path, checkRegistryDoc);
}

export function openRegistry(
  store: JsonStore<RegistryDoc>,
  o: { minPinLength: number; defaultCountry: string; lang: Lang; now?: () => number },
): UserRegistry {
  return new UserRegistry(store, {
    minPinLength: o.minPinLength,
    defaultCountry: o.defaultCountry,
    t: translator(dict, o.lang),
    now: o.now,
  });
}
