/**
 * monitor-plan-card in real Chromium, what it does: tap / hold / double-tap actions, zoom and
 * pan, SVG sanitising, and 500 markers where one state change re-renders one marker only.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot, useHarness } from './helpers/harness.js';
import { CONFIG, mountPlan, markers as readMarkers, room as readRoom, type Win } from './helpers/plan.js';

let page: Page;

const mount = (config: unknown, opts: Record<string, unknown> = {}) => mountPlan(page, config, opts);
const _markers = () => readMarkers(page);
const _room = (id: string) => readRoom(page, id);

describe('monitor-plan-card interaction', () => {
  const session = useHarness();
  before(() => {
    ({ page } = session);
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
    assert.equal(result.text, '30.5 °C');
    await screenshot(page, '#card', 'plan-500-markers');
  });
});
