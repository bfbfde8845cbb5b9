import { docsUrl, PREFIX } from './const.js';
import { languageOf, localize, type TranslationKey } from './i18n.js';

/** Defines an element once (a second copy of the bundle on the page must not throw). */
export function defineElement(name: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, ctor);
}

/**
 * Defines a card's element and lists it in HA's card picker (`window.customCards`) with a live
 * preview, its name and description in the page's language and its documentation
 * (docs/cards.md#<tag without the prefix>). One place for what each card did its own way.
 */
export function defineCard(
  tag: string,
  ctor: CustomElementConstructor,
  name: TranslationKey,
  description: TranslationKey,
): void {
  defineElement(tag, ctor);
  const lang = languageOf({ language: document.documentElement.lang || navigator.language });
  window.customCards = window.customCards ?? [];
  if (window.customCards.some((c) => c.type === tag)) return;
  window.customCards.push({
    type: tag,
    name: localize(lang, name),
    description: localize(lang, description),
    preview: true,
    documentationURL: docsUrl(tag.slice(PREFIX.length + 1)),
  });
}
