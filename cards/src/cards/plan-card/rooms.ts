/**
 * Rooms of an SVG plan: finds each room's element by id and keeps its classes and fill in
 * step with its entity. Classes the card added are remembered, so a state change removes
 * exactly those and never the SVG file's own classes.
 */
import { entityName } from '../../shared/state.js';
import type { HassEntities } from '../../shared/types.js';
import type { PlanRoomConfig } from './plan-card-config.js';
import { roomAppearance } from './utils.js';

export class RoomBinder {
  private _els: (Element | undefined)[] = [];
  private _rooms: PlanRoomConfig[] = [];
  private _index = new WeakMap<Element, number>();
  private readonly _added = new WeakMap<Element, string[]>();

  /** Binds rooms to the elements of `svg`; returns the ids not found. `focusable(i)`: room i has a tap action. */
  bind(
    svg: SVGSVGElement | undefined,
    rooms: PlanRoomConfig[],
    states: HassEntities,
    focusable: (i: number) => boolean,
  ): string[] {
    for (const el of this._els) if (el) this._clear(el);
    this._els = [];
    this._rooms = rooms;
    this._index = new WeakMap();
    if (!svg) return [];
    const missing: string[] = [];
    rooms.forEach((room, i) => {
      const el = svg.querySelector(`#${CSS.escape(room.id)}`) ?? undefined;
      this._els[i] = el;
      if (!el) {
        missing.push(room.id);
        return;
      }
      this._index.set(el, i);
      if (focusable(i)) {
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'button');
      }
      this._apply(i, states);
    });
    return missing;
  }

  /** Index of the room an element is bound to. */
  indexOf(el: Element): number | undefined {
    return this._index.get(el);
  }

  /** Re-applies the rooms whose entity's state object changed. */
  update(states: HassEntities, old: HassEntities): void {
    this._rooms.forEach((room, i) => {
      if (states[room.entity] !== old[room.entity]) this._apply(i, states);
    });
  }

  private _clear(el: Element): void {
    const old = this._added.get(el);
    if (old) el.classList.remove(...old);
    el.classList.remove('monitor-has-fill');
    (el as SVGElement).style?.removeProperty('--room-fill');
  }

  private _apply(i: number, states: HassEntities): void {
    const room = this._rooms[i];
    const el = this._els[i];
    if (!room || !el) return;
    const stateObj = states[room.entity];
    const { classes, fill } = roomAppearance(room, stateObj);
    this._clear(el);
    el.classList.add(...classes);
    this._added.set(el, classes);
    if (fill !== undefined) {
      el.classList.add('monitor-has-fill');
      (el as SVGElement).style.setProperty('--room-fill', fill);
    }
    el.setAttribute('aria-label', entityName(stateObj, room.entity));
  }
}
