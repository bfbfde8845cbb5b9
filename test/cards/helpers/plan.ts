/** Shared by the plan card's browser tests: fixtures config, mounting, reading markers and rooms. */
import type { Page } from 'playwright-core';
import { fixture } from './harness.js';

export type Win = Window & {
  harness: {
    mount(tag: string, config: unknown, opts?: Record<string, unknown>): Promise<{ error: string | null }>;
    clear(): void;
  };
  ctl: {
    calls: unknown[];
    actions: { action: string; config: Record<string, unknown> }[];
    setState(id: string, state: string, attrs?: Record<string, unknown>): void;
    setLanguage(l: string): void;
  };
  card: HTMLElement & { updateComplete: Promise<boolean>; shadowRoot: ShadowRoot };
  __pwned?: string;
};

export const PLAN_STATES = (fixture('states.json') as { plan: Record<string, unknown> }).plan;
export const CONFIG = {
  type: 'custom:monitor-plan-card',
  title: 'Rez-de-chaussée',
  image: '/test/cards/fixtures/plan.svg',
  markers: [
    { entity: 'light.living', x: 200, y: 150 },
    {
      entity: 'light.kitchen',
      x: 600,
      y: 100,
      label: 'Cuisine',
      tap_action: { action: 'toggle' },
      double_tap_action: { action: 'more-info' },
    },
    { entity: 'binary_sensor.front_door', x: 40, y: 200 },
    { entity: 'binary_sensor.hall_motion', x: 320, y: 400 },
    { entity: 'sensor.living_temperature', x: 120, y: 250 },
    { entity: 'sensor.bathroom_humidity', x: 100, y: 400, show_value: false },
    { entity: 'switch.bedroom_heater', x: 600, y: 350 },
    { entity: 'lock.front', x: 60, y: 290, icon: 'mdi:lock' },
    { entity: 'light.missing', x: 700, y: 450 },
  ],
  rooms: [
    { id: 'living', entity: 'light.living' },
    { id: 'kitchen', entity: 'light.kitchen', hold_action: { action: 'none' } },
    { id: 'hall', entity: 'binary_sensor.hall_motion', classes: { on: 'occupied' } },
    { id: 'bedroom', entity: 'switch.bedroom_heater' },
    { id: 'bathroom', entity: 'sensor.bathroom_humidity', fills: { default: 'var(--info-color)' } },
  ],
};

export async function mountPlan(
  page: Page,
  config: unknown,
  opts: Record<string, unknown> = {},
): Promise<string | null> {
  await page.evaluate(() => (window as unknown as Win).harness.clear());
  const r = await page.evaluate(
    ([c, o]) => (window as unknown as Win).harness.mount('monitor-plan-card', c, o),
    [config, { states: PLAN_STATES, ...opts }] as const,
  );
  if (r.error === null) {
    await page.waitForFunction(() => {
      const root = (window as unknown as Win).card.shadowRoot;
      return (
        root.querySelector('.plan svg, .plan img') !== null &&
        root.querySelectorAll('monitor-plan-marker').length > 0
      );
    });
    await page.evaluate(() => (window as unknown as Win).card.updateComplete);
  }
  return r.error;
}

/** Marker facts read through the card's shadow root. */
export function markers(
  page: Page,
): Promise<{ entity: string; cls: string; aria: string; text: string; color: string; left: string }[]> {
  return page.evaluate(() =>
    [
      ...(window as unknown as Win).card.shadowRoot.querySelectorAll<
        HTMLElement & { marker: { entity: string } }
      >('monitor-plan-marker'),
    ].map((m) => ({
      entity: m.marker.entity,
      cls: m.className,
      aria: m.getAttribute('aria-label') ?? '',
      text: m.querySelector('.texts')?.textContent ?? '',
      color: m.style.getPropertyValue('--marker-color'),
      left: m.style.left,
    })),
  );
}

export function room(page: Page, id: string): Promise<{ cls: string; fill: string }> {
  return page.evaluate((rid) => {
    const el = (window as unknown as Win).card.shadowRoot.querySelector(`.plan svg #${rid}`) as SVGElement;
    const shape = el.localName === 'g' ? (el.firstElementChild as SVGElement) : el;
    return { cls: el.getAttribute('class') ?? '', fill: getComputedStyle(shape).fill };
  }, id);
}
