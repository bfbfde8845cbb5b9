/**
 * The users registry of a Monitor data directory, opened as the users module opens it, so that a
 * test or a bench adds its users before Monitor starts; and Alice, the alarm scenarios' user.
 */
import { join } from 'node:path';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { openRegistry, registryStore } from '../../addon/src/modules/users/files.js';
import type { UserRegistry } from '../../addon/src/modules/users/registry.js';

export function usersRegistryIn(dataDir: string): UserRegistry {
  const log = new LoggerRoot({ level: 'silent' }).logger('users');
  return openRegistry(registryStore(join(dataDir, 'users', 'registry.json'), log), {
    minPinLength: 4,
    defaultCountry: 'FR',
    lang: 'en',
  });
}

/** PIN 1234, duress PIN 9999 (disarms and raises the silent alert), badge 04A32B1C. */
export const ALICE_USER = { username: 'alice', pin: '1234', duress_pin: '9999', uid: '04A32B1C' };
