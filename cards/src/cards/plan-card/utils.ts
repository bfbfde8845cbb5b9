/**
 * Pure plan geometry and state mapping (no DOM): plan box, marker positions, zoom and pan
 * maths, and the declarative state → class / fill of rooms.
 */

import { stateKind } from '../../shared/state.js';
import type { HassEntity } from '../../shared/types.js';

export interface PlanBox {
  minX: number;
  minY: number;
  width: number;
  height: number;
}

/** Zoom `k` ≥ 1 and translation as fractions of the viewport (resize-proof). */
export interface View {
  k: number;
  fx: number;
  fy: number;
}

export const IDENTITY_VIEW: View = { k: 1, fx: 0, fy: 0 };

/** Marker position in % of the plan box, clamped inside it. */
export function percentPosition(box: PlanBox, x: number, y: number): { left: number; top: number } {
  const left = ((x - box.minX) / box.width) * 100;
  const top = ((y - box.minY) / box.height) * 100;
  return { left: Math.min(100, Math.max(0, left)), top: Math.min(100, Math.max(0, top)) };
}

/** Plan coordinates of a point given in fractions (0..1) of the displayed, possibly zoomed plan. */
export function planPoint(box: PlanBox, view: View, u: number, v: number): { x: number; y: number } {
  const pu = (u - view.fx) / view.k;
  const pv = (v - view.fy) / view.k;
  return { x: box.minX + pu * box.width, y: box.minY + pv * box.height };
}

/** Keeps the zoom in [1, maxZoom] and the plan covering the whole viewport. */
export function clampView(view: View, maxZoom: number): View {
  const k = Math.min(maxZoom, Math.max(1, view.k));
  const min = 1 - k;
  return { k, fx: Math.min(0, Math.max(min, view.fx)), fy: Math.min(0, Math.max(min, view.fy)) };
}

/** Zooms by `factor` keeping the point (u, v) (fractions of the viewport) under the pointer. */
export function zoomAt(view: View, factor: number, u: number, v: number, maxZoom: number): View {
  const k = Math.min(maxZoom, Math.max(1, view.k * factor));
  const r = k / view.k;
  return clampView({ k, fx: u - (u - view.fx) * r, fy: v - (v - view.fy) * r }, maxZoom);
}

export function panBy(view: View, du: number, dv: number, maxZoom: number): View {
  return clampView({ k: view.k, fx: view.fx + du, fy: view.fy + dv }, maxZoom);
}

export function viewTransform(view: View): string {
  return `translate(${(view.fx * 100).toFixed(4)}%, ${(view.fy * 100).toFixed(4)}%) scale(${view.k.toFixed(4)})`;
}

/** SVG sources are inlined (rooms can be bound); anything else is shown as an <img>. */
export function isSvgSource(url: string): boolean {
  return /^data:image\/svg\+xml[,;]/i.test(url) || /\.svgz?(?:[?#]|$)/i.test(url) || url === 'monitor:sample';
}

/** Web addresses only: `/local/…`, relative paths, http(s) and data:image URLs. */
export function isSafeImageUrl(url: string): boolean {
  const u = url.trim();
  if (u === 'monitor:sample') return true;
  if (/^data:image\//i.test(u)) return true;
  if (/^[a-z][a-z0-9+.-]*:/i.test(u)) return /^https?:/i.test(u);
  return u.length > 0;
}

const CLASS_NAME = /^-?[_a-zA-Z][_a-zA-Z0-9-]*$/;

export function isClassList(text: string): boolean {
  const parts = text.trim().split(/\s+/);
  return parts.length > 0 && parts.every((c) => CLASS_NAME.test(c));
}

/**
 * A fill colour: a theme variable, a hex colour, a colour function or a colour name. No `url()`,
 * no `;`: the value is set with `style.setProperty` and can only ever be a colour.
 */
export function isSafeColour(text: string): boolean {
  const t = text.trim();
  if (/url\(|;|[{}<>\\]/i.test(t)) return false;
  return (
    /^var\(--[a-zA-Z0-9_-]+(?:,\s*[^()]*(?:\([^()]*\))?[^()]*)?\)$/.test(t) ||
    /^#[0-9a-f]{3,8}$/i.test(t) ||
    /^(?:rgb|rgba|hsl|hsla|color-mix)\([a-z0-9\s,.%#-]+\)$/i.test(t) ||
    /^[a-z]+$/i.test(t)
  );
}

export interface RoomLike {
  classes?: Record<string, string>;
  fills?: Record<string, string>;
}

/** Looks a state up in a map: exact state, then its kind (active…), then `default`. */
export function lookupByState(
  map: Record<string, string> | undefined,
  stateObj: HassEntity | undefined,
): string | undefined {
  if (!map) return undefined;
  const kind = stateKind(stateObj);
  const kindKey = kind === 'missing' ? 'unavailable' : kind;
  if (stateObj && Object.hasOwn(map, stateObj.state)) return map[stateObj.state];
  if (Object.hasOwn(map, kindKey)) return map[kindKey];
  return Object.hasOwn(map, 'default') ? map.default : undefined;
}

/**
 * Classes for a room element: always `monitor-room monitor-<kind>`, `monitor-auto` when the
 * room has no mapping of its own (the card's default highlight), plus the configured ones.
 */
export function roomAppearance(
  room: RoomLike,
  stateObj: HassEntity | undefined,
): { classes: string[]; fill?: string } {
  const kind = stateKind(stateObj);
  const classes = ['monitor-room', `monitor-${kind === 'missing' ? 'unavailable' : kind}`];
  // The built-in highlight applies only to rooms without their own classes or fills.
  if (!room.classes && !room.fills) classes.push('monitor-auto');
  const extra = lookupByState(room.classes, stateObj);
  if (extra) classes.push(...extra.trim().split(/\s+/));
  const fill = lookupByState(room.fills, stateObj);
  return fill === undefined ? { classes } : { classes, fill };
}
