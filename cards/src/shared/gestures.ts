/**
 * Tells a tap from a hold from a double tap, for elements found by event delegation (one
 * listener for hundreds of markers). A tap waits for a possible second tap only when the
 * target has a double-tap action, so plain taps stay instant. Moving the pointer further
 * than a few pixels turns the gesture into a pan and cancels it.
 */
import type { Gesture } from './actions.js';

export const HOLD_MS = 500;
export const DOUBLE_TAP_MS = 250;
export const MOVE_TOLERANCE_PX = 10;

export interface TapCallbacks<T> {
  onGesture(target: T, gesture: Gesture): void;
  wantsHold(target: T): boolean;
  wantsDoubleTap(target: T): boolean;
  /** Whether two targets are the same thing (targets may be rebuilt on every event). */
  same?(a: T, b: T): boolean;
}

export class TapTracker<T> {
  private target: T | undefined;
  private x = 0;
  private y = 0;
  private held = false;
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  private pending: { target: T; timer: ReturnType<typeof setTimeout> } | undefined;

  constructor(private readonly cb: TapCallbacks<T>) {}

  get tracking(): boolean {
    return this.target !== undefined;
  }

  down(target: T, x: number, y: number): void {
    this.cancel();
    this.target = target;
    this.x = x;
    this.y = y;
    this.held = false;
    if (this.cb.wantsHold(target)) {
      this.holdTimer = setTimeout(() => {
        this.held = true;
        this.holdTimer = undefined;
        this.cb.onGesture(target, 'hold');
      }, HOLD_MS);
    }
  }

  move(x: number, y: number): void {
    if (this.target === undefined) return;
    if (Math.hypot(x - this.x, y - this.y) > MOVE_TOLERANCE_PX) this.cancel();
  }

  up(): void {
    const target = this.target;
    if (target === undefined) return;
    const held = this.held;
    this.clearHold();
    this.target = undefined;
    if (held) return;
    if (this.pending) {
      const pending = this.pending;
      clearTimeout(pending.timer);
      this.pending = undefined;
      if (this.cb.same ? this.cb.same(pending.target, target) : pending.target === target) {
        this.cb.onGesture(target, 'double_tap');
        return;
      }
      this.cb.onGesture(pending.target, 'tap');
    }
    if (this.cb.wantsDoubleTap(target)) {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.cb.onGesture(target, 'tap');
      }, DOUBLE_TAP_MS);
      this.pending = { target, timer };
      return;
    }
    this.cb.onGesture(target, 'tap');
  }

  /** The pointer left, was cancelled, or became a pan or a pinch. */
  cancel(): void {
    this.clearHold();
    this.target = undefined;
  }

  dispose(): void {
    this.cancel();
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = undefined;
  }

  private clearHold(): void {
    if (this.holdTimer !== undefined) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
  }
}
