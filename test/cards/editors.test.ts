/**
 * Registration, stub configs, the visual editors' round trip (a form change → config-changed →
 * the same card shows it) and the preview page of `monitor demo`, in real Chromium.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startPreviewServer } from '../../addon/src/demo/cards-preview.js';
import { type Browser, fixture, screenshot, useHarness } from './helpers/harness.js';

type Card = HTMLElement & {
  updateComplete: Promise<boolean>;
  shadowRoot: ShadowRoot;
  setConfig(c: unknown): void;
  hass: unknown;
  getCardSize(): number;
  getGridOptions(): Record<string, number>;
};
type CardClass = { getStubConfig(hass: unknown): Record<string, unknown>; getConfigElement(): HTMLElement };
type Win = Window & {
  harness: {
    mount(tag: string, config: unknown, opts?: Record<string, unknown>): Promise<{ error: string | null }>;
    clear(): void;
  };
  ctl: {
    hass: { localize(key: string): string };
    actions: { action: string; config: Record<string, unknown> }[];
    setLanguage(l: string): void;
    subscribe(fn: (h: unknown) => void): void;
  };
  card: Card;
  editor: Card;
  configs: Record<string, unknown>[];
  configErrors: string[];
  customCards: { type: string; name: string; description: string; preview: boolean }[];
};

const STATES = fixture('states.json') as { plan: Record<string, unknown>; alarm: Record<string, unknown> };
const PLAN = {
  type: 'custom:monitor-plan-card',
  title: 'Plan',
  image: '/test/cards/fixtures/plan.svg',
  grid_options: { columns: 12, rows: 6 },
  markers: [
    { entity: 'light.living', x: 200, y: 150 },
    { entity: 'sensor.living_temperature', x: 120, y: 250, label: 'Salon' },
  ],
  rooms: [{ id: 'living', entity: 'light.living' }],
};

let browser: Browser;
let page: Page;
let errors: string[];

/** Mounts a card and its editor wired like HA's dialog: every config-changed goes to the card. */
async function mountWithEditor(
  tag: string,
  config: unknown,
  states: Record<string, unknown>,
  language = 'en',
): Promise<void> {
  await page.evaluate(() => (window as unknown as Win).harness.clear());
  const r = await page.evaluate(
    ([t, c, s, l]) => (window as unknown as Win).harness.mount(t, c, { states: s, language: l }),
    [tag, config, states, language] as const,
  );
  assert.equal(r.error, null);
  await page.evaluate(
    async ([t, c]) => {
      const w = window as unknown as Win;
      // Cards with getConfigForm() are edited by HA's form: the harness's stand-in renders it.
      const form = (customElements.get(t) as unknown as { getConfigForm?: unknown }).getConfigForm;
      const editor = document.createElement(form ? 'preview-form-editor' : `${t}-editor`) as Card;
      if (form) (editor as unknown as { cardTag: string }).cardTag = t;
      editor.id = 'editor';
      w.configs = [];
      w.configErrors = [];
      editor.addEventListener('config-changed', (e) => {
        const next = (e as CustomEvent<{ config: Record<string, unknown> }>).detail.config;
        w.configs.push(next);
        try {
          w.card.setConfig(next);
        } catch (err) {
          w.configErrors.push((err as Error).message);
        }
      });
      w.ctl.subscribe((h) => {
        editor.hass = h;
      });
      editor.setConfig(c);
      document.getElementById('root')!.append(editor);
      w.editor = editor;
      await editor.updateComplete;
    },
    [tag, config] as const,
  );
}

const lastConfig = async (): Promise<Record<string, unknown>> =>
  (await page.evaluate(() => (window as unknown as Win).configs.at(-1))) ?? {};
const settle = () =>
  page.evaluate(async () => {
    const w = window as unknown as Win;
    await w.editor.updateComplete;
    await w.card.updateComplete;
  });

async function change(selector: string, value: string): Promise<void> {
  const field = page.locator(selector).first();
  await field.fill(value);
  await field.dispatchEvent('change');
  await settle();
}

describe('cards bundle', () => {
  const session = useHarness();
  before(() => {
    ({ page, errors, browser } = session);
  });

  it('defines every element under one prefix and lists the cards in the card picker', async () => {
    const facts = await page.evaluate(() => ({
      cards: (window as unknown as Win).customCards.map((c) => [
        c.type,
        c.preview,
        c.name.length > 0,
        c.description.length > 20,
        (c as unknown as { documentationURL: string }).documentationURL,
      ]),
      defined: [
        'monitor-plan-card',
        'monitor-plan-card-editor',
        'monitor-plan-marker',
        'monitor-alarm-card',
      ].map((n) => customElements.get(n) !== undefined),
      editors: ['monitor-plan-card'].map(
        (n) => (customElements.get(n) as unknown as CardClass).getConfigElement().localName,
      ),
    }));
    const docs = 'https://github.com/monitor-ha/monitor/blob/main/docs/cards.md#';
    assert.deepEqual(facts.cards, [
      ['monitor-plan-card', true, true, true, `${docs}plan-card`],
      ['monitor-alarm-card', true, true, true, `${docs}alarm-card`],
      ['monitor-linky-card', true, true, true, `${docs}linky-card`],
      ['monitor-printer-card', true, true, true, `${docs}printer-card`],
    ]);
    assert.deepEqual(facts.defined, [true, true, true, true]);
    assert.deepEqual(facts.editors, ['monitor-plan-card-editor']);
  });

  it('stub configs pick sensible entities and render', async () => {
    const plan = await page.evaluate((s) => {
      const w = window as unknown as Win;
      const hass =
        w.harness &&
        (
          window as unknown as { harness: { createFakeHass(o: unknown): { hass: unknown } } }
        ).harness.createFakeHass({ states: s }).hass;
      return (customElements.get('monitor-plan-card') as unknown as CardClass).getStubConfig(hass);
    }, STATES.plan);
    assert.equal(plan.image, 'monitor:sample');
    assert.deepEqual(
      (plan.markers as { entity: string }[]).map((m) => m.entity),
      ['light.living', 'light.kitchen', 'binary_sensor.front_door', 'sensor.living_temperature'],
    );
    assert.deepEqual(plan.rooms, [
      { id: 'living', entity: 'light.living' },
      { id: 'kitchen', entity: 'light.kitchen' },
    ]);
    await page.evaluate(() => (window as unknown as Win).harness.clear());
    const r = await page.evaluate(
      ([c, s]) =>
        (window as unknown as Win).harness.mount(
          'monitor-plan-card',
          { type: 'custom:monitor-plan-card', ...c },
          { states: s },
        ),
      [plan, STATES.plan] as const,
    );
    assert.equal(r.error, null);
    await page.waitForFunction(
      () =>
        (window as unknown as Win).card.shadowRoot.querySelector('.plan svg #living.monitor-active') !== null,
    );
    assert.equal(
      await page.evaluate(
        () => (window as unknown as Win).card.shadowRoot.querySelectorAll('monitor-plan-marker').length,
      ),
      4,
    );
    await screenshot(page, '#card', 'plan-stub-sample');
    const sizes = await page.evaluate(() => [
      (window as unknown as Win).card.getCardSize(),
      (window as unknown as Win).card.getGridOptions(),
    ]);
    assert.ok((sizes[0] as number) >= 3);
    assert.equal((sizes[1] as { columns: number }).columns, 12);

    const alarm = await page.evaluate((s) => {
      const hass = (
        window as unknown as { harness: { createFakeHass(o: unknown): { hass: unknown } } }
      ).harness.createFakeHass({ states: s }).hass;
      return (customElements.get('monitor-alarm-card') as unknown as CardClass).getStubConfig(hass);
    }, STATES.alarm);
    assert.deepEqual(alarm, {
      entity: 'alarm_control_panel.manual_disarmed',
      sensors: [
        'binary_sensor.backdoor',
        'binary_sensor.kitchen_window',
        'binary_sensor.garage_door',
        'binary_sensor.cellar_window',
      ],
    });
  });

  it('Linky and printer stub configs find Monitor devices, render, and size for sections', async () => {
    const LINKY = {
      'sensor.monitor_linky_021861348497_apparent_power': {
        state: '1200',
        attributes: { unit_of_measurement: 'VA' },
      },
      'sensor.monitor_linky_021861348497_subscribed_power': {
        state: '9',
        attributes: { unit_of_measurement: 'kVA' },
      },
    };
    const PRINTER = {
      'sensor.monitor_printer_voron_state': { state: 'idle', attributes: { friendly_name: 'Voron State' } },
      'binary_sensor.monitor_printer_voron_online': {
        state: 'on',
        attributes: { friendly_name: 'Voron Online' },
      },
    };
    const stubs = await page.evaluate(
      (s) => {
        const w = window as unknown as { harness: { createFakeHass(o: unknown): { hass: unknown } } };
        const hass = w.harness.createFakeHass({ states: s }).hass;
        return ['monitor-linky-card', 'monitor-printer-card'].map((tag) =>
          (customElements.get(tag) as unknown as CardClass).getStubConfig(hass),
        );
      },
      { ...LINKY, ...PRINTER },
    );
    assert.deepEqual(stubs, [{ meter: 'monitor_linky_021861348497' }, {}]);
    const cases = [
      ['monitor-linky-card', stubs[0], LINKY, /1,200\u00a0VA/],
      ['monitor-printer-card', stubs[1], PRINTER, /Voron.*Idle/],
    ] as const;
    for (const [tag, stub, states, expected] of cases) {
      await page.evaluate(() => (window as unknown as Win).harness.clear());
      const r = await page.evaluate(
        ([t, c, s]) =>
          (window as unknown as Win).harness.mount(t, { type: `custom:${t}`, ...c }, { states: s }),
        [tag, stub, states] as const,
      );
      assert.equal(r.error, null);
      const seen = await page.evaluate(() => {
        const card = (window as unknown as Win).card;
        const rows = [...card.shadowRoot.querySelectorAll('monitor-printer-row')].map(
          (x) => x.shadowRoot?.textContent ?? '',
        );
        return {
          text: `${card.shadowRoot.textContent} ${rows.join(' ')}`.replace(/[ \t\n\r]+/g, ' '),
          grid: card.getGridOptions(),
          size: card.getCardSize(),
        };
      });
      assert.match(seen.text, expected);
      assert.equal(seen.grid.columns, 12);
      assert.ok(seen.size >= 3);
    }
  });

  it('plan editor: each form change reaches the card, other keys survive', async () => {
    await mountWithEditor('monitor-plan-card', PLAN, STATES.plan);
    await change('#editor input[name=title]', 'Étage');
    assert.deepEqual(await lastConfig(), { ...PLAN, title: 'Étage' });
    assert.equal(
      await page.evaluate(
        () => (window as unknown as Win).card.shadowRoot.querySelector('.card-header')?.textContent,
      ),
      'Étage',
    );

    await page.click('#editor details.marker >> nth=0 >> summary .name');
    await change('#editor details.marker >> nth=0 >> input[name=x]', '400');
    assert.equal(((await lastConfig()).markers as { x: number }[])[0]?.x, 400);
    await page.waitForFunction(
      () =>
        (window as unknown as Win).card.shadowRoot.querySelector<HTMLElement>('monitor-plan-marker')?.style
          .left === '50%',
    );

    await page
      .locator('#editor details.marker >> nth=0 >> select[name="markers.0.tap_action"]')
      .selectOption('toggle');
    await settle();
    assert.deepEqual(((await lastConfig()).markers as Record<string, unknown>[])[0], {
      entity: 'light.living',
      x: 400,
      y: 150,
      tap_action: { action: 'toggle' },
    });
    await page.locator('#card monitor-plan-marker .badge').first().click();
    await page.waitForTimeout(50);
    const acts = await page.evaluate(() =>
      (window as unknown as Win).ctl.actions.map((a) => [a.action, a.config.tap_action]),
    );
    assert.deepEqual(acts, [['tap', { action: 'toggle' }]], 'the card runs the edited action');

    // Add a marker and place it with a click on the editor's plan preview.
    await page.click('#editor button.add-marker');
    assert.equal(((await lastConfig()).markers as unknown[]).length, 3);
    await change('#editor details.marker >> nth=2 >> input[name=entity]', 'lock.front');
    const box = (await page.locator('#editor .preview').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.5);
    await settle();
    const added = ((await lastConfig()).markers as { entity: string; x: number; y: number }[])[2]!;
    assert.equal(added.entity, 'lock.front');
    assert.ok(Math.abs(added.x - 600) < 6 && Math.abs(added.y - 250) < 6, `placed at ${added.x},${added.y}`);
    assert.equal(
      await page.evaluate(
        () => (window as unknown as Win).card.shadowRoot.querySelectorAll('monitor-plan-marker').length,
      ),
      3,
    );

    // Room fill: a state → colour row.
    await page.click('#editor details.room >> nth=0 >> summary .name');
    await page.click('#editor details.room >> nth=0 >> .fills button.add');
    await change('#editor details.room >> nth=0 >> .fills input[name="fills.value"]', 'var(--error-color)');
    assert.deepEqual(((await lastConfig()).rooms as Record<string, unknown>[])[0], {
      id: 'living',
      entity: 'light.living',
      fills: { on: 'var(--error-color)' },
    });
    // The fill eases in (CSS transition): wait for the final colour.
    await page.waitForFunction(
      () =>
        getComputedStyle((window as unknown as Win).card.shadowRoot.querySelector('.plan svg #living')!)
          .fill === 'rgb(219, 68, 55)',
      undefined,
      { timeout: 3000 },
    );

    await page.click('#editor details.marker >> nth=1 >> button.remove');
    await settle();
    const final = (await lastConfig()) as Record<string, unknown>;
    assert.deepEqual(
      (final.markers as { entity: string }[]).map((m) => m.entity),
      ['light.living', 'lock.front'],
    );
    assert.deepEqual(final.grid_options, PLAN.grid_options, 'keys the editor does not show are kept');
    const errs = await page.evaluate(() => (window as unknown as Win).configErrors);
    assert.deepEqual(
      errs,
      [
        'markers[2].entity: required (an entity id)',
        'rooms[0].fills.on: expected a colour (var(--…), #hex, rgb(…), a name), got ""',
      ],
      'only the half-filled rows were refused, with clear messages',
    );
    await screenshot(page, '#editor', 'plan-editor-en');
  });

  it('plan editor speaks French', async () => {
    await mountWithEditor('monitor-plan-card', PLAN, STATES.plan, 'fr');
    const labels = await page.evaluate(() =>
      [...(window as unknown as Win).editor.shadowRoot.querySelectorAll('.general .field > span')].map(
        (s) => s.textContent,
      ),
    );
    assert.equal(labels[0], 'Titre');
    assert.equal(labels[1], 'Image ou SVG du plan (/local/… ou URL)');
    await screenshot(page, '#editor', 'plan-editor-fr');
  });

  it('alarm card: HA form schema with HA selectors, labels in French and English, assertConfig', async () => {
    const forms = await page.evaluate(() => {
      const cls = customElements.get('monitor-alarm-card') as unknown as {
        getConfigForm(): {
          schema: { name: string; selector?: Record<string, unknown>; schema?: { name: string }[] }[];
          computeLabel(s: { name: string }): string | undefined;
          assertConfig(c: unknown): void;
        };
        getConfigElement?: unknown;
      };
      const w = window as unknown as Win;
      const out: Record<string, unknown> = { customEditor: typeof cls.getConfigElement };
      for (const lang of ['en', 'fr']) {
        w.ctl.setLanguage(lang);
        const form = cls.getConfigForm();
        const names = form.schema.flatMap((s) => (s.schema ? s.schema.map((x) => x.name) : [s.name]));
        // HA's hui-form-editor: the card's label, else HA's own name for a common field.
        out[lang] = names.map(
          (n) =>
            form.computeLabel({ name: n }) ??
            w.ctl.hass.localize(`ui.panel.lovelace.editor.card.generic.${n}`),
        );
        out.selectors = form.schema.map((s) => (s.selector ? Object.keys(s.selector)[0] : 'grid'));
        out.entity = form.schema[0]?.selector;
        try {
          form.assertConfig({
            type: 'custom:monitor-alarm-card',
            entity: 'alarm_control_panel.x',
            modez: [],
          });
          out.assert = 'accepted';
        } catch (e) {
          out.assert = (e as Error).message;
        }
      }
      return out;
    });
    assert.equal(forms.customEditor, 'undefined', 'no custom editor: HA renders the form');
    assert.deepEqual(forms.selectors, ['entity', 'text', 'select', 'entity', 'grid']);
    assert.deepEqual(forms.entity, { entity: { domain: 'alarm_control_panel' } });
    assert.deepEqual(forms.en, [
      'Entity',
      'Name',
      'Buttons',
      'Sensors to watch',
      'Keypad for numeric codes',
      'Show the last action',
      'Exit delay if the entity has none (s)',
      'Entry delay if the entity has none (s)',
    ]);
    assert.equal((forms.fr as string[])[0], 'Entité');
    assert.equal((forms.fr as string[])[2], 'Boutons');
    assert.match(String(forms.assert), /^modez: unknown option/);
  });

  it('alarm editor (HA form): modes, sensors, keypad and delays round-trip to the card', async () => {
    const config = { type: 'custom:monitor-alarm-card', entity: 'alarm_control_panel.manual_disarmed' };
    await mountWithEditor('monitor-alarm-card', config, STATES.alarm, 'fr');
    const buttons = () =>
      page.evaluate(() =>
        [...(window as unknown as Win).card.shadowRoot.querySelectorAll<HTMLElement>('.actions button')].map(
          (b) => b.dataset.command,
        ),
      );
    await page.locator('#editor input[name=modes][value=arm_away]').check();
    await page.locator('#editor input[name=modes][value=arm_home]').check();
    await settle();
    assert.deepEqual(await lastConfig(), { ...config, modes: ['arm_home', 'arm_away'] });
    assert.deepEqual(await buttons(), ['arm_home', 'arm_away']);
    await page.locator('#editor input[name=modes][value=trigger]').check();
    await settle();
    assert.deepEqual((await lastConfig()).modes, ['arm_home', 'arm_away', 'trigger']);
    assert.deepEqual((await buttons()).at(-1), 'trigger');

    await change('#editor textarea[name=sensors]', 'binary_sensor.kitchen_window\nbinary_sensor.garage_door');
    assert.deepEqual((await lastConfig()).sensors, [
      'binary_sensor.kitchen_window',
      'binary_sensor.garage_door',
    ]);
    assert.match(
      (await page.evaluate(
        () => (window as unknown as Win).card.shadowRoot.querySelector('.sensors')?.textContent,
      )) ?? '',
      /Kitchen window/,
    );

    await page.locator('#editor input[name=show_keypad]').uncheck();
    await settle();
    assert.equal((await lastConfig()).show_keypad, false);
    assert.deepEqual(
      await page.evaluate(() => [
        !!(window as unknown as Win).card.shadowRoot.querySelector('.keypad'),
        !!(window as unknown as Win).card.shadowRoot.querySelector('.code input'),
      ]),
      [false, true],
    );

    await change('#editor input[name=arming_time]', '45');
    await change('#editor input[name=name]', 'Maison');
    const last = (await lastConfig()) as Record<string, unknown>;
    assert.equal(last.arming_time, 45);
    assert.equal(last.name, 'Maison');
    assert.equal(
      await page.evaluate(
        () => (window as unknown as Win).card.shadowRoot.querySelector('.name')?.textContent,
      ),
      'Maison',
    );
    const labels = await page.evaluate(() =>
      [
        ...(window as unknown as Win).editor.shadowRoot.querySelectorAll(
          'fieldset[data-name=modes] .check span',
        ),
      ].map((s) => s.textContent),
    );
    assert.deepEqual(labels, ['Présent', 'Absent', 'Nuit', 'Vacances', 'Personnalisé', 'Déclencher']);
    assert.deepEqual(await page.evaluate(() => (window as unknown as Win).configErrors), []);
    await screenshot(page, '#editor', 'alarm-editor-fr');
    assert.deepEqual(errors, []);
  });

  for (const dark of [false, true]) {
    it(`plan editor fields read as enabled, like HA's (${dark ? 'dark' : 'light'})`, async () => {
      await mountWithEditor('monitor-plan-card', PLAN, STATES.plan);
      await page.evaluate((d) => {
        document.documentElement.dataset.theme = d ? 'dark' : 'light';
      }, dark);
      const look = await page.evaluate(() => {
        const { contrast } = (window as unknown as { colors: { contrast(a: string, b: string): number } })
          .colors;
        const root = (window as unknown as Win).editor.shadowRoot;
        const bg = getComputedStyle(document.body).backgroundColor;
        return [
          ...root.querySelectorAll<HTMLElement>('.general input[type=text], .general input[type=number]'),
        ].map((el) => {
          const cs = getComputedStyle(el);
          const fill = cs.backgroundColor === 'rgba(0, 0, 0, 0)' ? bg : cs.backgroundColor;
          return {
            border: contrast(cs.borderTopColor, fill),
            text: contrast(cs.color, fill),
            label: contrast(getComputedStyle(el.previousElementSibling!).color, fill),
          };
        });
      });
      assert.ok(look.length >= 4);
      for (const l of look) {
        assert.ok(l.border >= 3, `field border contrast ${l.border.toFixed(2)} ≥ 3:1`);
        assert.ok(
          l.text >= 4.5 && l.label >= 4.5,
          `text ${l.text.toFixed(2)}, label ${l.label.toFixed(2)} ≥ 4.5:1`,
        );
      }
      await page.evaluate(() => {
        document.documentElement.dataset.theme = 'light';
      });
    });
  }

  it('preview page of `monitor demo` serves the four cards on a fake hass', async () => {
    const preview = await startPreviewServer(0);
    const p = await browser.context.newPage();
    const pageErrors: string[] = [];
    p.on('pageerror', (e) => pageErrors.push(String(e)));
    try {
      await p.goto(preview.url);
      await p.waitForFunction(() => (window as unknown as { previewReady?: boolean }).previewReady === true);
      await p.waitForFunction(
        () =>
          document.querySelector('#plan')?.shadowRoot?.querySelectorAll('monitor-plan-marker .badge')
            .length === 10,
      );
      // The page stands in for HA's icon elements (cards/preview/ha-icons.js): every marker, the
      // alarm's state and its mode buttons draw an icon, as they would inside HA.
      // No named helper inside evaluate: tsx would wrap it in a `__name` the page does not have.
      const drawn = await p.evaluate(() => {
        const plan = document.querySelector('#plan')?.shadowRoot;
        const alarm = document.querySelector('#alarm')?.shadowRoot;
        return {
          markers: [...(plan?.querySelectorAll('monitor-plan-marker') ?? [])].map(
            (m) => !!m.querySelector('ha-state-icon svg path, ha-icon svg path')?.getAttribute('d'),
          ),
          shield: !!alarm?.querySelector('.shield ha-state-icon svg path')?.getAttribute('d'),
          buttons: [...(alarm?.querySelectorAll('.actions button') ?? [])].map(
            (b) => !!b.querySelector('ha-icon svg path')?.getAttribute('d'),
          ),
        };
      });
      assert.equal(drawn.markers.length, 10);
      assert.ok(drawn.markers.every(Boolean), `markers without an icon: ${drawn.markers}`);
      assert.ok(drawn.shield, "the alarm's state icon");
      assert.ok(drawn.buttons.length > 0 && drawn.buttons.every(Boolean), `alarm buttons: ${drawn.buttons}`);
      for (const k of ['1', '2', '3', '4']) await p.click(`#alarm .keypad button[data-key="${k}"]`);
      await p.click('#alarm .actions button[data-command=arm_away]');
      await p.waitForFunction(
        () => document.querySelector('#alarm')?.shadowRoot?.querySelector('.countdown') !== null,
      );
      assert.match((await p.locator('#alarm .state').textContent()) ?? '', /Arming|Armement/);
      await p.screenshot({ path: 'test-artifacts/cards/preview-page.png' });
      // French mode: the page's own header and editor summaries follow, not only the cards.
      const texts = () =>
        p.evaluate(() => [
          document.querySelector('header h1')?.textContent,
          ...[...document.querySelectorAll('summary')].map((x) => x.textContent),
          document.querySelector('#alarm-editor')?.shadowRoot?.querySelector('.field span')?.textContent,
        ]);
      if ((await p.evaluate(() => document.documentElement.lang)) !== 'fr') await p.click('#lang');
      assert.deepEqual(await texts(), [
        'Cartes Monitor',
        'Éditeur de la carte plan',
        'Éditeur de la carte alarme (formulaire de HA)',
        'Éditeur de la carte imprimantes',
        'Éditeur de la carte Linky (formulaire de HA)',
        'Entité',
      ]);
      // The Linky and printer cards run on the same fake hass, statistics included.
      await p.waitForFunction(
        () =>
          (document.querySelector('#linky')?.shadowRoot?.querySelectorAll('.history .col').length ?? 0) ===
            7 &&
          document.querySelector('#printer')?.shadowRoot?.querySelectorAll('monitor-printer-row').length ===
            3,
      );
      assert.match(
        (await p.evaluate(
          () => document.querySelector('#printer')?.shadowRoot?.querySelector('.summary')?.textContent,
        )) ?? '',
        /^2 en impression · 1 au repos · 0 hors ligne · prochaine : Voron 2\.4 à \d\d:\d\d$/,
      );
      const names = await p.evaluate(() =>
        [
          ...(document.querySelector('#printer')?.shadowRoot?.querySelectorAll('monitor-printer-row') ?? []),
        ].map((r) => r.shadowRoot?.querySelector('.name')?.textContent),
      );
      assert.deepEqual(
        names,
        ['Voron 2.4', 'Prusa MK4', 'Ender 3'],
        'names without the entity part, idle one too',
      );
      await p.screenshot({ path: 'test-artifacts/cards/preview-page-fr.png', fullPage: true });
      await p.click('#lang');
      assert.deepEqual((await texts()).slice(0, 2), ['Monitor cards', 'Plan card editor']);
      const res = await fetch(`${preview.url}../package.json`);
      assert.equal(res.status, 404);
      assert.equal((await fetch(`${preview.url}monitor-cards.js`)).status, 200);
      assert.deepEqual(pageErrors, []);
    } finally {
      await p.close();
      await preview.close();
    }
  });
});
