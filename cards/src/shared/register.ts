import type { CustomCardEntry } from './types.js';

/** Defines an element once (a second copy of the bundle on the page must not throw). */
export function defineElement(name: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, ctor);
}

/** Lists a card in HA's card picker (`window.customCards`), with a live preview. */
export function registerCustomCard(entry: Omit<CustomCardEntry, 'preview'>): void {
  window.customCards = window.customCards ?? [];
  if (window.customCards.some((c) => c.type === entry.type)) return;
  window.customCards.push({ ...entry, preview: true });
}
