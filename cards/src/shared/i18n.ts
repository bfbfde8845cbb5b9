/**
 * French and English, following the user's HA language (`hass.locale.language`, then
 * `hass.language`); any other language, and any missing French text, falls back to English.
 */
import { en, type TranslationKey } from '../translations/en.js';
import { fr } from '../translations/fr.js';
import type { HomeAssistant } from './types.js';

export type Lang = 'en' | 'fr';
export type { TranslationKey };
export type Translate = (key: TranslationKey, params?: Record<string, string | number>) => string;

export function languageOf(hass: Pick<HomeAssistant, 'locale' | 'language'> | undefined): Lang {
  const raw = hass?.locale?.language ?? hass?.language ?? 'en';
  return raw.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** Placeholders are `{name}`; values are inserted as text, never interpreted. */
export function localize(lang: Lang, key: TranslationKey, params?: Record<string, string | number>): string {
  const template = (lang === 'fr' ? fr[key] : undefined) ?? en[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : m,
  );
}

export function translator(lang: Lang): Translate {
  return (key, params) => localize(lang, key, params);
}

/**
 * A text Home Assistant's frontend already has (`ui.common.cancel`, the alarm panel's buttons,
 * the card editors' field names…), in the user's language, whatever it is: the cards do not ship
 * their own copy. Without `hass.localize` (a bare test page) or for a key this frontend lacks, the
 * key's last part, so a button is never blank.
 */
export function haText(hass: Pick<HomeAssistant, 'localize'> | undefined, key: string): string {
  return hass?.localize?.(key) || key.slice(key.lastIndexOf('.') + 1);
}

/** Whether a string is one of our keys (for keys built at run time, e.g. `state.${state}`). */
export function isKey(key: string): key is TranslationKey {
  return Object.hasOwn(en, key);
}
