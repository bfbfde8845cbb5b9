/**
 * Keyboard and screen readers, across the four cards in Chromium: every control is reachable
 * with Tab (a button, or a focusable element with a role) and has an accessible name (its text
 * or aria-label), in French and English. States come from the same fixtures as the card tests.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { fixture, useHarness } from './helpers/harness.js';
import { meterStates } from './helpers/linky-states.js';
import { printerStates, statusOf } from './helpers/printer-states.js';

type Win = Window & {
  harness: {
    mount(tag: string, config: unknown, opts?: Record<string, unknown>): Promise<{ error: string | null }>;
    clear(): void;
  };
};

const STATES = fixture('states.json') as { plan: Record<string, unknown>; alarm: Record<string, unknown> };
const linky = meterStates('historic-tri-tempo.tic.txt', 0);
const printing = printerStates('Voron 2.4', statusOf('printing'), { snapshot: true });
const paused = printerStates('Prusa MK4', statusOf('paused'));

const CASES: [string, Record<string, unknown>, Record<string, unknown>][] = [
  [
    'monitor-plan-card',
    { image: '/test/cards/fixtures/plan.svg', markers: [{ entity: 'light.living', x: 200, y: 150 }] },
    STATES.plan,
  ],
  ['monitor-alarm-card', { entity: 'alarm_control_panel.manual_disarmed' }, STATES.alarm],
  ['monitor-linky-card', {}, linky.states],
  ['monitor-printer-card', {}, { ...printing.states, ...paused.states }],
];

let page: Page;

/** Every interactive element under the card, through nested shadow roots, with its name. */
const controls = () =>
  page.evaluate(() => {
    const out: { tag: string; name: string; focusable: boolean }[] = [];
    const roots: (ShadowRoot | Element)[] = [(window as unknown as { card: Element }).card.shadowRoot!];
    while (roots.length) {
      const root = roots.pop()!;
      for (const el of root.querySelectorAll<HTMLElement>('*')) {
        if (el.shadowRoot) roots.push(el.shadowRoot);
        const role = el.getAttribute('role');
        if (el.localName === 'button' || el.localName === 'input' || role === 'button' || role === 'meter') {
          const name = (
            el.getAttribute('aria-label') ??
            el.getAttribute('placeholder') ??
            el.textContent ??
            ''
          ).trim();
          out.push({ tag: `${el.localName}${role ? `[${role}]` : ''}`, name, focusable: el.tabIndex >= 0 });
        }
      }
    }
    return out;
  });

describe('cards: keyboard and accessible names', () => {
  const session = useHarness();
  before(() => {
    ({ page } = session);
  });

  for (const language of ['en', 'fr']) {
    for (const [tag, config, states] of CASES) {
      it(`${tag} (${language}): every control focusable and named`, async () => {
        await page.evaluate(() => (window as unknown as Win).harness.clear());
        const r = await page.evaluate(
          ([t, c, s, l]) =>
            (window as unknown as Win).harness.mount(
              t,
              { type: `custom:${t}`, ...c },
              { states: s, language: l },
            ),
          [tag, config, states, language] as const,
        );
        assert.equal(r.error, null);
        await page.waitForTimeout(100);
        const found = await controls();
        assert.ok(found.length > 0, `${tag} has controls`);
        for (const c of found) {
          assert.ok(c.focusable, `${tag}: ${c.tag} "${c.name}" reachable with Tab`);
          assert.ok(c.name.length > 0, `${tag}: ${c.tag} has an accessible name`);
        }
      });
    }
  }
});
