import type { ActionsConfig } from '../../shared/actions.js';
import { elementName } from '../../shared/const.js';

export const PLAN_CARD = elementName('plan-card');
export const PLAN_CARD_EDITOR = elementName('plan-card-editor');
export const PLAN_MARKER = elementName('plan-marker');

export const DEFAULT_MARKER_SIZE = 36;
export const DEFAULT_MAX_ZOOM = 6;
export const MAX_MARKERS = 5000;

/** Tap → more-info, hold → more-info: toggling is opt-in, a plan is easy to brush by mistake. */
export const DEFAULT_ACTIONS: ActionsConfig = {
  tap_action: { action: 'more-info' },
  hold_action: { action: 'more-info' },
  double_tap_action: { action: 'none' },
};

/** `image: monitor:sample` shows this built-in plan (the card picker's preview, first steps). */
export const SAMPLE_PLAN_URL = 'monitor:sample';
export const SAMPLE_PLAN_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 260">
<g fill="none" stroke="currentColor" stroke-width="4" opacity=".55">
<rect id="living" x="2" y="2" width="218" height="158"/>
<rect id="kitchen" x="220" y="2" width="178" height="108"/>
<rect id="bedroom" x="220" y="110" width="178" height="148"/>
<rect id="bathroom" x="2" y="160" width="108" height="98"/>
<rect id="hall" x="110" y="160" width="110" height="98"/>
</g></svg>`;

/** Built-in plan rooms, used by `getStubConfig`. */
export const SAMPLE_ROOMS = ['living', 'kitchen', 'bedroom', 'bathroom', 'hall'] as const;
export const SAMPLE_SPOTS: readonly [number, number][] = [
  [110, 80],
  [310, 56],
  [310, 184],
  [56, 210],
  [165, 210],
];
