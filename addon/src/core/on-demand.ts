/**
 * Packages kept out of the bundle and required, synchronously, the first time they are needed
 * (rollup.config.mjs, LOAD_ON_DEMAND): a process that never needs one never loads it. npm
 * installs them beside the bundle; the first call requires, later ones return the same module.
 */
import { createRequire } from 'node:module';

export function onDemand<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= createRequire(import.meta.url)(id) as T;
    return loaded;
  };
}
