/**
 * Which meter a frame comes from. The meter id (ADCO, ADSC: 12 digits) is protected by a 6-bit
 * checksum only: two bit flips that cancel turn it into another valid id. A device created from
 * such a frame would stay in Home Assistant (kept 30 days as a recent meter), so a new id must
 * be seen in several consecutive frames before it becomes a meter; its frames are kept
 * meanwhile and handled once it is confirmed. Ids confirmed in an earlier run (a state file)
 * are known at once.
 */
import type { TicFrame } from './tic/decoder.js';

/** Consecutive frames that must carry a new meter id before it is believed. */
export const METER_ID_CONFIRM_FRAMES = 3;

export class MeterIdentity {
  private readonly known = new Set<string>();
  private candidate: { id: string; frames: TicFrame[] } | undefined;
  /** The meter of the last frame that named a known one: frames without a valid id are its. */
  current: string | undefined;

  constructor(private readonly seenBefore: (id: string) => boolean) {}

  /**
   * The frames to handle now, with their meter: none while a new id waits for confirmation,
   * several when this frame confirms it.
   */
  accept(f: TicFrame): Array<{ meterId: string; frame: TicFrame }> {
    const id = f.meter;
    if (id === undefined) return this.current ? [{ meterId: this.current, frame: f }] : [];
    if (this.known.has(id) || this.seenBefore(id)) {
      this.known.add(id);
      this.candidate = undefined;
      this.current = id;
      return [{ meterId: id, frame: f }];
    }
    if (this.candidate?.id !== id) this.candidate = { id, frames: [] };
    this.candidate.frames.push(f);
    if (this.candidate.frames.length < METER_ID_CONFIRM_FRAMES) return [];
    const frames = this.candidate.frames;
    this.candidate = undefined;
    this.known.add(id);
    this.current = id;
    return frames.map((frame) => ({ meterId: id, frame }));
  }
}
