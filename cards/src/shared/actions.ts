/**
 * Tap / hold / double-tap actions, executed by HA itself: a card fires `hass-action` with the
 * resolved action configs and the gesture, and HA's frontend runs more-info, toggle, navigate,
 * url or perform-action exactly as for its own cards (including confirmations).
 */
import { fireEvent } from './fire-event.js';
import { describe, fail, Reader } from './validate.js';

export const ACTION_TYPES = [
  'more-info',
  'toggle',
  'navigate',
  'url',
  'perform-action',
  'call-service',
  'assist',
  'fire-dom-event',
  'none',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export interface ActionConfig {
  action: ActionType;
  entity?: string;
  navigation_path?: string;
  navigation_replace?: boolean;
  url_path?: string;
  perform_action?: string;
  service?: string;
  data?: Record<string, unknown>;
  target?: Record<string, unknown>;
  confirmation?: boolean | { text?: string };
  [key: string]: unknown;
}

export type Gesture = 'tap' | 'hold' | 'double_tap';

export interface ActionsConfig {
  tap_action?: ActionConfig;
  hold_action?: ActionConfig;
  double_tap_action?: ActionConfig;
}

export const GESTURE_KEYS = ['tap_action', 'hold_action', 'double_tap_action'] as const;

/** Validates one action config. Only the shape is checked: HA validates the rest when it runs it. */
export function readAction(value: unknown, path: string): ActionConfig {
  const r = Reader.of(value, path);
  const action = r.oneOf('action', ACTION_TYPES);
  if (action === undefined) fail(r.at('action'), `required (one of ${ACTION_TYPES.join(', ')})`);
  if (action === 'navigate') r.reqStr('navigation_path');
  if (action === 'url') {
    const url = r.reqStr('url_path');
    if (/^\s*javascript:/i.test(url)) fail(r.at('url_path'), `not a web address: ${describe(url)}`);
  }
  if (action === 'perform-action' && !r.has('perform_action') && !r.has('service')) {
    fail(r.at('perform_action'), 'required (domain.service)');
  }
  for (const key of ['data', 'target'] as const) {
    if (r.has(key)) Reader.of(r.obj[key], r.at(key));
  }
  return r.obj as ActionConfig;
}

export function readActions(r: Reader): ActionsConfig {
  const out: ActionsConfig = {};
  for (const key of GESTURE_KEYS) {
    if (r.has(key)) out[key] = readAction(r.obj[key], r.at(key));
  }
  return out;
}

/** The first config that sets a gesture wins (item, then card defaults, then built-in defaults). */
export function resolveActions(...layers: (ActionsConfig | undefined)[]): Required<ActionsConfig> {
  const pick = (key: (typeof GESTURE_KEYS)[number]): ActionConfig =>
    layers.find((l) => l?.[key] !== undefined)?.[key] ?? { action: 'none' };
  return {
    tap_action: pick('tap_action'),
    hold_action: pick('hold_action'),
    double_tap_action: pick('double_tap_action'),
  };
}

export function hasAction(config: ActionConfig | undefined): boolean {
  return config !== undefined && config.action !== 'none';
}

/**
 * Asks HA to run the action bound to `gesture`. Returns false (and fires nothing) when that
 * gesture does nothing, so callers can skip waiting for a double tap that will never come.
 */
export function fireAction(
  node: EventTarget,
  entity: string | undefined,
  actions: ActionsConfig,
  gesture: Gesture,
): boolean {
  const config = actions[`${gesture}_action`];
  if (!hasAction(config)) return false;
  fireEvent(node, 'hass-action', {
    config: {
      entity,
      tap_action: actions.tap_action,
      hold_action: actions.hold_action,
      double_tap_action: actions.double_tap_action,
    },
    action: gesture,
  });
  return true;
}
