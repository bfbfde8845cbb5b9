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
  private _target: T | undefined;
  private _x = 0;
  private _y = 0;
  private _held = false;
  private _holdTimer: ReturnType<typeof setTimeout> | undefined;
  private _pending: { target: T; timer: ReturnType<typeof setTimeout> } | undefined;

  constructor(private readonly cb: TapCallbacks<T>) {}

  get tracking(): boolean {
    return this._target !== undefined;
  }

  down(target: T, x: number, y: number): void {
    this.cancel();
    this._target = target;
    this._x = x;
    this._y = y;
    this._held = false;
    if (this.cb.wantsHold(target)) {
      this._holdTimer = setTimeout(() => {
        this._held = true;
        this._holdTimer = undefined;
        this.cb.onGesture(target, 'hold');
      }, HOLD_MS);
    }
  }

  move(x: number, y: number): void {
    if (this._target === undefined) return;
    if (Math.hypot(x - this._x, y - this._y) > MOVE_TOLERANCE_PX) this.cancel();
  }

  up(): void {
    const target = this._target;
    if (target === undefined) return;
    const held = this._held;
    this._clearHold();
    this._target = undefined;
    if (held) return;
    if (this._pending) {
      const pending = this._pending;
      clearTimeout(pending.timer);
      this._pending = undefined;
      if (this.cb.same ? this.cb.same(pending.target, target) : pending.target === target) {
        this.cb.onGesture(target, 'double_tap');
        return;
      }
      this.cb.onGesture(pending.target, 'tap');
    }
    if (this.cb.wantsDoubleTap(target)) {
      const timer = setTimeout(() => {
        this._pending = undefined;
        this.cb.onGesture(target, 'tap');
      }, DOUBLE_TAP_MS);
      this._pending = { target, timer };
      return;
    }
    this.cb.onGesture(target, 'tap');
  }

  /** The pointer left, was cancelled, or became a pan or a pinch. */
  cancel(): void {
    this._clearHold();
    this._target = undefined;
  }

  dispose(): void {
    this.cancel();
    if (this._pending) clearTimeout(this._pending.timer);
    this._pending = undefined;
  }

  private _clearHold(): void {
    if (this._holdTimer !== undefined) clearTimeout(this._holdTimer);
    this._holdTimer = undefined;
  }
}
