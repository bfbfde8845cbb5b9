/**
 * The frame in progress, kept by the incremental decoder between chunks.
 *
 * A serial port delivers a frame in many small chunks (often 1 to 8 bytes at 1200 baud).
 * Copying what came before on every chunk would make the work quadratic in the frame's length,
 * so chunks are appended in place into a buffer that doubles when full: every byte is copied
 * once (plus amortised growth), and a frame that arrives whole in one chunk is not copied at all.
 *
 * A PartialFrame's bytes are `store.buf[0, length)`. `decodeTic` stays pure for its callers:
 * bytes are only written at `store.used`, past every byte any existing state can see. Continuing
 * an older state a second time (its `length` is then below `used`) copies its bytes into a fresh
 * store instead of writing over those of the newer state.
 */
export interface PartialFrame {
  readonly store: FrameStore | undefined;
  readonly length: number;
}

interface FrameStore {
  buf: Buffer;
  /** Bytes written so far; the longest state that uses this store has `length === used`. */
  used: number;
}

export const EMPTY_FRAME: PartialFrame = Object.freeze({ store: undefined, length: 0 });

/** A frame of this many bytes or less fits the first store (a historic frame is ~170-300 B). */
const FIRST_STORE_BYTES = 512;

/** `p` followed by `data[from, to)`. */
export function append(p: PartialFrame, data: Buffer, from: number, to: number): PartialFrame {
  const n = to - from;
  if (n <= 0) return p;
  const length = p.length + n;
  let store = p.store;
  if (!store || store.used !== p.length || store.buf.length < length) {
    const buf = Buffer.allocUnsafe(Math.max(FIRST_STORE_BYTES, 2 * length));
    if (store) store.buf.copy(buf, 0, 0, p.length);
    store = { buf, used: p.length };
  }
  const buf = store.buf;
  // A byte loop beats Buffer#copy's call overhead for the few bytes a serial read brings.
  if (n <= 32) for (let i = 0, at = store.used; i < n; i++) buf[at + i] = data[from + i]!;
  else data.copy(buf, store.used, from, to);
  store.used = length;
  return { store, length };
}

/** The whole frame as one buffer: a view of the store, or of the chunk when nothing came before. */
export function frameBytes(p: PartialFrame, data: Buffer, from: number, to: number): Buffer {
  if (p.length === 0) return data.subarray(from, to);
  const q = append(p, data, from, to);
  return q.store!.buf.subarray(0, q.length);
}
