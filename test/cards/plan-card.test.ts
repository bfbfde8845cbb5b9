/**
 * monitor-plan-card in real Chromium, what it shows: markers, values, labels, rooms, image and
 * SVG plans, errors, French and English, light and dark theme, HA's icon elements.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot, useHarness } from './helpers/harness.js';
import {
  CONFIG,
  mountPlan,
  PLAN_STATES,
  markers as readMarkers,
  room as readRoom,
  type Win,
} from './helpers/plan.js';

let page: Page;
let errors: string[];

const mount = (config: unknown, opts: Record<string, unknown> = {}) => mountPlan(page, config, opts);
const markers = () => readMarkers(page);
const room = (id: string) => readRoom(page, id);

describe('monitor-plan-card rendering', () => {
  const session = useHarness();
  before(() => {
    ({ page, errors } = session);
  });

  it('renders markers, values, labels and rooms in French, light theme', async () => {
    assert.equal(await mount(CONFIG, { language: 'fr' }), null);
    const ms = await markers();
    assert.equal(ms.length, 9);
    const by = (e: string) => ms.find((m) => m.entity === e)!;
    assert.equal(by('sensor.living_temperature').text, '21,5 °C');
    assert.equal(by('sensor.bathroom_humidity').text, '', 'show_value: false hides the value');
    assert.equal(by('light.kitchen').text, 'Cuisine');
    assert.match(by('light.living').cls, /kind-active/);
    assert.match(by('light.living').color, /--state-light-on-color/);
    assert.match(by('light.kitchen').cls, /kind-inactive/);
    assert.match(by('switch.bedroom_heater').cls, /kind-unavailable/);
    assert.equal(by('switch.bedroom_heater').aria, 'Bedroom heater: Indisponible');
    assert.match(by('light.missing').cls, /kind-missing/);
    assert.match(by('light.missing').aria, /Entité introuvable : light\.missing/);
    assert.equal(by('light.living').left, '25%');
    assert.match(by('binary_sensor.front_door').aria, /Front door: Fermé/);

    const living = await room('living');
    assert.match(living.cls, /\bmonitor-room\b.*\bmonitor-active\b.*\bmonitor-auto\b/);
    assert.equal(living.fill, 'rgb(255, 193, 7)', 'active room takes --state-active-color');
    const hall = await room('hall');
    assert.match(hall.cls, /\boccupied\b/);
    assert.doesNotMatch(hall.cls, /monitor-auto/);
    assert.equal(hall.fill, 'rgb(46, 125, 50)', 'the class is styled by the SVG file itself');
    assert.match((await room('bedroom')).cls, /monitor-unavailable/);
    assert.equal((await room('bathroom')).fill, 'rgb(3, 155, 229)', 'fills map → --info-color');
    assert.equal((await room('kitchen')).fill, 'rgb(243, 243, 243)', 'inactive room keeps the file fill');
    await screenshot(page, '#card', 'plan-fr-light');
    assert.deepEqual(errors, []);
  });

  it('renders in English with the dark theme, and follows a language change', async () => {
    assert.equal(await mount(CONFIG, { language: 'en', darkMode: true }), null);
    const ms = await markers();
    assert.equal(ms.find((m) => m.entity === 'sensor.living_temperature')?.text, '21.5 °C');
    assert.equal(ms.find((m) => m.entity === 'switch.bedroom_heater')?.aria, 'Bedroom heater: Unavailable');
    const bg = await page.evaluate(
      () =>
        getComputedStyle((window as unknown as Win).card.shadowRoot.querySelector('ha-card')!)
          .backgroundColor,
    );
    assert.equal(bg, 'rgb(28, 28, 28)');
    await screenshot(page, '#card', 'plan-en-dark');
    await page.evaluate(() => (window as unknown as Win).ctl.setLanguage('fr'));
    await page.evaluate(() => (window as unknown as Win).card.updateComplete);
    assert.equal((await markers()).find((m) => m.entity === 'sensor.living_temperature')?.text, '21,5 °C');
    assert.equal(
      await page.evaluate(() =>
        (window as unknown as Win).card.shadowRoot.querySelector('.zoom-in')?.getAttribute('title'),
      ),
      'Zoomer',
    );
  });

  for (const language of ['fr', 'en'] as const) {
    for (const theme of ['light', 'dark'] as const) {
      it(`renders in ${language}, ${theme} theme`, async () => {
        assert.equal(await mount(CONFIG, { language, darkMode: theme === 'dark' }), null);
        const ms = await markers();
        const temp = ms.find((m) => m.entity === 'sensor.living_temperature')?.text;
        assert.equal(temp, language === 'fr' ? '21,5 °C' : '21.5 °C');
        const door = ms.find((m) => m.entity === 'binary_sensor.front_door')?.aria;
        assert.equal(door, language === 'fr' ? 'Front door: Fermé' : 'Front door: Closed');
        const colours = await page.evaluate(() => {
          const root = (window as unknown as Win).card.shadowRoot;
          return [
            getComputedStyle(root.querySelector('ha-card')!).backgroundColor,
            getComputedStyle(root.querySelector('.card-header')!).color,
          ];
        });
        assert.deepEqual(
          colours,
          theme === 'dark'
            ? ['rgb(28, 28, 28)', 'rgb(225, 225, 225)']
            : ['rgb(255, 255, 255)', 'rgb(33, 33, 33)'],
        );
        await screenshot(page, '#card', `plan-${language}-${theme}`);
      });
    }
  }

  it("shows HA's formatEntityState wording, and the raw state on a frontend without it", async () => {
    assert.equal(await mount(CONFIG, { formatEntityState: 'marked' }), null);
    assert.equal(
      (await markers()).find((m) => m.entity === 'sensor.living_temperature')?.text,
      '21.5 °C [ha]',
    );
    assert.equal(await mount(CONFIG, { formatEntityState: false }), null);
    const ms = await markers();
    assert.equal(ms.find((m) => m.entity === 'sensor.living_temperature')?.text, '21.5');
    assert.equal(ms.find((m) => m.entity === 'binary_sensor.front_door')?.aria, 'Front door: off');
  });

  it('shows a raster plan sized from the image itself', async () => {
    const config = {
      type: 'custom:monitor-plan-card',
      image: '/test/cards/fixtures/plan.png',
      markers: [{ entity: 'light.living', x: 200, y: 125 }],
    };
    assert.equal(await mount(config), null);
    await page.waitForFunction(
      () =>
        (window as unknown as Win).card.shadowRoot.querySelector<HTMLElement>('monitor-plan-marker')?.style
          .left === '50%',
    );
    const ratio = await page.evaluate(() => {
      const r = (window as unknown as Win).card.shadowRoot
        .querySelector('.viewport')!
        .getBoundingClientRect();
      return r.width / r.height;
    });
    assert.ok(Math.abs(ratio - 400 / 250) < 0.02, `ratio ${ratio}`);
  });

  it('reports config errors, a plan that does not load, and room ids not in the plan', async () => {
    assert.match(
      (
        await page.evaluate(() =>
          (window as unknown as Win).harness.mount('monitor-plan-card', { type: 'x', markers: [] }),
        )
      ).error ?? '',
      /^image: required/,
    );
    await page.evaluate(() => (window as unknown as Win).harness.clear());
    await page.evaluate(
      (s) =>
        (window as unknown as Win).harness.mount(
          'monitor-plan-card',
          { type: 'x', image: '/test/cards/fixtures/nope.svg', markers: [] },
          { states: s, language: 'fr' },
        ),
      PLAN_STATES,
    );
    await page.waitForFunction(
      () => (window as unknown as Win).card.shadowRoot.querySelector('.warning') !== null,
    );
    assert.match(
      (await page.locator('#card .warning').textContent()) ?? '',
      /Impossible de charger le plan : \/test\/cards\/fixtures\/nope\.svg/,
    );
    errors.splice(0);
    assert.equal(
      await mount({ ...CONFIG, rooms: [{ id: 'attic', entity: 'light.living' }] }, { language: 'en' }),
      null,
    );
    await page.waitForFunction(
      () => (window as unknown as Win).card.shadowRoot.querySelector('.warning') !== null,
    );
    assert.match(
      (await page.locator('#card .warning').textContent()) ?? '',
      /No element with id "attic" in the plan/,
    );
  });

  // Last: defines HA's icon elements for the rest of this page. The card is drawn before they
  // exist (HA may load them after the first render) and switches to them once defined.
  it('uses HA ha-state-icon / ha-icon once the page defines them', async () => {
    assert.equal(await mount(CONFIG), null);
    const countHaIcons = () =>
      page.evaluate(
        () =>
          (window as unknown as Win).card.shadowRoot.querySelectorAll(
            'monitor-plan-marker ha-state-icon, monitor-plan-marker ha-icon',
          ).length,
      );
    assert.equal(await countHaIcons(), 0, 'outside HA: bundled icons');
    await page.evaluate(() => {
      for (const name of ['ha-state-icon', 'ha-icon']) {
        customElements.define(
          name,
          class extends HTMLElement {
            stateObj?: { entity_id: string };
            icon?: string;
            hass?: unknown;
          },
        );
      }
    });
    await page.waitForFunction(
      () =>
        (window as unknown as Win).card.shadowRoot.querySelectorAll('monitor-plan-marker ha-state-icon')
          .length > 0,
    );
    const icons = await page.evaluate(() =>
      [...(window as unknown as Win).card.shadowRoot.querySelectorAll('monitor-plan-marker')].map((m) => {
        const el = m.querySelector('ha-state-icon, ha-icon') as
          | (HTMLElement & { stateObj?: { entity_id: string }; icon?: string; hass?: unknown })
          | null;
        return [
          el?.localName ?? null,
          el?.stateObj?.entity_id ?? el?.icon ?? null,
          el?.localName === 'ha-state-icon' ? el.hass !== undefined : true,
        ];
      }),
    );
    assert.deepEqual(icons[0], ['ha-state-icon', 'light.living', true]);
    assert.deepEqual(icons[7], ['ha-icon', 'mdi:lock', true]);
    assert.deepEqual(icons[8], [null, null, true], 'a missing entity keeps the bundled dot');
  });
});
