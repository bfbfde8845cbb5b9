/**
 * French and English for every user-facing string (entity names, CLI messages, SMS replies).
 * Each module keeps its own dictionary; `en` is the fallback for a missing French string.
 */
export type Lang = 'en' | 'fr';
export type Dictionary = Record<string, string>;
export type Dictionaries = { en: Dictionary; fr: Partial<Dictionary> };

/** `auto` → French when the process locale is French, English otherwise. */
export function resolveLang(setting: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (setting === 'fr' || setting === 'en') return setting;
  const loc = env.MONITOR_LANG ?? env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG ?? '';
  return loc.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** Placeholders are `{name}`; values are inserted as text, never interpreted. */
export function translator(dicts: Dictionaries, lang: Lang): Translate {
  return (key, params) => {
    const template = (lang === 'fr' ? dicts.fr[key] : undefined) ?? dicts.en[key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (m, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : m,
    );
  };
}
