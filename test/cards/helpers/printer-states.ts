/**
 * Home Assistant state objects of Monitor printers, built by the printers module's own code:
 * a real Moonraker answer (test/printers/fixtures/moonraker-objects-query-printing.json, the
 * example of Moonraker's documentation) parsed by `statusFromObjects`, then turned into the
 * device's values (`toValues`) and the entities Monitor declares (`printerEntities`), then into
 * what HA holds once it has rendered each discovery payload's templates (helpers/ha-mqtt.ts:
 * the state in words with its `code` attribute, the problem as on/off with its `detail`).
 * Idle, paused, error and offline printers are the same status moved to another state the way
 * the module does (`offlineStatus` for offline).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { translator } from '../../../addon/src/core/i18n.js';
import { discoveryPayload } from '../../../addon/src/entities/discovery.js';
import { deviceIdOf, printerEntities } from '../../../addon/src/modules/printers/entities.js';
import { printersDict } from '../../../addon/src/modules/printers/i18n.js';
import {
  emptyStatus,
  heaterKeys,
  offlineStatus,
  type PrinterStatus,
  toValues,
} from '../../../addon/src/modules/printers/model.js';
import { resultOf, statusFromObjects } from '../../../addon/src/modules/printers/moonraker/parse.js';
import { type HaState, haStateOf } from './ha-mqtt.js';
import { ROOT } from './harness.js';

export type { HaState };

const NODE = {
  nodeId: 'monitor',
  baseTopic: 'monitor',
  discoveryPrefix: 'homeassistant',
  origin: { name: 'Monitor', sw_version: '0' },
};

/** The printing status of Moonraker's documented example. */
export function moonrakerPrinting(): PrinterStatus {
  const body = JSON.parse(
    readFileSync(join(ROOT, 'test/printers/fixtures/moonraker-objects-query-printing.json'), 'utf8'),
  );
  const objs = (resultOf(body) as { status: Record<string, Record<string, unknown>> }).status;
  return {
    ...emptyStatus(),
    ...statusFromObjects(objs),
    online: true,
    link: 'push',
    software: 'Moonraker v0.9.3',
  };
}

export type Variant = 'printing' | 'paused' | 'idle' | 'error' | 'offline';

export function statusOf(variant: Variant): PrinterStatus {
  const p = moonrakerPrinting();
  switch (variant) {
    case 'printing':
      return p;
    case 'paused':
      return { ...p, state: 'paused' };
    case 'idle':
      return {
        ...p,
        state: 'idle',
        progress: null,
        elapsed: null,
        remaining: null,
        file: null,
        layer: null,
        layer_total: null,
      };
    case 'error':
      return {
        ...p,
        state: 'error',
        error_message: 'MCU shutdown: Thermal runaway on extruder',
        progress: null,
        file: null,
      };
    case 'offline':
      return offlineStatus(p, 'connect ECONNREFUSED 192.168.1.40:7125');
  }
}

/**
 * States of one printer. `snapshot`: whether it has a camera (an image entity). `now`: the
 * clock of the status (ETA = now + remaining).
 */
export function printerStates(
  name: string,
  status: PrinterStatus,
  opts: { snapshot?: boolean; now?: number; commands?: boolean } = {},
): { prefix: string; states: Record<string, HaState> } {
  const t = translator(printersDict, 'en');
  const id = deviceIdOf(name);
  const now = opts.now ?? Date.now();
  const decl = {
    id,
    name,
    type: 'moonraker' as const,
    url: 'http://voron.lan:7125',
    software: status.software,
    heaters: heaterKeys(status),
    hasSnapshot: opts.snapshot ?? false,
    commands: opts.commands ?? true,
  };
  const values = toValues(status, now);
  const prefix = `monitor_${id}`;
  const states: Record<string, HaState> = {};
  const iso = new Date(now).toISOString();
  const device = { id, name };
  // The module marks the device unavailable while the printer is offline; the entities that
  // follow the instance only (state, online, link, problem) stay readable.
  const published = { device: values, own: {}, deviceOnline: status.state !== 'offline' };
  for (const e of printerEntities(decl, t, NODE, () => {})) {
    const entityId = `${e.component}.${prefix}_${e.key}`;
    if (e.component === 'event') continue;
    const payload = discoveryPayload(NODE, device, e);
    let s: HaState | undefined;
    if (e.component === 'button') s = { state: 'unknown', attributes: {} };
    else if (e.component === 'image') {
      // HA's image entity: state = when the image last changed, the picture through its proxy.
      s = {
        state: iso,
        attributes: { entity_picture: `/test/cards/fixtures/plan.png?entity=${entityId}&token=t0k3n` },
      };
    } else s = haStateOf(NODE, id, e, payload, published);
    if (!s) continue;
    s.attributes.friendly_name = `${name} ${e.name ?? ''}`.trim();
    states[entityId] = { ...s, last_updated: iso, last_changed: iso };
  }
  return { prefix, states };
}
