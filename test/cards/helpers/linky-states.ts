/**
 * Home Assistant state objects of a Monitor Linky meter, built from a real TIC capture
 * (test/linky/fixtures, sources in its README) by the Linky module's own code: decoder →
 * derived values → the device declaration and its state values → what HA would hold for each
 * discovered entity (entity id from the unique id, unit, device class, friendly name). So the
 * card is tested against exactly what Monitor publishes, and follows any change of it.
 */

import { translator } from '../../../addon/src/core/i18n.js';
import { declaration, shapeOf, stateValues } from '../../../addon/src/modules/linky/entities.js';
import { LINKY_STRINGS } from '../../../addon/src/modules/linky/i18n.js';
import { decodeAll } from '../../../addon/src/modules/linky/tic/decoder.js';
import { deriveValues } from '../../../addon/src/modules/linky/tic/derive.js';
import { ticBytes } from '../../linky/load-fixture.js';

export interface HaState {
  state: string;
  attributes: Record<string, unknown>;
}

export const NODE = 'monitor';

/** `frame`: which decoded frame of the capture (default: the last one). */
export function meterStates(
  capture: string,
  frameIndex = -1,
): { prefix: string; states: Record<string, HaState> } {
  const { frames } = decodeAll(ticBytes(capture));
  const frame = frames.at(frameIndex);
  if (!frame) throw new Error(`no frame in ${capture}`);
  const derived = deriveValues(frame);
  const meterId = String(frame.values.ADCO?.value ?? frame.values.ADSC?.value ?? '000000000000').trim();
  const shape = shapeOf(meterId, frame, derived);
  const accepted: Record<string, number> = {};
  for (const i of derived.indexes ?? []) accepted[i.label] = i.wh;
  if (derived.energy_total_wh !== undefined) accepted.EAST = derived.energy_total_wh;
  if (derived.energy_injected_wh !== undefined) accepted.EAIT = derived.energy_injected_wh;
  const t = translator(LINKY_STRINGS, 'en');
  const decl = declaration(shape, t, 'en', '', { powerMinIntervalMs: 0, powerDeadbandVa: 0 });
  const values = stateValues(frame, derived, accepted);
  const device = decl.device.id;
  const states: Record<string, HaState> = {};
  for (const e of decl.entities) {
    const v = values[e.value_key ?? e.key];
    if (v === undefined) continue;
    const state = typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v);
    const attributes: Record<string, unknown> = {
      friendly_name: `${decl.device.name} ${e.name ?? ''}`.trim(),
    };
    if (e.unit) attributes.unit_of_measurement = e.unit;
    if (e.device_class) attributes.device_class = e.device_class;
    if (e.state_class) attributes.state_class = e.state_class;
    states[`${e.component}.${NODE}_${device}_${e.key}`] = { state, attributes };
  }
  return { prefix: `${NODE}_${device}`, states };
}
