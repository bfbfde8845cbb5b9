/**
 * The four cards inside Home Assistant's REAL frontend (home-assistant-frontend installed by
 * test/e2e/setup-ha.sh): the real `monitor run` publishes a Linky meter (TIC simulator on a
 * pty) and a printer (fake OctoPrint printing), HA's manual alarm stands for an alarm, the
 * bundle is a dashboard resource (/local/monitor-cards.js) and a dashboard of its own holds the
 * four cards bound to those entities. Chromium logs in through HA's login page, opens the
 * dashboard in English and French, light and dark, and the test asserts through the shadow
 * roots that each card rendered its content and that nothing reached the browser console as an
 * error; then, in edit mode, that HA's card picker lists the four cards and that each card's
 * Edit button opens HA's edit dialog with the card's visual editor. Screenshots go to
 * test-artifacts/cards/ha-*.png.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { FakeOctoPrint } from '../../addon/src/modules/printers/sim/octoprint-server.js';
import { VirtualPrinter } from '../../addon/src/modules/printers/sim/virtual-printer.js';
import { ARTIFACTS, BUNDLE, CHROMIUM, ensureBundle } from '../cards/helpers/harness.js';
import { ensureBuilt } from '../helpers/build.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { HomeAssistant, until } from './ha.js';
import { findHaInstall } from './ha-install.js';
import { TicOnPty } from './module-peers.js';
import { MonitorProcess } from './monitor-process.js';

const NODE = 'e2e';
const METER = '031764953443'; // the standard simulator's ADSC
const LINKY = `${NODE}_linky_${METER}`;
const PRINTER = `${NODE}_printer_prusa_mk4`;
const OCTO_KEY = 'E2E-OCTOPRINT-KEY-0123456789';
const ALARM = 'alarm_control_panel.maison';

/** Hosts HA's frontend itself loads pictures from (see watchErrors). */
const HA_OWN_HOSTS = new Set(['demo.home-assistant.io', 'brands.home-assistant.io']);
/** The dashboard's URL path (HA wants a hyphen in it). */
const DASHBOARD_PATH = 'monitor-e2e';
const DASHBOARD = {
  title: 'Monitor',
  views: [
    {
      title: 'Monitor',
      path: 'monitor',
      cards: [
        { type: 'custom:monitor-linky-card', meter: LINKY },
        { type: 'custom:monitor-printer-card' },
        { type: 'custom:monitor-alarm-card', entity: ALARM },
        {
          type: 'custom:monitor-plan-card',
          image: 'monitor:sample',
          markers: [
            { entity: `sensor.${LINKY}_apparent_power`, x: 110, y: 80 },
            { entity: `sensor.${PRINTER}_state`, x: 310, y: 56 },
            { entity: ALARM, x: 165, y: 210 },
          ],
        },
      ],
    },
  ],
};

/** Labels the editors take from HA's own translations (English, the editor test's language). */
const WORDS_FROM_HA: Record<string, string[]> = {
  'monitor-alarm-card': ['Home', 'Away', 'Night', 'Entity'],
  'monitor-plan-card': ['Title', 'Tap behavior', 'More info'],
};

/** What each card must show once HA's frontend rendered it (selector inside its shadow root, text). */
const RENDERED: [string, string, RegExp][] = [
  ['monitor-linky-card', '.gauge .value', /2[\s\u202f,.]?300\s?VA/],
  ['monitor-printer-card', 'monitor-printer-row', /Prusa MK4/],
  ['monitor-alarm-card', '.name', /Maison/],
  ['monitor-plan-card', 'monitor-plan-marker', /./],
];

test('Home Assistant is installed for the end-to-end tests', () => {
  assert.match(findHaInstall().version, /^\d{4}\.\d+\.\d+/);
});

describe('Home Assistant end to end: the cards in HA’s own frontend', { timeout: 300_000 }, () => {
  let ha: HomeAssistant;
  let broker: Mosquitto;
  let monitor: MonitorProcess;
  let tic: TicOnPty;
  let printer: VirtualPrinter;
  let octo: FakeOctoPrint;
  let context: BrowserContext;
  let profile: string;

  before(async () => {
    ha = new HomeAssistant([
      'frontend:',
      'alarm_control_panel:',
      '  - platform: manual',
      '    name: Maison',
      '    code: "1234"',
      '    arming_time: 5',
      '    delay_time: 5',
    ]);
    await ensureBuilt();
    await ensureBundle();
    mkdirSync(join(ha.configDir, 'www'), { recursive: true });
    copyFileSync(BUNDLE, join(ha.configDir, 'www', 'monitor-cards.js'));
    broker = new Mosquitto();
    await broker.start();
    tic = await new TicOnPty({ power: 2300 }).start();
    printer = new VirtualPrinter('Prusa MK4', { tickMs: 200 });
    octo = await new FakeOctoPrint(printer, { apiKey: OCTO_KEY }).listen();
    printer.startPrint({ file: 'benchy.gcode', duration: 900, layers: 48 });
    await ha.startWithMqtt(broker);
    // The frontend shows the onboarding until every step is done; ha.onboard() leaves the
    // location step (core_config) for the tests that do not open the frontend.
    const done = await fetch(`${ha.url}/api/onboarding/core_config`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ha.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.ok(done.ok, `onboarding core_config: HTTP ${done.status} ${await done.text()}`);
    monitor = MonitorProcess.onBroker(NODE, broker.url, {
      linky: { meters: [{ port: tic.path }], power_min_interval_s: 1 },
      printers: {
        list: [{ name: 'Prusa MK4', type: 'octoprint', url: octo.url, api_key: OCTO_KEY, interval: 2 }],
      },
    });
    monitor.start();
    const ws = await ha.ws();
    await ws.send({ type: 'lovelace/resources/create', res_type: 'module', url: '/local/monitor-cards.js' });
    // A dashboard of its own: HA 2026.11 sends /lovelace to its new home overview (/home).
    await ws.send({
      type: 'lovelace/dashboards/create',
      url_path: DASHBOARD_PATH,
      title: 'Monitor',
      mode: 'storage',
      show_in_sidebar: true,
      require_admin: false,
    });
    await ws.send({ type: 'lovelace/config/save', url_path: DASHBOARD_PATH, config: DASHBOARD });
    // HA 2026.11 keeps the http: settings of configuration.yaml "pending" and its frontend shows a
    // modal "Confirm new HTTP server configuration" (reverted after 4 min); the admin confirms.
    await ws.send({ type: 'http/config/promote' });
    await until(
      'Monitor entities in HA',
      async () => {
        const s = await ha.states();
        const power = s.find((x) => x.entity_id === `sensor.${LINKY}_apparent_power`);
        const state = s.find((x) => x.entity_id === `sensor.${PRINTER}_state`);
        return power?.state === '2300' && state?.state === 'Printing' ? true : undefined;
      },
      60_000,
    );
    profile = join(tmpdir(), `monitor-ha-chromium-${process.pid}`);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 1100 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
  });

  after(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await monitor?.dispose();
    await ha?.dispose();
    await octo?.close();
    printer?.dispose();
    await tic?.dispose();
    await broker?.dispose();
  });

  /**
   * `__monitorDeep(tag, root?)`: every element named `tag` under `root` (the document by
   * default), through every open shadow root. Installed as page script text: functions passed
   * to page.evaluate must not define named helpers (tsx's __name wrapper does not exist in the page).
   */
  const DEEP_QUERY = `window.__monitorDeep = function (tag, root) {
    var out = [];
    var visit = function (node) {
      node.querySelectorAll('*').forEach(function (el) {
        if (el.localName === tag) out.push(el);
        if (el.shadowRoot) visit(el.shadowRoot);
      });
    };
    var start = root || document;
    visit(start);
    if (start.shadowRoot) visit(start.shadowRoot);
    return out;
  };`;
  type DeepWin = Window & { __monitorDeep(tag: string, root?: Element): Element[] };
  const deepQuery = (page: Page, tag: string) =>
    page.evaluate((t) => (window as unknown as DeepWin).__monitorDeep(t).length, tag);

  /**
   * Every page error and console error, with where it came from. The one kind left out: HA's
   * frontend loading its own pictures from the Internet, which this offline machine cannot
   * resolve (the card picker's previews of HA's picture cards use demo.home-assistant.io
   * images, logos come from brands.home-assistant.io); nothing of ours is fetched from outside HA.
   */
  function watchErrors(page: Page): string[] {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const from = m.location().url;
      const host = from ? new URL(from).hostname : '';
      if (m.text().includes('net::ERR_NAME_NOT_RESOLVED') && HA_OWN_HOSTS.has(host)) return;
      errors.push(`${m.text()} (${from || 'no location'})`);
    });
    return errors;
  }

  /** HA's own login page: user name, password, Enter (the onboarding made this user). */
  async function login(page: Page): Promise<void> {
    await page.locator('input[name="username"], input[autocomplete="username"]').first().fill('e2e');
    await page.locator('input[type="password"]').first().fill('e2e-password-not-secret');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => !u.pathname.startsWith('/auth/'), { timeout: 30_000 });
  }

  for (const [language, dark] of [
    ['en', false],
    ['fr', true],
    ['en', true],
    ['fr', false],
  ] as const) {
    test(`the four cards render in HA's frontend (${language}, ${dark ? 'dark' : 'light'})`, async () => {
      const page = await context.newPage();
      const errors = watchErrors(page);
      try {
        await page.addInitScript(
          ([lang, d]) => {
            localStorage.setItem('selectedLanguage', JSON.stringify(lang));
            localStorage.setItem('selectedTheme', JSON.stringify({ theme: 'default', dark: d }));
          },
          [language, dark] as const,
        );
        await page.addInitScript(DEEP_QUERY);
        await page.goto(`${ha.url}/${DASHBOARD_PATH}/monitor`);
        // HA's frontend sends a visitor without tokens to its login page (a client-side redirect).
        const where = await until(
          'the login page or the dashboard',
          async () =>
            new URL(page.url()).pathname.startsWith('/auth/')
              ? 'login'
              : (await deepQuery(page, 'hui-root')) > 0
                ? 'dashboard'
                : undefined,
          60_000,
        );
        // After the login HA comes back to the dashboard by itself (auth_callback), and stores
        // the tokens (Keep me logged in) for the next pages.
        if (where === 'login') {
          await login(page);
          // HA lands on its home overview after the login, not on the page first asked for:
          // once the frontend stored its tokens (Keep me logged in), open the dashboard again.
          await until(
            'the tokens in the browser',
            async () => ((await page.evaluate(() => localStorage.getItem('hassTokens'))) ? true : undefined),
            30_000,
          );
          await page.goto(`${ha.url}/${DASHBOARD_PATH}/monitor`);
        }
        for (const [tag] of RENDERED) {
          await until(
            `${tag} in HA's dashboard`,
            async () => ((await deepQuery(page, tag)) > 0 ? true : undefined),
            30_000,
          );
        }
        const seen = await page.evaluate(
          (checks) =>
            checks.map(([tag, sel]) => {
              const card = (window as unknown as DeepWin).__monitorDeep(tag)[0];
              const part = card?.shadowRoot?.querySelector(sel);
              const text = part?.shadowRoot?.textContent ?? part?.textContent ?? '';
              return [tag, text.replace(/[ \t\n\r]+/g, ' ').trim()];
            }),
          RENDERED.map(([t, sel]) => [t, sel] as [string, string]),
        );
        for (const [i, [tag, text]] of seen.entries())
          assert.match(text ?? '', RENDERED[i]![2], `${tag}: ${text}`);
        // The alarm's state and buttons in HA's own words (formatEntityState, hass.localize):
        // the cards ship no copy of them.
        const alarm = await page.evaluate(() => {
          const root = (window as unknown as DeepWin).__monitorDeep('monitor-alarm-card')[0]?.shadowRoot;
          return {
            state: root?.querySelector('.state')?.textContent?.trim(),
            buttons: [...(root?.querySelectorAll('.actions button') ?? [])].map((b) => b.textContent?.trim()),
          };
        });
        assert.equal(alarm.state, language === 'fr' ? 'Désactivée' : 'Disarmed');
        assert.ok(alarm.buttons.includes(language === 'fr' ? 'Absent' : 'Away'), alarm.buttons.join(', '));
        // The plan's markers and the alarm's state draw HA's own icon of each entity
        // (ha-state-icon), the alarm's buttons HA's ha-icon: the bundle has no icon table of its
        // own, only a generic icon for where HA's icon elements are missing.
        await until(
          "HA's icons in the plan's markers and the alarm card",
          async () => {
            const icons = await page.evaluate(() => {
              const deep = (window as unknown as DeepWin).__monitorDeep;
              return [
                ...deep('monitor-plan-marker').map(
                  (m) => m.querySelector('ha-state-icon')?.localName ?? 'none',
                ),
                deep('monitor-alarm-card')[0]?.shadowRoot?.querySelector('.shield ha-state-icon')
                  ?.localName ?? 'none',
                deep('monitor-alarm-card')[0]?.shadowRoot?.querySelector('.actions button ha-icon')
                  ?.localName ?? 'none',
              ];
            });
            return icons.length === 5 && icons.every((i) => i.startsWith('ha-')) ? true : undefined;
          },
          15_000,
        );
        const picker = await page.evaluate(() => {
          const w = window as unknown as { customCards?: { type: string; documentationURL?: string }[] };
          const tags = [
            'monitor-plan-card',
            'monitor-alarm-card',
            'monitor-linky-card',
            'monitor-printer-card',
          ];
          return {
            cards: (w.customCards ?? []).map((c) => c.type).filter((t) => t.startsWith('monitor-')),
            editors: tags.map((t) => {
              const cls = customElements.get(t) as unknown as {
                getConfigElement?: () => HTMLElement;
                getConfigForm?: () => { schema: unknown[] };
              };
              if (cls.getConfigElement) return cls.getConfigElement().localName;
              return `form:${cls.getConfigForm?.().schema.length ?? 0}`;
            }),
          };
        });
        assert.deepEqual(picker.cards.sort(), [
          'monitor-alarm-card',
          'monitor-linky-card',
          'monitor-plan-card',
          'monitor-printer-card',
        ]);
        assert.equal(picker.editors[0], 'monitor-plan-card-editor');
        assert.match(picker.editors[1]!, /^form:\d+$/);
        assert.match(picker.editors[2]!, /^form:\d+$/);
        assert.equal(picker.editors[3], 'monitor-printer-card-editor');
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.waitForTimeout(500);
        await page.screenshot({
          path: join(ARTIFACTS, `ha-dashboard-${language}-${dark ? 'dark' : 'light'}.png`),
          fullPage: true,
        });
        // The view alone (no sidebar), the size docs/images/ha-cards-*.png are copied from.
        await page
          .locator('hui-masonry-view')
          .screenshot({ path: join(ARTIFACTS, `ha-cards-${language}-${dark ? 'dark' : 'light'}.png`) });
        assert.deepEqual(errors, []);
      } catch (err) {
        // What the browser showed, and what HA logged, for whoever reads the failure.
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({
          path: join(ARTIFACTS, `ha-failure-${language}-${dark ? 'dark' : 'light'}.png`),
        });
        throw new Error(
          `${(err as Error).message}\nURL: ${page.url()}\nbrowser: ${errors.join('\n')}\nHA: ${ha.tail(80)}`,
        );
      } finally {
        await page.close();
      }
    });
  }
  /** Cards in the dashboard's order, with the name the card picker shows in English. */
  const PICKER_NAMES: [string, string][] = [
    ['monitor-linky-card', 'Monitor Linky'],
    ['monitor-printer-card', 'Monitor printers'],
    ['monitor-alarm-card', 'Monitor alarm'],
    ['monitor-plan-card', 'Monitor plan'],
  ];

  test("HA's card picker lists the four cards and each card's visual editor opens (en)", async () => {
    const page = await context.newPage();
    const errors = watchErrors(page);
    /** Opens the dashboard in edit mode (`?edit=1`, for an admin of a storage-mode dashboard). */
    const editMode = async () => {
      await page.goto(`${ha.url}/${DASHBOARD_PATH}/monitor?edit=1`);
      if (new URL(page.url()).pathname.startsWith('/auth/')) {
        await login(page);
        await page.goto(`${ha.url}/${DASHBOARD_PATH}/monitor?edit=1`);
      }
      await until(
        'the dashboard in edit mode',
        async () => ((await deepQuery(page, 'hui-card-options')) >= PICKER_NAMES.length ? true : undefined),
        60_000,
      );
    };
    try {
      await page.addInitScript(() => {
        localStorage.setItem('selectedLanguage', JSON.stringify('en'));
        localStorage.setItem('selectedTheme', JSON.stringify({ theme: 'default', dark: false }));
      });
      await page.addInitScript(DEEP_QUERY);
      mkdirSync(ARTIFACTS, { recursive: true });
      // The card picker: the view's "Add card" button, as a user clicks it.
      await editMode();
      const clicked = await page.evaluate(() => {
        const w = window as unknown as DeepWin;
        const view = w.__monitorDeep('hui-masonry-view')[0];
        const add = [...(view?.shadowRoot?.querySelectorAll('ha-button') ?? [])].pop() as
          | HTMLElement
          | undefined;
        add?.click();
        return Boolean(add);
      });
      assert.ok(clicked, "the view's Add card button");
      // HA 2026.11's dialog opens on "By entity"; the card types are under "By card".
      await page.getByRole('tab', { name: 'By card' }).click({ timeout: 30_000 });
      const listed = await until(
        "our cards in HA's card picker",
        async () => {
          const text = await page.evaluate(() => {
            const w = window as unknown as DeepWin;
            const picker = w.__monitorDeep('hui-card-picker')[0];
            if (!picker?.shadowRoot) return '';
            const parts = [picker.shadowRoot.textContent ?? ''];
            for (const el of w.__monitorDeep('div', picker)) parts.push(el.textContent ?? '');
            return parts.join(' ').replace(/\s+/g, ' ');
          });
          return PICKER_NAMES.every(([, name]) => text.includes(name)) ? text : undefined;
        },
        30_000,
      );
      for (const [, name] of PICKER_NAMES) assert.ok(listed.includes(name), `${name} in the card picker`);
      await page.getByPlaceholder('Search cards').fill('Monitor');
      await page.screenshot({ path: join(ARTIFACTS, 'ha-card-picker-en.png') });
      // Each card's editor: its Edit button in edit mode → HA's edit dialog with our editor.
      for (const [tag] of PICKER_NAMES) {
        await editMode();
        const found = await page.evaluate((t) => {
          const w = window as unknown as DeepWin;
          const options = w.__monitorDeep('hui-card-options').find((o) => w.__monitorDeep(t, o).length > 0);
          const edit = options?.shadowRoot?.querySelector('.card-actions ha-button') as HTMLElement | null;
          edit?.click();
          return Boolean(edit);
        }, tag);
        assert.ok(found, `the Edit button of ${tag}`);
        const editor = await until(
          `the visual editor of ${tag}`,
          async () =>
            (await page.evaluate((t) => {
              const w = window as unknown as DeepWin;
              const dialog = w.__monitorDeep('hui-dialog-edit-card')[0];
              if (!dialog) return undefined;
              // A custom editor (getConfigElement) rendered its own controls…
              const custom = w.__monitorDeep(`${t}-editor`, dialog)[0];
              if (custom?.shadowRoot && custom.shadowRoot.childElementCount > 0)
                return `${custom.localName}:${w.__monitorDeep('input', custom).length + w.__monitorDeep('select', custom).length}`;
              // …or HA's own form editor (getConfigForm) rendered our schema's selectors.
              const form = w.__monitorDeep('hui-form-editor', dialog)[0];
              const selectors = form ? w.__monitorDeep('ha-selector', form).length : 0;
              return selectors > 0 ? `form:${selectors}` : undefined;
            }, tag)) ?? undefined,
          30_000,
        );
        const expected =
          tag === 'monitor-plan-card' || tag === 'monitor-printer-card' ? `${tag}-editor:` : 'form:';
        assert.ok(editor.startsWith(expected), `${tag}: editor ${editor}`);
        assert.doesNotMatch(editor, /:0$/, `${tag}: the editor shows fields (${editor})`);
        // Words HA already has come from HA (hass.localize), not from the bundle: the alarm
        // form's mode list and the plan editor's common fields and action kinds.
        const words = WORDS_FROM_HA[tag];
        if (words) {
          const text = await until(
            `HA's words in the editor of ${tag}`,
            async () => {
              const all = await page.evaluate(() => {
                const dialog = (window as unknown as DeepWin).__monitorDeep('hui-dialog-edit-card')[0];
                const parts: string[] = [];
                // A loop, not a named inner function (tsx would wrap it with a helper the page lacks).
                const todo: Node[] = dialog ? [dialog] : [];
                while (todo.length) {
                  const node = todo.pop() as Node;
                  if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
                  const root = (node as Element).shadowRoot;
                  if (root) todo.push(...root.childNodes);
                  todo.push(...node.childNodes);
                }
                return parts.join(' ').replace(/\s+/g, ' ');
              });
              return words.every((w) => all.includes(w)) ? all : undefined;
            },
            15_000,
          );
          for (const w of words) assert.ok(text.includes(w), `${tag}: "${w}" in its editor`);
        }
        await page.screenshot({ path: join(ARTIFACTS, `ha-editor-${tag}-en.png`) });
      }
      assert.deepEqual(errors, []);
    } catch (err) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'ha-failure-editors-en.png') });
      throw new Error(
        `${(err as Error).message}\nURL: ${page.url()}\nbrowser: ${errors.join('\n')}\nHA: ${ha.tail(80)}`,
      );
    } finally {
      await page.close();
    }
  });
});
