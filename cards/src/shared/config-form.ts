/**
 * HA's own card editor (`static getConfigForm()`): a schema of HA selectors that HA renders
 * with its `ha-form`, so entity, statistic, number and select fields look and behave exactly
 * like the rest of HA's editors. Cards whose config fits a flat form use it; only a config
 * that needs a custom interaction (placing markers on a plan, a list of printers each with
 * its own entity mapping) keeps a custom editor.
 */
import { type Lang, localize, type TranslationKey } from './i18n.js';

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
 * `getConfigForm()` is static and gets no `hass`, so the labels follow the language the
 * cards last saw in a `hass` object (set by every card and editor), then the page's language.
 */
let seenLanguage: Lang | undefined;

export function rememberLanguage(lang: Lang): void {
  seenLanguage = lang;
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
