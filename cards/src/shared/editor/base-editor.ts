/**
 * Base of the cards' visual editors. The editor keeps the raw config it was given (so keys it
 * does not show survive a round trip), changes one path at a time and announces every change
 * with `config-changed`, as HA's card editor dialog expects.
 */
import { LitElement, type PropertyDeclarations } from 'lit';
import { fireEvent } from '../fire-event.js';
import { haText, languageOf, localize, type TranslationKey } from '../i18n.js';
import type { HomeAssistant, LovelaceCardEditor } from '../types.js';

export type Path = readonly (string | number)[];

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  return typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0;
}

/** Immutable set at a path; an empty value (undefined, '', {}) removes the key instead. */
export function setIn(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...root] : [];
    const next = setIn(arr[head], rest, value);
    if (next === undefined) arr.splice(head, 1);
    else arr[head] = next;
    return arr;
  }
  const obj: Record<string, unknown> =
    typeof root === 'object' && root !== null && !Array.isArray(root) ? { ...(root as object) } : {};
  const next = setIn(obj[head], rest, value);
  if (isEmpty(next)) delete obj[head];
  else obj[head] = next;
  return obj;
}

export function getIn(root: unknown, path: Path): unknown {
  let cur = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

export abstract class MonitorBaseEditor<C extends object> extends LitElement implements LovelaceCardEditor {
  static override properties: PropertyDeclarations = { hass: { attribute: false }, config: { state: true } };
  hass?: HomeAssistant;
  protected config?: C;

  setConfig(config: unknown): void {
    this.config = structuredClone(config) as C;
  }

  protected t(key: TranslationKey, params?: Record<string, string | number>): string {
    return localize(languageOf(this.hass), key, params);
  }

  /** HA's own text (`haText`): field names and buttons HA's editors already translate. */
  protected ha(key: string): string {
    return haText(this.hass, key);
  }

  /** The name HA's card editors give a common field (title, name, entity, icon, tap_action…). */
  protected fieldName(name: string): string {
    return haText(this.hass, `ui.panel.lovelace.editor.card.generic.${name}`);
  }

  protected commit(next: C): void {
    this.config = next;
    fireEvent(this, 'config-changed', { config: next });
  }

  protected set(path: Path, value: unknown): void {
    this.commit(setIn(this.config ?? {}, path, value) as C);
  }

  protected get(path: Path): unknown {
    return getIn(this.config, path);
  }

  /** Entity ids known to HA, optionally of some domains (for the pickers' suggestions). */
  protected entityIds(domains?: readonly string[]): string[] {
    const ids = Object.keys(this.hass?.states ?? {});
    return (domains ? ids.filter((id) => domains.includes(id.split('.')[0] as string)) : ids).sort();
  }
}
