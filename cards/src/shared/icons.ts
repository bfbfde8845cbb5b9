/**
 * The Material Design Icons (Pictogrammers, Apache-2.0) the cards draw themselves: the
 * icon-only buttons (keypad, plan zoom), printer commands and placeholder, and the alarm's
 * generic shield outside HA. Only the paths
 * imported here end up in the bundle. An entity's own icon is HA's to draw (`ha-state-icon`,
 * which follows the entity's icon and HA's icon translations): the plan's markers and the alarm's
 * state use it, and a generic icon where HA's icon elements are missing (outside HA) — no icon
 * table per domain, device class and state in the bundle (~2.5 KB gzip, bench/cards-bundle.ts).
 * The alarm's mode buttons, which carry their text too, take HA's `ha-icon` likewise.
 */
import {
  mdiBackspaceOutline,
  mdiCircleMedium,
  mdiCrosshairsGps,
  mdiFitToScreenOutline,
  mdiMagnifyMinusOutline,
  mdiMagnifyPlusOutline,
  mdiPause,
  mdiPlay,
  mdiPrinter3d,
  mdiSecurity,
  mdiStop,
} from '@mdi/js';
import { html, svg } from 'lit';

export const ICONS = {
  'backspace-outline': mdiBackspaceOutline,
  'circle-medium': mdiCircleMedium,
  'crosshairs-gps': mdiCrosshairsGps,
  'fit-to-screen-outline': mdiFitToScreenOutline,
  'magnify-minus-outline': mdiMagnifyMinusOutline,
  'magnify-plus-outline': mdiMagnifyPlusOutline,
  pause: mdiPause,
  play: mdiPlay,
  'printer-3d': mdiPrinter3d,
  security: mdiSecurity,
  stop: mdiStop,
} as const;

export type IconName = keyof typeof ICONS;

/** Path of `mdi:name` when bundled, else undefined. */
export function iconPath(icon: string | undefined): string | undefined {
  if (!icon?.startsWith('mdi:')) return undefined;
  const name = icon.slice(4);
  return Object.hasOwn(ICONS, name) ? ICONS[name as IconName] : undefined;
}

/** A bundled icon as inline SVG (colour from `currentColor`, size from `--mdc-icon-size`). */
export function svgIcon(name: IconName) {
  return html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">${svg`<path d=${ICONS[name]}></path>`}</svg>`;
}

/**
 * Whether HA's icon elements (`ha-state-icon`, `ha-icon`) are on the page, i.e. inside HA. When
 * they are not yet (HA loads them with the parts of its frontend that use them, possibly after a
 * card's first render), `onDefined` runs once they are.
 */
export function haIconsReady(onDefined: () => void): boolean {
  const names = ['ha-state-icon', 'ha-icon'];
  if (names.every((n) => customElements.get(n))) return true;
  void Promise.all(names.map((n) => customElements.whenDefined(n))).then(onDefined);
  return false;
}
