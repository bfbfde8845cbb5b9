/**
 * Base of every Monitor card: validated config, `hass` kept outside Lit's reactivity so each
 * card decides what an update re-renders, and the user's language.
 */
import { LitElement, type PropertyDeclarations } from 'lit';
import { rememberHass } from './config-form.js';
import { type Lang, languageOf, localize, type TranslationKey } from './i18n.js';
import type { GridOptions, HomeAssistant, LovelaceCard } from './types.js';

export abstract class MonitorBaseCard<C> extends LitElement implements LovelaceCard {
  // Reactive properties are declared with `static properties`, not decorators, in every
  // element: esbuild wrote a decorator helper into each file and a call per property (0.6 KB
  // gzip of the bundle, bench/cards-bundle.ts).
  static override properties: PropertyDeclarations = { config: { state: true }, language: { state: true } };
  protected config?: C;
  protected language: Lang = 'en';
  protected _hass?: HomeAssistant;

  get hass(): HomeAssistant | undefined {
    return this._hass;
  }

  set hass(hass: HomeAssistant | undefined) {
    const old = this._hass;
    this._hass = hass;
    const lang = languageOf(hass);
    if (hass) rememberHass(hass);
    if (lang !== this.language) this.language = lang;
    if (hass) this.hassChanged(old, hass);
  }

  /**
   * HA detaches and re-attaches cards (edit mode, view changes): render again on return so
   * listeners and timers released on disconnect come back.
   */
  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.requestUpdate();
  }

  /** Default: re-render when any entity the card watches changed (same object means same state). */
  protected hassChanged(old: HomeAssistant | undefined, hass: HomeAssistant): void {
    if (!old || this.watchedEntities().some((id) => old.states[id] !== hass.states[id])) {
      this.requestUpdate();
    }
  }

  protected watchedEntities(): string[] {
    return [];
  }

  /** Throws a `ConfigError` with a clear `path: problem` message; HA shows it as an error card. */
  setConfig(config: unknown): void {
    this.config = this.readConfig(config);
  }

  protected abstract readConfig(config: unknown): C;

  abstract getCardSize(): number;
  abstract getGridOptions(): GridOptions;

  protected t(key: TranslationKey, params?: Record<string, string | number>): string {
    return localize(this.language, key, params);
  }
}
