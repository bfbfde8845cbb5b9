/**
 * Pointer handling of the plan, by delegation on the viewport: one set of listeners whatever
 * the number of markers. One pointer on a marker or a room: tap / hold / double tap. One
 * pointer dragging a zoomed plan: pan. Two pointers: pinch zoom. Wheel: zoom with ctrl (or
 * a trackpad pinch, which browsers send as ctrl + wheel) or once already zoomed in.
 */
import type { Gesture } from '../../shared/actions.js';
import { TapTracker } from '../../shared/gestures.js';
import { IDENTITY_VIEW, panBy, type View, zoomAt } from './utils.js';

export type PlanTarget = { kind: 'marker'; index: number } | { kind: 'room'; index: number };

export interface InteractionHost {
  zoomEnabled(): boolean;
  maxZoom(): number;
  targetOf(path: EventTarget[]): PlanTarget | undefined;
  wantsHold(t: PlanTarget): boolean;
  wantsDoubleTap(t: PlanTarget): boolean;
  onGesture(t: PlanTarget, g: Gesture): void;
  onView(view: View): void;
}

export class PlanInteraction {
  view: View = IDENTITY_VIEW;
  private readonly _pointers = new Map<number, { x: number; y: number }>();
  private readonly _taps: TapTracker<PlanTarget>;
  private _pinchDistance = 0;
  private _el: HTMLElement | undefined;

  constructor(private readonly host: InteractionHost) {
    this._taps = new TapTracker<PlanTarget>({
      onGesture: (t, g) => host.onGesture(t, g),
      wantsHold: (t) => host.wantsHold(t),
      wantsDoubleTap: (t) => host.wantsDoubleTap(t),
      same: (a, b) => a.kind === b.kind && a.index === b.index,
    });
  }

  attach(el: HTMLElement): void {
    if (this._el === el) return;
    this.detach();
    this._el = el;
    el.addEventListener('pointerdown', this._onDown);
    el.addEventListener('pointermove', this._onMove);
    el.addEventListener('pointerup', this._onUp);
    el.addEventListener('pointercancel', this._onCancel);
    el.addEventListener('pointerleave', this._onCancel);
    el.addEventListener('wheel', this._onWheel, { passive: false });
    el.addEventListener('keydown', this._onKey);
    el.addEventListener('contextmenu', this._onContextMenu);
  }

  detach(): void {
    const el = this._el;
    if (!el) return;
    el.removeEventListener('pointerdown', this._onDown);
    el.removeEventListener('pointermove', this._onMove);
    el.removeEventListener('pointerup', this._onUp);
    el.removeEventListener('pointercancel', this._onCancel);
    el.removeEventListener('pointerleave', this._onCancel);
    el.removeEventListener('wheel', this._onWheel);
    el.removeEventListener('keydown', this._onKey);
    el.removeEventListener('contextmenu', this._onContextMenu);
    this._taps.dispose();
    this._pointers.clear();
    this._el = undefined;
  }

  setView(view: View): void {
    this.view = view;
    this.host.onView(view);
  }

  /** Zoom by a factor around the viewport's centre (the +/− buttons). */
  zoomBy(factor: number): void {
    this.setView(zoomAt(this.view, factor, 0.5, 0.5, this.host.maxZoom()));
  }

  reset(): void {
    this.setView(IDENTITY_VIEW);
  }

  private _fraction(x: number, y: number): { u: number; v: number; w: number; h: number } {
    const r = (this._el as HTMLElement).getBoundingClientRect();
    return { u: (x - r.left) / r.width, v: (y - r.top) / r.height, w: r.width, h: r.height };
  }

  private readonly _onDown = (e: PointerEvent): void => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    if ((e.target as Element | null)?.closest?.('.controls')) return;
    this._pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (this._pointers.size === 1) {
      const target = this.host.targetOf(e.composedPath());
      if (target) this._taps.down(target, e.clientX, e.clientY);
    } else {
      this._taps.cancel();
      this._pinchDistance = this._currentDistance();
    }
    if (this.host.zoomEnabled() && (this.view.k > 1 || this._pointers.size > 1)) {
      try {
        (this._el as HTMLElement).setPointerCapture(e.pointerId);
      } catch {
        // Not an active pointer (synthetic events): panning still works without capture.
      }
    }
  };

  private readonly _onMove = (e: PointerEvent): void => {
    const prev = this._pointers.get(e.pointerId);
    if (!prev) return;
    this._taps.move(e.clientX, e.clientY);
    const next = { x: e.clientX, y: e.clientY };
    this._pointers.set(e.pointerId, next);
    if (!this.host.zoomEnabled()) return;
    if (this._pointers.size >= 2) {
      const d = this._currentDistance();
      if (this._pinchDistance > 0 && d > 0) {
        const c = this._centre();
        const f = this._fraction(c.x, c.y);
        this.setView(zoomAt(this.view, d / this._pinchDistance, f.u, f.v, this.host.maxZoom()));
      }
      this._pinchDistance = d;
      e.preventDefault();
    } else if (this.view.k > 1 && !this._taps.tracking) {
      const f = this._fraction(0, 0);
      this.setView(panBy(this.view, (next.x - prev.x) / f.w, (next.y - prev.y) / f.h, this.host.maxZoom()));
      e.preventDefault();
    }
  };

  private readonly _onUp = (e: PointerEvent): void => {
    if (!this._pointers.delete(e.pointerId)) return;
    if (this._pointers.size === 0) this._taps.up();
    this._pinchDistance = this._pointers.size >= 2 ? this._currentDistance() : 0;
  };

  private readonly _onCancel = (e: PointerEvent): void => {
    if (!this._pointers.delete(e.pointerId)) return;
    this._taps.cancel();
  };

  private readonly _onWheel = (e: WheelEvent): void => {
    if (!this.host.zoomEnabled()) return;
    if (!e.ctrlKey && this.view.k <= 1) return; // let the dashboard scroll
    e.preventDefault();
    const f = this._fraction(e.clientX, e.clientY);
    const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    this.setView(zoomAt(this.view, Math.exp(-delta * 0.0025), f.u, f.v, this.host.maxZoom()));
  };

  private readonly _onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const target = this.host.targetOf(e.composedPath());
    if (!target) return;
    e.preventDefault();
    this.host.onGesture(target, 'tap');
  };

  /** A long press on touch screens opens the browser's menu; hold is ours on the plan. */
  private readonly _onContextMenu = (e: Event): void => {
    if (this.host.targetOf(e.composedPath())) e.preventDefault();
  };

  private _currentDistance(): number {
    const [a, b] = [...this._pointers.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  }

  private _centre(): { x: number; y: number } {
    const [a, b] = [...this._pointers.values()];
    return a && b ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : { x: 0, y: 0 };
  }
}
