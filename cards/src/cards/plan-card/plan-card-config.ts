/**
 * Config of `monitor-plan-card`, validated in `setConfig`. Coordinates are plan units: the
 * SVG's viewBox, or the image's natural size in pixels, unless `width`/`height` say otherwise.
 */
import { type ActionsConfig, readActions } from '../../shared/actions.js';
import { fail, HA_CARD_KEYS, Reader } from '../../shared/validate.js';
import { MAX_MARKERS } from './const.js';
import { isClassList, isSafeColour, isSafeImageUrl, isSvgSource } from './utils.js';

export interface PlanMarkerConfig extends ActionsConfig {
  entity: string;
  x: number;
  y: number;
  icon?: string;
  label?: string;
  /** Default: shown for value entities (sensors…), hidden for on/off ones. */
  show_value?: boolean;
}

export interface PlanRoomConfig extends ActionsConfig {
  /** Id of the SVG element (a path, a rect, a group). */
  id: string;
  entity: string;
  /** State (or active / inactive / unavailable / unknown / value / default) → class names. */
  classes?: Record<string, string>;
  /** State (or kind, or default) → fill colour (theme variable, hex, rgb()…). */
  fills?: Record<string, string>;
}

export interface PlanCardConfig extends ActionsConfig {
  type: string;
  title?: string;
  image: string;
  width?: number;
  height?: number;
  zoom?: boolean;
  max_zoom?: number;
  marker_size?: number;
  show_values?: boolean;
  markers: PlanMarkerConfig[];
  rooms?: PlanRoomConfig[];
}

const ACTION_KEYS = ['tap_action', 'hold_action', 'double_tap_action'] as const;
const MARKER_KEYS = ['entity', 'x', 'y', 'icon', 'label', 'show_value', ...ACTION_KEYS];
const ROOM_KEYS = ['id', 'entity', 'classes', 'fills', ...ACTION_KEYS];
const CARD_KEYS = [
  ...HA_CARD_KEYS,
  'title',
  'image',
  'width',
  'height',
  'zoom',
  'max_zoom',
  'marker_size',
  'show_values',
  'markers',
  'rooms',
  ...ACTION_KEYS,
];

function readIcon(r: Reader): string | undefined {
  const icon = r.str('icon');
  if (icon !== undefined && !/^[a-z0-9-]+:[a-z0-9-]+$/.test(icon)) {
    fail(r.at('icon'), `expected an icon like mdi:lightbulb, got "${icon}"`);
  }
  return icon;
}

export function readMarker(value: unknown, path: string): PlanMarkerConfig {
  const r = Reader.of(value, path).only(MARKER_KEYS);
  const out: PlanMarkerConfig = {
    entity: r.reqEntity('entity'),
    x: r.reqNum('x'),
    y: r.reqNum('y'),
    ...readActions(r),
  };
  const icon = readIcon(r);
  if (icon !== undefined) out.icon = icon;
  const label = r.str('label');
  if (label !== undefined) out.label = label;
  const showValue = r.bool('show_value');
  if (showValue !== undefined) out.show_value = showValue;
  return out;
}

export function readRoom(value: unknown, path: string): PlanRoomConfig {
  const r = Reader.of(value, path).only(ROOM_KEYS);
  const id = r.reqStr('id');
  if (!/^[A-Za-z_][\w.:-]*$/.test(id)) fail(r.at('id'), `not a valid SVG element id: "${id}"`);
  const out: PlanRoomConfig = { id, entity: r.reqEntity('entity'), ...readActions(r) };
  const classes = r.textMap('classes', (v, p) => {
    if (!isClassList(v)) fail(p, `expected CSS class names separated by spaces, got "${v}"`);
  });
  if (classes) out.classes = classes;
  const fills = r.textMap('fills', (v, p) => {
    if (!isSafeColour(v)) fail(p, `expected a colour (var(--…), #hex, rgb(…), a name), got "${v}"`);
  });
  if (fills) out.fills = fills;
  return out;
}

export function readPlanConfig(value: unknown): PlanCardConfig {
  const r = Reader.of(value, '').only(CARD_KEYS);
  const image = r.reqStr('image').trim();
  if (!isSafeImageUrl(image)) fail('image', `expected /local/… or an http(s) address, got "${image}"`);
  const markers = r.list('markers', readMarker) ?? [];
  if (markers.length > MAX_MARKERS) fail('markers', `at most ${MAX_MARKERS} markers, got ${markers.length}`);
  const rooms = r.list('rooms', readRoom);
  if (rooms && rooms.length > 0 && !isSvgSource(image)) {
    fail('rooms', `rooms need an SVG plan (image ending in .svg), got "${image}"`);
  }
  const config: PlanCardConfig = { type: r.str('type') ?? '', image, markers, ...readActions(r) };
  const title = r.str('title');
  if (title !== undefined) config.title = title;
  const width = r.num('width', { min: 1 });
  const height = r.num('height', { min: 1 });
  if ((width === undefined) !== (height === undefined))
    fail(width === undefined ? 'width' : 'height', 'give both width and height, or neither');
  if (width !== undefined && height !== undefined) {
    config.width = width;
    config.height = height;
  }
  const zoom = r.bool('zoom');
  if (zoom !== undefined) config.zoom = zoom;
  const maxZoom = r.num('max_zoom', { min: 1, max: 50 });
  if (maxZoom !== undefined) config.max_zoom = maxZoom;
  const size = r.num('marker_size', { min: 12, max: 128 });
  if (size !== undefined) config.marker_size = size;
  const showValues = r.bool('show_values');
  if (showValues !== undefined) config.show_values = showValues;
  if (rooms) config.rooms = rooms;
  // Keep HA's own layout keys so the editor round-trips them untouched.
  for (const key of HA_CARD_KEYS)
    if (key !== 'type' && r.has(key)) (config as unknown as Record<string, unknown>)[key] = r.obj[key];
  return config;
}
