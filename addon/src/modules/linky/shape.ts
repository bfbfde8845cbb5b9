/**
 * What a meter offers, learned over time. One frame may lack groups (cut short by a new STX, a
 * corrupted label, a checksum error): declaring the entities from that frame alone would clear
 * them in Home Assistant and declare them again with the next frame. The learned shape only
 * grows: an index, the voltage, the relays or a producer's values, once seen, stay declared.
 * The contract (which decides the Tempo and EJP entities) changes only when many consecutive
 * frames agree on another one, as after a real change of contract.
 */
import type { MeterShape } from './entities.js';

/** Consecutive frames that must show another contract before the entities follow it. */
export const CONTRACT_CHANGE_FRAMES = 10;

export class LearnedShape {
  shape: MeterShape | undefined;
  private otherContract: { kind: MeterShape['contractKind']; count: number } | undefined;

  constructor(saved?: MeterShape) {
    if (saved && isShape(saved)) this.shape = saved;
  }

  /** Merges what one frame shows; returns true when the shape grew (or the contract changed). */
  learn(seen: MeterShape): boolean {
    const s = this.shape;
    if (!s) {
      this.shape = seen;
      return true;
    }
    const next: MeterShape = {
      ...s,
      phases: s.phases === 3 || seen.phases === 3 ? 3 : 1,
      contractKind: this.contractAfter(s.contractKind, seen.contractKind),
      producer: s.producer || seen.producer,
      hasVoltage: s.hasVoltage || seen.hasVoltage,
      hasRelays: s.hasRelays || seen.hasRelays,
      indexes: mergeIndexes(s, seen),
    };
    const changed = JSON.stringify(next) !== JSON.stringify(s);
    this.shape = next;
    return changed;
  }

  private contractAfter(
    known: MeterShape['contractKind'],
    seen: MeterShape['contractKind'],
  ): MeterShape['contractKind'] {
    if (seen === 'unknown' || seen === known) {
      if (seen === known) this.otherContract = undefined;
      return known;
    }
    if (known === 'unknown') return seen;
    const count = this.otherContract?.kind === seen ? this.otherContract.count + 1 : 1;
    this.otherContract = { kind: seen, count };
    if (count < CONTRACT_CHANGE_FRAMES) return known;
    this.otherContract = undefined;
    return seen;
  }
}

/** Indexes known so far, in the order first seen; a name follows the latest contract. */
function mergeIndexes(s: MeterShape, seen: MeterShape): MeterShape['indexes'] {
  const names = new Map(seen.indexes.map((i) => [i.label, i.name]));
  const out = s.indexes.map((i) =>
    s.contractKind === seen.contractKind && names.has(i.label)
      ? { label: i.label, name: names.get(i.label)! }
      : i,
  );
  for (const i of seen.indexes) if (!out.some((o) => o.label === i.label)) out.push(i);
  return out;
}

function isShape(x: unknown): x is MeterShape {
  const s = x as MeterShape;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.meterId === 'string' &&
    (s.mode === 'historic' || s.mode === 'standard') &&
    (s.phases === 1 || s.phases === 3) &&
    Array.isArray(s.indexes)
  );
}
