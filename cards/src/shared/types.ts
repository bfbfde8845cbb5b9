/**
 * The slice of Home Assistant's frontend objects the cards read. HA passes a much richer
 * `hass` object; only what is declared here is used, and every optional member is checked
 * before use so the cards run on older HA releases and on the preview page's fake `hass`.
 */
export interface HassEntityAttributes {
  friendly_name?: string;
  unit_of_measurement?: string;
  icon?: string;
  device_class?: string;
  supported_features?: number;
  [key: string]: unknown;
}

export interface HassEntity {
  entity_id: string;
  state: string;
  attributes: HassEntityAttributes;
  last_changed: string;
  last_updated: string;
}

export type HassEntities = Record<string, HassEntity | undefined>;

export interface HomeAssistant {
  states: HassEntities;
  language?: string;
  locale?: { language?: string; number_format?: string };
  themes?: { darkMode?: boolean };
  user?: { name?: string; is_admin?: boolean };
  /** HA's general settings (currency since 2022.x). */
  config?: { currency?: string; time_zone?: string };
  /** `notifyOnError` (default true) makes HA show its own toast when the call fails. */
  callService(
    domain: string,
    service: string,
    data?: Record<string, unknown>,
    target?: Record<string, unknown>,
    notifyOnError?: boolean,
  ): Promise<unknown>;
  callWS?<T>(msg: Record<string, unknown>): Promise<T>;
  /** HA's own texts by key in the user's language; "" for a key it does not have. */
  localize?(key: string, ...args: unknown[]): string;
  /** HA ≥ 2023.9: the state as HA shows it (translated, with unit and display precision). */
  formatEntityState?(stateObj: HassEntity, state?: string): string;
}

/** What HA expects from a Lovelace card element. */
export interface LovelaceCard extends HTMLElement {
  hass?: HomeAssistant;
  setConfig(config: unknown): void;
  getCardSize(): number | Promise<number>;
}

/** Sections view sizing (HA ≥ 2024.11); `rows` omitted = automatic height. */
export interface GridOptions {
  columns?: number | 'full';
  rows?: number | 'auto';
  min_columns?: number;
  max_columns?: number;
  min_rows?: number;
  max_rows?: number;
}

export interface LovelaceCardEditor extends HTMLElement {
  hass?: HomeAssistant;
  setConfig(config: unknown): void;
}

/** One entry of `window.customCards`, read by HA's card picker. */
export interface CustomCardEntry {
  type: string;
  name: string;
  description: string;
  preview?: boolean;
  documentationURL?: string;
}

declare global {
  interface Window {
    customCards?: CustomCardEntry[];
  }
  interface HTMLElementEventMap {
    'config-changed': CustomEvent<{ config: unknown }>;
  }
}
