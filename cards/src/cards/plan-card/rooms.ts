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
  private els: (Element | undefined)[] = [];
  private rooms: PlanRoomConfig[] = [];
  private index = new WeakMap<Element, number>();
  private readonly added = new WeakMap<Element, string[]>();

  /** Binds rooms to the elements of `svg`; returns the ids not found. `focusable(i)`: room i has a tap action. */
  bind(
    svg: SVGSVGElement | undefined,
    rooms: PlanRoomConfig[],
    states: HassEntities,
    focusable: (i: number) => boolean,
  ): string[] {
    for (const el of this.els) if (el) this.clear(el);
    this.els = [];
    this.rooms = rooms;
    this.index = new WeakMap();
    if (!svg) return [];
    const missing: string[] = [];
    rooms.forEach((room, i) => {
      const el = svg.querySelector(`#${CSS.escape(room.id)}`) ?? undefined;
      this.els[i] = el;
      if (!el) {
        missing.push(room.id);
        return;
      }
      this.index.set(el, i);
      if (focusable(i)) {
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'button');
      }
      this.apply(i, states);
    });
    return missing;
  }

  /** Index of the room an element is bound to. */
  indexOf(el: Element): number | undefined {
    return this.index.get(el);
  }

  /** Re-applies the rooms whose entity's state object changed. */
  update(states: HassEntities, old: HassEntities): void {
    this.rooms.forEach((room, i) => {
      if (states[room.entity] !== old[room.entity]) this.apply(i, states);
    });
  }

  private clear(el: Element): void {
    const old = this.added.get(el);
    if (old) el.classList.remove(...old);
    el.classList.remove('monitor-has-fill');
    (el as SVGElement).style?.removeProperty('--room-fill');
  }

  private apply(i: number, states: HassEntities): void {
    const room = this.rooms[i];
    const el = this.els[i];
    if (!room || !el) return;
    const stateObj = states[room.entity];
    const { classes, fill } = roomAppearance(room, stateObj);
    this.clear(el);
    el.classList.add(...classes);
    this.added.set(el, classes);
    if (fill !== undefined) {
      el.classList.add('monitor-has-fill');
      (el as SVGElement).style.setProperty('--room-fill', fill);
    }
    el.setAttribute('aria-label', entityName(stateObj, room.entity));
  }
}
