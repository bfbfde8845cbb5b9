/**
 * What Home Assistant says about the alarm's sensors. Only a transition SEEN from closed to
 * open counts: a sensor first seen open, or coming back from unknown/unavailable (HA or a
 * Zigbee network starting after a restart), never triggers — Alarmo's restart false trigger.
 */
export type SensorReading = 'open' | 'closed' | 'unknown';

const OPEN = new Set(['on', 'open', 'opening', 'detected', 'unlocked', 'home']);
const CLOSED = new Set(['off', 'closed', 'closing', 'clear', 'locked', 'not_home']);

export function readingOf(state: string | undefined): SensorReading {
  if (state === undefined) return 'unknown';
  const s = state.toLowerCase();
  return OPEN.has(s) ? 'open' : CLOSED.has(s) ? 'closed' : 'unknown';
}

export class SensorWatch {
  private readonly readings = new Map<string, SensorReading>();

  constructor(private readonly ids: string[]) {}

  /**
   * New states of every watched entity (HA's full list: a missing one becomes unknown), or with
   * `partial` of the ones given only (a sensor reported on MQTT); returns those seen opening.
   */
  update(
    states: Record<string, { state: string } | undefined>,
    partial = false,
  ): { opened: string[]; changed: boolean } {
    const opened: string[] = [];
    let changed = false;
    for (const id of this.ids) {
      if (partial && !(id in states)) continue;
      const next = readingOf(states[id]?.state);
      const prev = this.readings.get(id) ?? 'unknown';
      if (next === prev) continue;
      changed = true;
      this.readings.set(id, next);
      if (prev === 'closed' && next === 'open') opened.push(id);
    }
    return { opened, changed };
  }

  open(): string[] {
    return this.ids.filter((id) => this.readings.get(id) === 'open');
  }

  unknown(): string[] {
    return this.ids.filter((id) => (this.readings.get(id) ?? 'unknown') === 'unknown');
  }
}
