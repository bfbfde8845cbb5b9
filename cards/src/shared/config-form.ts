/**
 * HA's own card editor (`static getConfigForm()`): a schema of HA selectors that HA renders
 * with its `ha-form`, so entity, statistic, number and select fields look and behave exactly
 * like the rest of HA's editors. Cards whose config fits a flat form use it; only a config
 * that needs a custom interaction (placing markers on a plan, a list of printers each with
 * its own entity mapping) keeps a custom editor.
 */
import { type Lang, languageOf, localize, type TranslationKey } from './i18n.js';
import type { HomeAssistant } from './types.js';

/** The subset of HA's form schema the cards use (frontend `HaFormSchema`). */
export type FormSchema =
  | { name: string; required?: boolean; default?: unknown; selector: Record<string, unknown> }
  | { type: 'grid' | 'expandable'; name: string; title?: string; flatten?: boolean; schema: FormSchema[] };

export interface ConfigForm {
  schema: FormSchema[];
  computeLabel(schema: { name: string }): string | undefined;
  computeHelper?(schema: { name: string }): string | undefined;
  /** Throws on a config the form cannot represent: HA then switches the dialog to YAML. */
  assertConfig?(config: unknown): void;
}

/**
 * `getConfigForm()` is static and gets no `hass`, so the labels follow the `hass` the cards last
 * saw (set by every card: HA renders a card, in the dashboard or the picker's preview, before
 * its editor opens), then the page's language.
 */
let seenLanguage: Lang | undefined;
let seenHass: HomeAssistant | undefined;

export function rememberHass(hass: HomeAssistant): void {
  seenHass = hass;
  seenLanguage = languageOf(hass);
}

/** The `hass` a form's texts come from (HA's own texts through `haText`). */
export function formHass(): HomeAssistant | undefined {
  return seenHass;
}

export function formLanguage(): Lang {
  if (seenLanguage) return seenLanguage;
  const page = globalThis.document?.documentElement.lang || globalThis.navigator?.language || 'en';
  return page.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** A label from `editor.<name>`; names without a text fall back to HA's own label (undefined). */
export function formLabel(name: string, lang = formLanguage()): string | undefined {
  const key = `editor.${name}` as TranslationKey;
  const text = localize(lang, key);
  return text === key ? undefined : text;
}
