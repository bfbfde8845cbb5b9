/**
 * The TIC decoder: a pure, incremental function from received bytes to frames.
 *
 *   const r = decodeTic(state, chunk)   // r.state replaces state; r.frames are the complete frames
 *
 * Framing (Enedis-NOI-CPT_54E §5.3): a frame runs from STX (0x02) to ETX (0x03); EOT (0x04)
 * interrupts the frame being sent (it is dropped); bytes outside a frame are line noise and
 * skipped. Inside a frame each group runs from LF to CR. Bytes are masked to 7 bits, so a port
 * opened 8N1 by an adapter that cannot do 7E1 still decodes (the parity bit is dropped).
 *
 * No npm package decodes both modes with both historic checksum conventions incrementally and
 * without throwing, which is why this is written here.
 */
import { type HistoricConvention, parseGroup, type TicGroup } from './group.js';
import type { Horodate } from './horodate.js';
import type { TicMode } from './labels.js';
import { append, EMPTY_FRAME, frameBytes, type PartialFrame } from './partial.js';

export type { TicMode } from './labels.js';
export type { PartialFrame } from './partial.js';

const STX = 0x02;
const ETX = 0x03;
const EOT = 0x04;
const LF = 0x0a;
const CR = 0x0d;

export interface DecoderOptions {
  /** Separator expected: SP (historic), HT (standard) or either (auto, decided per frame). */
  mode?: TicMode | 'auto';
  /** Historic checksum convention; auto accepts both until the stream shows its meter's. */
  historicChecksum?: 'auto' | HistoricConvention;
  /** A frame longer than this is line noise (a standard three-phase frame is about 1.2 kB). */
  maxFrameBytes?: number;
}

export interface DecoderStats {
  frames: number;
  groups: number;
  invalidGroups: number;
  abortedFrames: number;
  noiseBytes: number;
}

export interface DecoderState {
  readonly mode: TicMode | 'auto';
  readonly historicChecksum: 'auto' | HistoricConvention;
  readonly maxFrameBytes: number;
  /** Bytes received since the STX of the frame in progress; undefined between frames. */
  readonly partial: PartialFrame | undefined;
  /** Historic groups seen with a good checksum, per convention (auto mode learns from it). */
  readonly votes: Readonly<Record<HistoricConvention, number>>;
  readonly stats: Readonly<DecoderStats>;
}

export interface TicValue {
  value: string;
  date?: Horodate;
}

export interface TicFrame {
  mode: TicMode;
  /** ADCO (historic) or ADSC (standard), when its group is valid. */
  meter?: string;
  /** Every group, valid or not, in order. */
  groups: TicGroup[];
  /** Values of the valid groups only, by label. */
  values: Record<string, TicValue>;
  /** Labels of the groups that failed their checksum or format (never in `values`). */
  invalid: string[];
  /** A three-phase historic meter's short frame, sent during an overload (ADIR1..3). */
  short: boolean;
}

export function initialDecoderState(opts: DecoderOptions = {}): DecoderState {
  return {
    mode: opts.mode ?? 'auto',
    historicChecksum: opts.historicChecksum ?? 'auto',
    maxFrameBytes: opts.maxFrameBytes ?? 4096,
    partial: undefined,
    votes: { without_separator: 0, with_separator: 0 },
    stats: { frames: 0, groups: 0, invalidGroups: 0, abortedFrames: 0, noiseBytes: 0 },
  };
}

const BOTH: readonly HistoricConvention[] = ['without_separator', 'with_separator'];

/** The historic conventions accepted now: the configured one, or both until one clearly wins. */
export function acceptedConventions(state: Pick<DecoderState, 'historicChecksum' | 'votes'>) {
  if (state.historicChecksum !== 'auto') return [state.historicChecksum];
  const a = state.votes.without_separator;
  const b = state.votes.with_separator;
  if (a >= 16 && b * 16 <= a) return ['without_separator'] as const;
  if (b >= 16 && a * 16 <= b) return ['with_separator'] as const;
  return BOTH;
}

function masked(chunk: Uint8Array): Buffer {
  let high = false;
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i]! > 0x7f) {
      high = true;
      break;
    }
  }
  if (!high)
    return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const out = Buffer.allocUnsafe(chunk.length);
  for (let i = 0; i < chunk.length; i++) out[i] = chunk[i]! & 0x7f;
  return out;
}

/** First STX, ETX or EOT at or after `from`, or -1. */
function nextControl(data: Buffer, from: number): number {
  for (let i = from; i < data.length; i++) {
    const b = data[i]!;
    if (b <= EOT && b >= STX) return i;
  }
  return -1;
}

/** Decodes a chunk. Never throws; the input state is not modified. */
export function decodeTic(
  state: DecoderState,
  chunk: Uint8Array,
): { state: DecoderState; frames: TicFrame[] } {
  const data = masked(chunk);
  const frames: TicFrame[] = [];
  let partial = state.partial;
  // The middle of a frame, the common case at 1200 baud where a read often brings one byte:
  // append and return, without copying the statistics.
  if (partial && nextControl(data, 0) < 0) {
    partial = append(partial, data, 0, data.length);
    if (partial.length <= state.maxFrameBytes) return { state: withPartial(state, partial), frames };
    partial = state.partial;
  }
  const stats = { ...state.stats };
  const votes = { ...state.votes };
  let pos = 0;
  while (pos < data.length) {
    if (!partial) {
      const stx = data.indexOf(STX, pos);
      stats.noiseBytes += (stx < 0 ? data.length : stx) - pos;
      if (stx < 0) break;
      partial = EMPTY_FRAME;
      pos = stx + 1;
      continue;
    }
    const k = nextControl(data, pos);
    if (k < 0) {
      partial = append(partial, data, pos, data.length);
      if (partial.length > state.maxFrameBytes) {
        stats.noiseBytes += partial.length;
        partial = undefined;
      }
      break;
    }
    const c = data[k];
    if (c === ETX) {
      const content = frameBytes(partial, data, pos, k);
      if (content.length > state.maxFrameBytes) stats.noiseBytes += content.length;
      else {
        const frame = parseFrame(content, state.mode, acceptedConventions({ ...state, votes }), stats);
        if (frame) {
          frames.push(frame);
          for (const g of frame.groups) if (g.valid && g.convention) votes[g.convention]++;
        }
      }
      partial = undefined;
    } else {
      // EOT, or an STX before the ETX: the frame in progress is lost (never half-used).
      stats.abortedFrames++;
      partial = c === STX ? EMPTY_FRAME : undefined;
    }
    pos = k + 1;
  }
  return { state: { ...withPartial(state, partial), votes, stats }, frames };
}

function withPartial(s: DecoderState, partial: PartialFrame | undefined): DecoderState {
  return {
    mode: s.mode,
    historicChecksum: s.historicChecksum,
    maxFrameBytes: s.maxFrameBytes,
    partial,
    votes: s.votes,
    stats: s.stats,
  };
}

function parseFrame(
  content: Buffer,
  mode: TicMode | 'auto',
  conventions: readonly HistoricConvention[],
  stats: DecoderStats,
): TicFrame | undefined {
  const groups: TicGroup[] = [];
  let p = 0;
  for (;;) {
    const lf = content.indexOf(LF, p);
    if (lf < 0) {
      stats.noiseBytes += content.length - p;
      break;
    }
    stats.noiseBytes += lf - p;
    const cr = content.indexOf(CR, lf + 1);
    const nextLf = content.indexOf(LF, lf + 1);
    if (cr < 0 || (nextLf >= 0 && nextLf < cr)) {
      // A group cut short (a LF before its CR, or the frame ends): unreadable, but listed.
      const end = cr < 0 ? (nextLf < 0 ? content.length : nextLf) : nextLf;
      groups.push({
        label: roughLabel(content, lf + 1, end),
        value: '',
        mode: mode === 'standard' ? 'standard' : 'historic',
        valid: false,
        problem: 'syntax',
      });
      if (nextLf < 0) break;
      p = nextLf;
      continue;
    }
    groups.push(parseGroup(content, lf + 1, cr, mode, conventions));
    p = cr + 1;
  }
  if (groups.length === 0) return undefined;

  let frameMode: TicMode;
  if (mode !== 'auto') frameMode = mode;
  else {
    let std = 0;
    let his = 0;
    for (const g of groups) {
      if (g.problem === 'syntax') continue;
      if (g.mode === 'standard') std++;
      else his++;
    }
    frameMode = std > his ? 'standard' : 'historic';
  }
  // Both historic conventions accepted: the frame's groups must agree on one. A space inserted
  // or lost adds or removes 32, exactly what separates the two conventions, so a lone group of
  // the minority convention is a corrupted group, not a second convention.
  if (frameMode === 'historic' && conventions.length > 1) {
    let a = 0;
    let b = 0;
    for (const g of groups) if (g.valid) g.convention === 'with_separator' ? b++ : a++;
    const loser = b > a ? 'without_separator' : 'with_separator';
    for (const g of groups) {
      if (g.valid && g.convention === loser) {
        g.valid = false;
        g.problem = 'checksum';
        delete g.convention;
      }
    }
  }
  const seen = new Map<string, TicGroup>();
  for (const g of groups) {
    if (g.valid && g.mode !== frameMode) {
      g.valid = false;
      g.problem = 'syntax';
      delete g.convention;
    }
    if (!g.valid) continue;
    // The same label twice with different contents: one copy is corrupted and we cannot tell
    // which (a 6-bit checksum lets 1 corrupted group in 64 through), so neither is used.
    const first = seen.get(g.label);
    if (!first) seen.set(g.label, g);
    else if (first.value !== g.value || first.date?.raw !== g.date?.raw) {
      for (const x of groups) {
        if (x.label === g.label && x.valid) {
          x.valid = false;
          x.problem = 'conflict';
        }
      }
    }
  }
  const values: Record<string, TicValue> = {};
  const invalid: string[] = [];
  for (const g of groups) {
    if (g.valid) values[g.label] = g.date ? { value: g.value, date: g.date } : { value: g.value };
    else if (!invalid.includes(g.label)) invalid.push(g.label);
  }
  stats.frames++;
  stats.groups += groups.length;
  stats.invalidGroups += groups.filter((g) => !g.valid).length;
  const meter = (values.ADCO ?? values.ADSC)?.value;
  return {
    mode: frameMode,
    ...(meter !== undefined ? { meter } : {}),
    groups,
    values,
    invalid,
    short: frameMode === 'historic' && ('ADIR1' in values || 'ADIR2' in values || 'ADIR3' in values),
  };
}

function roughLabel(buf: Buffer, start: number, end: number): string {
  let i = start;
  while (i < end && i - start < 10 && buf[i]! > 0x20 && buf[i]! < 0x7f) i++;
  return buf.toString('latin1', start, i) || '?';
}

/** Convenience for one-shot use (CLI, tests): decodes a whole buffer. */
export function decodeAll(
  bytes: Uint8Array,
  opts: DecoderOptions = {},
): { frames: TicFrame[]; state: DecoderState } {
  return decodeTic(initialDecoderState(opts), bytes);
}
