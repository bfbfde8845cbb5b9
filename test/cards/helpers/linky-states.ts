/**
 * Home Assistant state objects of a Monitor Linky meter, built from a real TIC capture
 * (test/linky/fixtures, sources in its README) by the Linky module's own code: decoder →
 * derived values → index guard (each index published only once the next frame agrees, the
 * historic total summed from the guard's accepted indexes, as meter.ts does) → the device
 * declaration, its discovery payloads and state values → what HA holds once it has rendered
 * each payload's templates (helpers/ha-mqtt.ts: energies in kWh, enums as words with the code
 * in a `code` attribute). So the card is tested against what HA shows, and follows any change.
 */

import { translator } from '../../../addon/src/core/i18n.js';
import { discoveryPayload, stateModeOf, valueKeyOf } from '../../../addon/src/entities/discovery.js';
import { declaration, shapeOf, stateValues } from '../../../addon/src/modules/linky/entities.js';
import { IndexGuard } from '../../../addon/src/modules/linky/guard.js';
import { LINKY_STRINGS } from '../../../addon/src/modules/linky/i18n.js';
import { HISTORIC_TOTAL_OF, INDEX_LABELS } from '../../../addon/src/modules/linky/meter.js';
import { decodeAll } from '../../../addon/src/modules/linky/tic/decoder.js';
import { deriveValues } from '../../../addon/src/modules/linky/tic/derive.js';
import { ticBytes } from '../../linky/load-fixture.js';
import { type HaState, haStateOf, ownPayload } from './ha-mqtt.js';

export type { HaState };

export const NODE = 'monitor';
const NODE_CONTEXT = {
  nodeId: NODE,
  baseTopic: 'monitor',
  discoveryPrefix: 'homeassistant',
  origin: { name: 'Monitor', sw_version: '0' },
};
/** A full historic frame at 1200 baud takes about 1.5 s; the guard's margin is its default. */
const FRAME_MS = 1_500;
const GUARD_MARGIN = 1.5;

/**
 * `frameIndex`: the frame HA last received (default: the last one); every frame before it went
 * through the guard first, as on the wire.
 */
export function meterStates(
  capture: string,
  frameIndex = -1,
): { prefix: string; states: Record<string, HaState> } {
  const { frames } = decodeAll(ticBytes(capture));
  const last = frameIndex < 0 ? frames.length + frameIndex : frameIndex;
  const frame = frames[last];
  if (!frame) throw new Error(`no frame ${frameIndex} in ${capture}`);
  const guard = new IndexGuard({ margin: GUARD_MARGIN });
  // What HA holds for an index is the last value accepted by any frame so far (retained topic).
  const published: Record<string, number> = {};
  for (let i = 0; i <= last; i++) {
    const f = frames[i]!;
    const d = deriveValues(f);
    const indexes: Record<string, number> = {};
    for (const [label, v] of Object.entries(f.values))
      if (INDEX_LABELS.test(label)) indexes[label] = Number(v.value);
    const maxW = d.subscribed_power_kva !== undefined ? d.subscribed_power_kva * 1000 : undefined;
    Object.assign(published, guard.check(i * FRAME_MS, indexes, maxW).accepted);
  }
  const derived = deriveValues(frame);
  const meterId = String(frame.values.ADCO?.value ?? frame.values.ADSC?.value ?? '000000000000').trim();
  const shape = shapeOf(meterId, frame, derived);
  let historicTotal: number | undefined;
  const totalOf = frame.mode === 'historic' ? HISTORIC_TOTAL_OF[shape.contractKind] : undefined;
  if (totalOf?.every((l) => guard.baseline(l) !== undefined))
    historicTotal = totalOf.reduce((sum, l) => sum + (guard.baseline(l) as number), 0);
  const t = translator(LINKY_STRINGS, 'en');
  const decl = declaration(shape, t, 'en', '', { powerMinIntervalMs: 0, powerDeadbandVa: 0 });
  const values = stateValues(frame, derived, published, historicTotal);
  const device = decl.device.id;
  const own: Record<string, string> = {};
  for (const e of decl.entities) {
    const v = values[valueKeyOf(e)];
    if (stateModeOf(e) === 'own' && v !== undefined) own[e.key] = ownPayload(v);
  }
  const states: Record<string, HaState> = {};
  for (const e of decl.entities) {
    const payload = discoveryPayload(NODE_CONTEXT, decl.device, e);
    const s = haStateOf(NODE_CONTEXT, device, e, payload, { device: values, own, deviceOnline: true });
    if (!s) continue;
    s.attributes.friendly_name = `${decl.device.name} ${e.name ?? ''}`.trim();
    states[`${e.component}.${NODE}_${device}_${e.key}`] = s;
  }
  return { prefix: `${NODE}_${device}`, states };
}
