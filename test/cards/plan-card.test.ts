/**
 * monitor-plan-card in real Chromium: markers, rooms, actions, zoom and pan, sanitising,
 * French and English, light and dark theme, and 500 markers where one state change
 * re-renders one marker only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  type Browser,
  ensureBundle,
  fixture,
  launchBrowser,
  openHarness,
  screenshot,
  startServer,
  type TestServer,
} from './helpers/harness.js';

type Win = Window & {
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

const PLAN_STATES = (fixture('states.json') as { plan: Record<string, unknown> }).plan;
const CONFIG = {
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

let server: TestServer;
let browser: Browser;
let page: Page;
let errors: string[];

async function mount(config: unknown, opts: Record<string, unknown> = {}): Promise<string | null> {
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
function markers(): Promise<
  { entity: string; cls: string; aria: string; text: string; color: string; left: string }[]
> {
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

function room(id: string): Promise<{ cls: string; fill: string }> {
  return page.evaluate((rid) => {
    const el = (window as unknown as Win).card.shadowRoot.querySelector(`.plan svg #${rid}`) as SVGElement;
    const shape = el.localName === 'g' ? (el.firstElementChild as SVGElement) : el;
    return { cls: el.getAttribute('class') ?? '', fill: getComputedStyle(shape).fill };
  }, id);
}

describe('monitor-plan-card', () => {
  before(async () => {
    await ensureBundle();
    server = await startServer();
    browser = await launchBrowser();
    ({ page, errors } = await openHarness(browser, server));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders markers, values, labels and rooms in French, light theme', async () => {
    assert.equal(await mount(CONFIG, { language: 'fr' }), null);
    const ms = await markers();
    assert.equal(ms.length, 9);
    const by = (e: string) => ms.find((m) => m.entity === e)!;
    assert.equal(by('sensor.living_temperature').text, '21,5\u00a0°C');
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
    assert.equal(ms.find((m) => m.entity === 'sensor.living_temperature')?.text, '21.5\u00a0°C');
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
    assert.equal(
      (await markers()).find((m) => m.entity === 'sensor.living_temperature')?.text,
      '21,5\u00a0°C',
    );
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
        assert.equal(temp, language === 'fr' ? '21,5\u00a0°C' : '21.5\u00a0°C');
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

  it('uses HA formatEntityState when the frontend provides it', async () => {
    assert.equal(await mount(CONFIG, { formatEntityState: true }), null);
    assert.equal(
      (await markers()).find((m) => m.entity === 'sensor.living_temperature')?.text,
      '21.5 °C [ha]',
    );
  });

  it('fires hass-action for tap, hold and double tap on markers and rooms', async () => {
    assert.equal(await mount(CONFIG), null);
    const badge = (entity: string) =>
      page.evaluate((e) => {
        const m = [
          ...(window as unknown as Win).card.shadowRoot.querySelectorAll<
            HTMLElement & { marker: { entity: string } }
          >('monitor-plan-marker'),
        ].find((x) => x.marker.entity === e)!;
        const r = m.querySelector('.badge')!.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      }, entity);
    const actions = () => page.evaluate(() => (window as unknown as Win).ctl.actions.splice(0));

    let p = await badge('light.living');
    await page.mouse.click(p.x, p.y);
    let got = await actions();
    assert.equal(got.length, 1);
    assert.equal(got[0]?.action, 'tap');
    assert.equal(got[0]?.config.entity, 'light.living');
    assert.deepEqual(got[0]?.config.tap_action, { action: 'more-info' });

    await page.mouse.move(p.x, p.y);
    await page.mouse.down();
    await page.waitForTimeout(700);
    await page.mouse.up();
    got = await actions();
    assert.deepEqual(
      got.map((a) => a.action),
      ['hold'],
    );
    assert.deepEqual(got[0]?.config.hold_action, { action: 'more-info' });

    p = await badge('light.kitchen');
    await page.mouse.click(p.x, p.y);
    assert.deepEqual(await actions(), [], 'waits for a possible second tap');
    await page.waitForTimeout(400);
    got = await actions();
    assert.deepEqual(
      got.map((a) => [a.action, a.config.tap_action]),
      [['tap', { action: 'toggle' }]],
    );
    await page.mouse.dblclick(p.x, p.y);
    await page.waitForTimeout(400);
    assert.deepEqual(
      (await actions()).map((a) => a.action),
      ['double_tap'],
    );

    const hall = await page.evaluate(() => {
      const r = (window as unknown as Win).card.shadowRoot
        .querySelector('.plan svg #hall')!
        .getBoundingClientRect();
      return { x: r.x + r.width / 2 + 30, y: r.y + r.height / 2 - 30 };
    });
    await page.mouse.click(hall.x, hall.y);
    got = await actions();
    assert.deepEqual(
      got.map((a) => [a.action, a.config.entity]),
      [['tap', 'binary_sensor.hall_motion']],
    );

    // HA moves cards around (edit mode): listeners come back after a detach / attach.
    await page.evaluate(async () => {
      const card = (window as unknown as Win).card;
      const parent = card.parentElement!;
      card.remove();
      parent.append(card);
      await card.updateComplete;
    });
    p = await badge('light.living');
    await page.mouse.click(p.x, p.y);
    assert.deepEqual(
      (await actions()).map((a) => [a.action, a.config.entity]),
      [['tap', 'light.living']],
    );

    await page.focus('#card >> monitor-plan-marker >> nth=0');
    await page.keyboard.press('Enter');
    assert.deepEqual(
      (await actions()).map((a) => [a.action, a.config.entity]),
      [['tap', 'light.living']],
    );
  });

  it('zooms with ctrl + wheel, pinch and buttons, pans, and keeps markers the same size', async () => {
    assert.equal(await mount(CONFIG), null);
    const facts = () =>
      page.evaluate(() => {
        const root = (window as unknown as Win).card.shadowRoot;
        const stage = root.querySelector<HTMLElement>('.stage')!;
        return {
          transform: stage.style.transform,
          zoom: Number(stage.style.getPropertyValue('--zoom') || '1'),
          zoomed: root.querySelector('.viewport')!.classList.contains('zoomed'),
          badge: root.querySelector('monitor-plan-marker .badge')!.getBoundingClientRect().width,
        };
      });
    const before = await facts();
    const vp = (await page.locator('#card .viewport').boundingBox())!;
    await page.mouse.move(vp.x + vp.width / 2, vp.y + vp.height / 2);
    await page.mouse.wheel(0, 100);
    assert.equal((await facts()).zoom, 1, 'plain wheel scrolls the page, no zoom');
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
    const zoomed = await facts();
    assert.ok(zoomed.zoom > 1.3, `zoom ${zoomed.zoom}`);
    assert.ok(zoomed.zoomed);
    assert.ok(Math.abs(zoomed.badge - before.badge) < 1, 'markers keep their size');
    // Drag on an empty spot pans.
    await page.mouse.move(vp.x + 300, vp.y + 40);
    await page.mouse.down();
    await page.mouse.move(vp.x + 250, vp.y + 20, { steps: 5 });
    await page.mouse.up();
    const panned = await facts();
    assert.notEqual(panned.transform, zoomed.transform);
    assert.equal(panned.zoom, zoomed.zoom);
    await page.click('#card .controls .reset');
    assert.equal((await facts()).zoom, 1);
    await page.click('#card .controls .zoom-in');
    assert.equal((await facts()).zoom, 1.5);
    await page.click('#card .controls .zoom-out');
    assert.equal((await facts()).zoom, 1);
    // Pinch: two pointers moving apart.
    await page.evaluate(
      ({ x, y }) => {
        const el = (window as unknown as Win).card.shadowRoot.querySelector('.viewport')!;
        // No named helper here: tsx would wrap it with a __name() the page does not have.
        const steps: [string, number, number][] = [
          ['pointerdown', 1, x - 20],
          ['pointerdown', 2, x + 20],
          ['pointermove', 1, x - 60],
          ['pointermove', 2, x + 60],
          ['pointerup', 1, x - 60],
          ['pointerup', 2, x + 60],
        ];
        for (const [type, id, cx] of steps) {
          el.dispatchEvent(
            new PointerEvent(type, {
              pointerId: id,
              clientX: cx,
              clientY: y,
              bubbles: true,
              composed: true,
              pointerType: 'touch',
              isPrimary: id === 1,
            }),
          );
        }
      },
      { x: vp.x + vp.width / 2, y: vp.y + vp.height / 2 },
    );
    const pinched = await facts();
    assert.ok(pinched.zoom > 2, `pinch zoom ${pinched.zoom}`);
    await screenshot(page, '#card', 'plan-zoomed');
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

  it('makes an SVG plan inert: no script, handler or javascript: link survives', async () => {
    const config = {
      type: 'custom:monitor-plan-card',
      image: '/test/cards/fixtures/evil.svg',
      markers: [{ entity: 'light.living', x: 10, y: 10 }],
      rooms: [{ id: 'room', entity: 'light.living' }],
    };
    assert.equal(await mount(config), null);
    const facts = await page.evaluate(() => {
      const svg = (window as unknown as Win).card.shadowRoot.querySelector('.plan svg')!;
      const attrs = [svg, ...svg.querySelectorAll('*')].flatMap((el) =>
        [...el.attributes].map((a) => `${a.name}=${a.value}`),
      );
      return {
        tags: [...svg.querySelectorAll('*')].map((e) => e.localName),
        handlers: attrs.filter((a) => /^on/i.test(a)),
        scripts: attrs.filter((a) => /javascript:|data:text/i.test(a)),
      };
    });
    assert.deepEqual(facts.handlers, []);
    assert.deepEqual(facts.scripts, []);
    for (const tag of ['script', 'foreignObject', 'set', 'div', 'img'])
      assert.ok(!facts.tags.includes(tag), tag);
    const r = (await page.locator('#card .plan svg #room').boundingBox())!;
    await page.mouse.click(r.x + 20, r.y + 20);
    await page.mouse.click(r.x + r.width + 20, r.y + 20);
    await page.waitForTimeout(100);
    assert.equal(await page.evaluate(() => (window as unknown as Win).__pwned), undefined);
    const acts = await page.evaluate(() =>
      (window as unknown as Win).ctl.actions.map((a) => a.config.entity),
    );
    assert.deepEqual(acts, ['light.living'], 'the sanitised room still works');
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

  it('with 500 markers, one state change re-renders one marker and not the card', async () => {
    const states: Record<string, unknown> = {};
    const ms = [];
    for (let i = 0; i < 500; i++) {
      const id = i % 2 ? `sensor.t_${i}` : `light.l_${i}`;
      states[id] =
        i % 2
          ? {
              state: String(18 + (i % 7)),
              attributes: { unit_of_measurement: '°C', device_class: 'temperature' },
            }
          : { state: i % 4 ? 'on' : 'off', attributes: {} };
      ms.push({ entity: id, x: 20 + (i % 25) * 31, y: 20 + Math.floor(i / 25) * 23 });
    }
    await page.evaluate(() => (window as unknown as Win).harness.clear());
    const started = Date.now();
    await page.evaluate(
      ([c, s]) => (window as unknown as Win).harness.mount('monitor-plan-card', c, { states: s, width: 860 }),
      [
        {
          type: 'x',
          image: '/test/cards/fixtures/plan.svg',
          width: 800,
          height: 500,
          markers: ms,
          zoom: true,
        },
        states,
      ] as const,
    );
    await page.waitForFunction(
      () =>
        (window as unknown as Win).card.shadowRoot.querySelectorAll('monitor-plan-marker .badge').length ===
        500,
    );
    assert.ok(Date.now() - started < 20_000);
    const result = await page.evaluate(async () => {
      const w = window as unknown as Win & { renders: string[]; cardUpdates: number };
      w.renders = [];
      w.cardUpdates = 0;
      const Marker = customElements.get('monitor-plan-marker')!;
      const proto = Marker.prototype as unknown as { update(c: unknown): void; marker: { entity: string } };
      const orig = proto.update;
      proto.update = function (this: typeof proto, c: unknown) {
        w.renders.push(this.marker.entity);
        orig.call(this, c);
      };
      const card = w.card as unknown as { update(c: unknown): void };
      const origCard = card.update;
      card.update = function (this: unknown, c: unknown) {
        w.cardUpdates++;
        origCard.call(this, c);
      };
      w.ctl.setState('sensor.t_251', '30.5', { unit_of_measurement: '°C', device_class: 'temperature' });
      await w.card.updateComplete;
      const el = [
        ...w.card.shadowRoot.querySelectorAll<HTMLElement & { marker: { entity: string } }>(
          'monitor-plan-marker',
        ),
      ].find((m) => m.marker.entity === 'sensor.t_251')!;
      proto.update = orig;
      return {
        renders: w.renders,
        cardUpdates: w.cardUpdates,
        text: el.querySelector('.value')?.textContent,
      };
    });
    assert.deepEqual(result.renders, ['sensor.t_251']);
    assert.equal(result.cardUpdates, 0);
    assert.equal(result.text, '30.5\u00a0°C');
    await screenshot(page, '#card', 'plan-500-markers');
  });

  // Last: defines HA's icon elements for the rest of this page.
  it('uses HA ha-state-icon / ha-icon when the page has them', async () => {
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
    assert.equal(await mount(CONFIG), null);
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
    assert.deepEqual(icons[8], [null, null, true], 'a missing entity keeps the bundled fallback icon');
  });
});
