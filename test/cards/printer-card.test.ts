/**
 * monitor-printer-card in real Chromium, with the entities Monitor publishes for a Moonraker
 * printer (helpers/printer-states.ts: Moonraker's documented status through the printers
 * module's own parser and entity declarations): idle, printing, paused, error, offline, one with
 * disabled entities, and a fleet of 20.
 */
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot, useHarness } from './helpers/harness.js';
import { type HaState, printerStates, statusOf, type Variant } from './helpers/printer-states.js';

type Row = HTMLElement & { shadowRoot: ShadowRoot; renderCount: number; updateComplete: Promise<boolean> };
type Card = HTMLElement & {
  updateComplete: Promise<boolean>;
  shadowRoot: ShadowRoot;
  renderCount: number;
  setConfig(c: unknown): void;
};
type Win = Window & {
  harness: {
    mount(tag: string, config: unknown, opts?: Record<string, unknown>): Promise<{ error: string | null }>;
    clear(): void;
  };
  ctl: {
    actions: { action: string; config: Record<string, unknown> }[];
    setState(id: string, state: string, attrs?: Record<string, unknown>): void;
    removeState(id: string): void;
    hass: { states: Record<string, { attributes: Record<string, unknown> }> };
  };
  card: Card;
};

let page: Page;
let errors: string[];

function fleet(specs: [string, Variant, { snapshot?: boolean; remaining?: number }?][]) {
  const all: Record<string, HaState> = {};
  const prefixes: string[] = [];
  for (const [name, variant, o] of specs) {
    const status = statusOf(variant);
    if (o?.remaining !== undefined && status.remaining !== null) status.remaining = o.remaining;
    const { prefix, states } = printerStates(name, status, { snapshot: o?.snapshot ?? false });
    prefixes.push(prefix);
    Object.assign(all, states);
  }
  return { states: all, prefixes };
}

async function mount(config: Record<string, unknown>, states: Record<string, unknown>, opts = {}) {
  const r = await page.evaluate(
    ([c, s, o]) =>
      (window as unknown as Win).harness.mount(
        'monitor-printer-card',
        { type: 'custom:monitor-printer-card', ...c },
        { states: s, width: 480, ...o },
      ),
    [config, states, opts] as const,
  );
  assert.equal(r.error, null);
  await settle();
}

const settle = () =>
  page.evaluate(async () => {
    const card = (window as unknown as Win).card;
    await card.updateComplete;
    for (const r of card.shadowRoot.querySelectorAll<Row>('monitor-printer-row')) await r.updateComplete;
  });

/** Texts inside each row's shadow root matching a selector, row by row. */
const rowTexts = (sel: string) =>
  page.evaluate(
    (s) =>
      [...(window as unknown as Win).card.shadowRoot.querySelectorAll<Row>('monitor-printer-row')].map((r) =>
        [...r.shadowRoot.querySelectorAll<HTMLElement>(s)].map(
          (e) => e.textContent?.replace(/[ \t\n\r]+/g, ' ').trim() ?? '',
        ),
      ),
    sel,
  );

const clock = (iso: string, lang: string) =>
  new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(Date.parse(iso));

describe('monitor-printer-card', () => {
  const session = useHarness();
  before(() => {
    ({ page, errors } = session);
  });
  beforeEach(async () => {
    await page.evaluate(() => (window as unknown as Win).harness.clear());
  });

  it('printing (Moonraker, French): ring, end time, time left, elapsed, file, layer, temperatures', async () => {
    const { states, prefixes } = fleet([['Voron 2.4', 'printing']]);
    await mount({}, states, { language: 'fr' });
    const eta = (states[`sensor.${prefixes[0]}_eta`] as HaState).state;
    assert.deepEqual(await rowTexts('.name, .state, .file, .ends, .left, .elapsed, .layer'), [
      [
        'Voron 2.4',
        'Impression',
        'calibration/benchy.gcode',
        `Fin à ${clock(eta, 'fr')}`,
        'reste 1\u00a0h\u00a000',
        'depuis 20\u00a0min',
        'Couche 60 / 240',
      ],
    ]);
    assert.deepEqual(await rowTexts('.temp'), [
      ['Buse 215,0 / 215\u00a0°C', 'Plateau 59,9 / 60\u00a0°C', 'Caisson 31,2\u00a0°C'],
    ]);
    const ring = await page.evaluate(() => {
      const r = (window as unknown as Win).card.shadowRoot.querySelector<Row>(
        'monitor-printer-row',
      )!.shadowRoot;
      const el = r.querySelector('[role=progressbar]')!;
      return [el.getAttribute('aria-valuenow'), el.textContent?.trim()];
    });
    assert.deepEqual(ring, ['25', '25\u00a0%']);
    assert.deepEqual(await rowTexts('.commands button'), [['Pause', 'Annuler']]);
    assert.equal(
      await page.evaluate(() => (window as unknown as Win).card.shadowRoot.querySelector('.summary')),
      null,
    );
    await screenshot(page, '#card', 'printer-printing-fr');
  });

  it('pause and cancel run through hass-action with a confirmation, keyboard included', async () => {
    const { states, prefixes } = fleet([['Voron 2.4', 'printing']]);
    await mount({}, states);
    await page.evaluate(() =>
      (window as unknown as Win).card.shadowRoot
        .querySelector<Row>('monitor-printer-row')!
        .shadowRoot.querySelector<HTMLButtonElement>('button[data-command=pause]')!
        .focus(),
    );
    await page.keyboard.press('Enter');
    const acts = await page.evaluate(() => (window as unknown as Win).ctl.actions);
    assert.deepEqual(acts, [
      {
        action: 'tap',
        config: {
          entity: `button.${prefixes[0]}_pause`,
          tap_action: {
            action: 'perform-action',
            perform_action: 'button.press',
            target: { entity_id: `button.${prefixes[0]}_pause` },
            confirmation: { text: 'Pause the print on Voron 2.4?' },
          },
        },
      },
    ]);
    const names = await page.evaluate(() =>
      [
        ...(window as unknown as Win).card.shadowRoot
          .querySelector<Row>('monitor-printer-row')!
          .shadowRoot.querySelectorAll('.commands button'),
      ].map((b) => b.getAttribute('aria-label')),
    );
    assert.deepEqual(names, ['Pause Voron 2.4', 'Cancel the print on Voron 2.4']);
  });

  it('paused, idle, error and offline each read clearly (English, dark)', async () => {
    const { states } = fleet([
      ['Prusa MK4', 'paused'],
      ['Ender 3', 'idle'],
      ['Bambu X1', 'error'],
      ['Mini', 'offline'],
    ]);
    await mount({ sort: 'config' }, states, { darkMode: true, width: 700 });
    // `sort: config` with the printers found: their order, by entity id.
    assert.deepEqual(await rowTexts('.name, .state'), [
      ['Bambu X1', 'Error'],
      ['Ender 3', 'Idle'],
      ['Mini', 'Offline · connect ECONNREFUSED 192.168.1.40:7125'],
      ['Prusa MK4', 'Paused'],
    ]);
    assert.deepEqual(await rowTexts('.commands button'), [[], [], [], ['Resume', 'Cancel']]);
    const looks = await page.evaluate(() =>
      [...(window as unknown as Win).card.shadowRoot.querySelectorAll<Row>('monitor-printer-row')].map(
        (r) => {
          const a = r.shadowRoot.querySelector('article')!;
          return [
            a.className.replace(/\s+/g, ' ').trim(),
            getComputedStyle(a).borderTopStyle,
            r.shadowRoot.querySelectorAll('.temp').length,
          ];
        },
      ),
    );
    assert.deepEqual(looks, [
      ['printer state-error', 'solid', 3],
      ['printer state-idle', 'solid', 3],
      ['printer state-offline offline', 'dashed', 0],
      ['printer state-paused', 'solid', 3],
    ]);
    assert.equal(
      await page.evaluate(
        () => (window as unknown as Win).card.shadowRoot.querySelector('.summary')?.textContent,
      ),
      '1 printing · 1 idle · 1 in error · 1 offline',
    );
    await screenshot(page, '#card', 'printer-states-en-dark');
  });

  it('a disabled or missing entity hides its line, never the card', async () => {
    const { states, prefixes } = fleet([['Voron 2.4', 'printing']]);
    const p = prefixes[0];
    // Disabled in HA: the entity is simply not in hass.states.
    for (const k of [
      `sensor.${p}_progress`,
      `sensor.${p}_bed_temperature`,
      `sensor.${p}_bed_target`,
      `sensor.${p}_layer`,
    ])
      delete states[k];
    await mount({}, states);
    assert.deepEqual(await rowTexts('[role=progressbar]'), [[]]);
    assert.deepEqual(await rowTexts('.temp .label'), [['Nozzle', 'Chamber']]);
    assert.deepEqual(await rowTexts('.layer'), [[]]);
    assert.deepEqual((await rowTexts('.name, .state, .file'))[0], [
      'Voron 2.4',
      'Printing',
      'calibration/benchy.gcode',
    ]);
    // Even the state sensor going away leaves the printer and its other lines.
    await page.evaluate((id) => (window as unknown as Win).ctl.removeState(id), `sensor.${p}_state`);
    await settle();
    const after = await rowTexts('.name, .temp');
    assert.equal(after.length, 1);
    assert.ok(after[0]!.length >= 2, JSON.stringify(after));
    await screenshot(page, '#card', 'printer-disabled-entities');
  });

  it('fleet of 20: sorted by finishes next, summary, one temperature change re-renders one row', async () => {
    const specs: [string, Variant, { snapshot: boolean; remaining?: number }][] = [];
    const variants: Variant[] = [
      'printing',
      'idle',
      'paused',
      'offline',
      'printing',
      'error',
      'printing',
      'idle',
    ];
    for (let i = 0; i < 20; i++)
      specs.push([
        `P${String(i + 1).padStart(2, '0')}`,
        variants[i % variants.length]!,
        { snapshot: true, remaining: 600 * ((i * 7) % 20) + 600 },
      ]);
    const { states, prefixes } = fleet(specs);
    const requested = new Set<string>();
    page.on('request', (r) => {
      if (r.url().includes('plan.png?entity='))
        requested.add(new URL(r.url()).searchParams.get('entity') ?? '');
    });
    await mount({ title: 'Fleet' }, states, { width: 900 });
    const order = (await rowTexts('.name')).map((r) => r[0]);
    const jobs = specs
      .map(([n, v, o]) => ({ n, v, end: o.remaining }))
      .filter((s) => s.v === 'printing' || s.v === 'paused');
    // Paused jobs have no ETA from Monitor: they follow by remaining time's clock end.
    assert.deepEqual(order.slice(0, jobs.length).sort(), jobs.map((j) => j.n).sort());
    const printing = jobs.filter((j) => j.v === 'printing').sort((a, b) => a.end! - b.end!);
    assert.equal(order[0], printing[0]!.n, 'the print that ends first is on top');
    const summary = await page.evaluate(
      () => (window as unknown as Win).card.shadowRoot.querySelector('.summary')?.textContent ?? '',
    );
    assert.match(
      summary,
      new RegExp(
        `^${jobs.length} printing · 5 idle · 2 in error · 3 offline · next: ${printing[0]!.n} at \\d\\d:\\d\\d (AM|PM)$`,
      ),
    );

    // Snapshots: only rows on screen load theirs.
    await page.waitForTimeout(300);
    const shown = await page.evaluate(
      () =>
        [...(window as unknown as Win).card.shadowRoot.querySelectorAll<Row>('monitor-printer-row')].filter(
          (r) => r.shadowRoot.querySelector('.snapshot img') !== null,
        ).length,
    );
    assert.ok(shown > 0 && shown < 12, `${shown} snapshots shown of 18 with a camera`);
    assert.equal(requested.size, shown, 'one request per visible snapshot, none for the others');

    const counts = await page.evaluate(async (id) => {
      const w = window as unknown as Win;
      const sel = 'monitor-printer-row';
      const before = [...w.card.shadowRoot.querySelectorAll<Row>(sel)].map((r) => r.renderCount);
      const cardBefore = w.card.renderCount;
      const s = w.ctl.hass.states[id]!;
      w.ctl.setState(id, '216.5', s.attributes);
      await w.card.updateComplete;
      for (const r of w.card.shadowRoot.querySelectorAll<Row>(sel)) await r.updateComplete;
      return {
        rows: [...w.card.shadowRoot.querySelectorAll<Row>(sel)].map((r, i) => r.renderCount - before[i]!),
        card: w.card.renderCount - cardBefore,
      };
    }, `sensor.${prefixes[6]}_tool0_temperature`);
    assert.equal(counts.card, 0, 'the card itself does not re-render');
    assert.equal(
      counts.rows.reduce((a, b) => a + b, 0),
      1,
      'one row re-rendered',
    );
    assert.match(JSON.stringify(await rowTexts('.temp')), /216\.5/);

    // Re-sorted (the print that ended last now ends first): each printer keeps its row
    // element, moved rather than rebuilt, so its loaded snapshot stays.
    const last = printing[printing.length - 1]!.n;
    const lastPrefix = prefixes[specs.findIndex(([n]) => n === last)]!;
    const resorted = await page.evaluate(async (id) => {
      const w = window as unknown as Win;
      // No helper function in here: tsx would wrap it in a `__name` the page does not have.
      const sel = 'monitor-printer-row';
      const before = new Map(
        [...w.card.shadowRoot.querySelectorAll<Row>(sel)].map((r) => [r.dataset.key, r]),
      );
      const s = w.ctl.hass.states[id]!;
      w.ctl.setState(id, new Date(Date.now() + 60_000).toISOString(), s.attributes);
      await w.card.updateComplete;
      const after = [...w.card.shadowRoot.querySelectorAll<Row>(sel)];
      return {
        first: after[0]?.dataset.key,
        count: after.length,
        kept: after.filter((r) => before.get(r.dataset.key) === r).length,
      };
    }, `sensor.${lastPrefix}_eta`);
    assert.deepEqual(resorted, { first: lastPrefix, count: 20, kept: 20 });
    assert.equal((await rowTexts('.name'))[0]?.[0], last);
    await screenshot(page, '#card', 'printer-fleet-20');
    assert.deepEqual(errors, []);
  });

  it('a new snapshot (image state) reloads the picture', async () => {
    const { states, prefixes } = fleet([['Voron 2.4', 'printing', { snapshot: true }]]);
    await mount({}, states);
    await page.waitForFunction(() =>
      (window as unknown as Win).card.shadowRoot
        .querySelector<Row>('monitor-printer-row')
        ?.shadowRoot.querySelector('.snapshot img'),
    );
    const src = () =>
      page.evaluate(() =>
        (window as unknown as Win).card.shadowRoot
          .querySelector<Row>('monitor-printer-row')!
          .shadowRoot.querySelector<HTMLImageElement>('.snapshot img')!
          .getAttribute('src'),
      );
    const first = await src();
    await page.evaluate((id) => {
      const w = window as unknown as Win;
      w.ctl.setState(id, '2026-12-06T10:00:05.000Z', w.ctl.hass.states[id]!.attributes);
    }, `image.${prefixes[0]}_snapshot`);
    await settle();
    const second = await src();
    assert.notEqual(first, second);
    assert.match(second ?? '', /v=2026-12-06T10%3A00%3A05\.000Z$/);
  });

  it('editor: printers found as defaults, entity mapping per field, French', async () => {
    const { states, prefixes } = fleet([
      ['Voron 2.4', 'printing'],
      ['Prusa MK4', 'idle'],
    ]);
    await mount({}, states, { language: 'fr' });
    await page.evaluate(async () => {
      const w = window as unknown as Win & { editor: Card; configs: unknown[] };
      const editor = document.createElement('monitor-printer-card-editor') as Card & { hass: unknown };
      editor.id = 'editor';
      w.configs = [];
      editor.addEventListener('config-changed', (e) => {
        const c = (e as CustomEvent<{ config: unknown }>).detail.config;
        w.configs.push(c);
        w.card.setConfig(c);
      });
      (w.ctl as unknown as { subscribe(fn: (h: unknown) => void): void }).subscribe((h) => {
        editor.hass = h;
      });
      editor.setConfig({ type: 'custom:monitor-printer-card' });
      document.getElementById('root')!.append(editor);
      w.editor = editor;
      await editor.updateComplete;
    });
    const last = () =>
      page.evaluate(() => (window as unknown as { configs: Record<string, unknown>[] }).configs.at(-1));
    await page.click('#editor button.add-printer');
    assert.deepEqual((await last())?.printers, [{ prefix: prefixes[1] }]);
    await settle();
    // The card follows the new config at once, without waiting for a new hass.
    assert.deepEqual(await rowTexts('.name'), [['Prusa MK4']]);
    await page.click('#editor details.printer summary .name');
    await page.click('#editor details.entities summary');
    const placeholder = await page.getAttribute('#editor input[name="printers.0.progress"]', 'placeholder');
    assert.equal(placeholder, `sensor.${prefixes[1]}_progress`);
    await page.fill('#editor input[name="printers.0.progress"]', `sensor.${prefixes[0]}_progress`);
    await page.dispatchEvent('#editor input[name="printers.0.progress"]', 'change');
    await settle();
    assert.deepEqual((await last())?.printers, [
      { prefix: prefixes[1], progress: `sensor.${prefixes[0]}_progress` },
    ]);
    const labels = await page.evaluate(() =>
      [
        ...(window as unknown as { editor: Card }).editor.shadowRoot.querySelectorAll(
          '.general .field > span, .general .check > span',
        ),
      ].map((s) => s.textContent),
    );
    assert.deepEqual(labels, [
      'Titre',
      'Ordre',
      'Afficher la caméra',
      'Afficher pause / reprise / annulation',
    ]);
    await screenshot(page, '#editor', 'printer-editor-fr');
  });
});
