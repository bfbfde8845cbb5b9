/**
 * `language: auto` inside the add-on: Home Assistant's own language (the one its user chose,
 * `get_config` → `language`), so that a French HA gets French entity names even though the
 * add-on's container has no French locale. Without HA, or when it does not answer in time,
 * the process locale decides (`resolveLang`).
 */
import type { Lang } from '../core/i18n.js';
import type { HaClient } from './websocket.js';

/** "fr", "fr-CA" → fr; any other language HA speaks → en (Monitor speaks these two). */
export function langOfHa(language: unknown): Lang | undefined {
  if (typeof language !== 'string' || language === '') return undefined;
  return language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** HA's language, or undefined when HA is not connected within `timeoutMs`. */
export async function haLanguage(ha: HaClient, timeoutMs: number): Promise<Lang | undefined> {
  try {
    await ha.ready(timeoutMs);
    const config = await ha.send<{ language?: unknown }>({ type: 'get_config' });
    return langOfHa(config.language);
  } catch {
    return undefined;
  }
}
