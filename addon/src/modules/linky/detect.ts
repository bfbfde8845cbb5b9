/**
 * Finding the TIC's speed and mode: listen at each candidate speed (historic 1200 baud first,
 * the Linky's default, then standard 9600) until frames with valid groups arrive. At the wrong
 * speed a UART only delivers garbage, in which no group passes its checksum.
 */

import type { SerialLine } from '../../core/serial-line.js';
import { decodeTic, initialDecoderState, type TicFrame, type TicMode } from './tic/decoder.js';

export const BAUDS: Record<TicMode, number> = { historic: 1200, standard: 9600 };

export interface ProbeResult {
  baud: number;
  mode: TicMode;
  frames: TicFrame[];
  groups: number;
  invalidGroups: number;
  /** Invalid groups / groups, over the frames listened to at the right speed. */
  errorRate: number;
}

export interface ProbeOptions {
  bauds?: number[];
  /** How long to listen at each speed (a historic frame takes about 2 s at 1200 baud). */
  windowMs?: number;
  /** Frames wanted before answering. */
  frames?: number;
}

/** Listens on an opened transport; resolves with the first speed that gives valid frames. */
export async function probe(t: SerialLine, opts: ProbeOptions = {}): Promise<ProbeResult | undefined> {
  const bauds = opts.bauds ?? [BAUDS.historic, BAUDS.standard];
  const windowMs = opts.windowMs ?? 5000;
  const wanted = opts.frames ?? 3;
  for (const baud of bauds) {
    await t.setBaud(baud);
    let state = initialDecoderState();
    const frames: TicFrame[] = [];
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, windowMs);
      t.onData((chunk) => {
        const r = decodeTic(state, chunk);
        state = r.state;
        for (const f of r.frames) if (Object.keys(f.values).length > 0) frames.push(f);
        if (frames.length >= wanted) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await done;
    t.onData(() => {});
    if (frames.length > 0) {
      const groups = frames.reduce((s, f) => s + f.groups.length, 0);
      const invalidGroups = frames.reduce((s, f) => s + f.groups.filter((g) => !g.valid).length, 0);
      const modes = frames.map((f) => f.mode);
      const mode = modes.filter((m) => m === 'standard').length > modes.length / 2 ? 'standard' : 'historic';
      return { baud, mode, frames, groups, invalidGroups, errorRate: groups ? invalidGroups / groups : 0 };
    }
  }
  return undefined;
}
