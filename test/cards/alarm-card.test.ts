/**
 * monitor-alarm-card in real Chromium against alarm entities shaped like HA's manual alarm,
 * Alarmo and Monitor's own: keypad and service calls, modes by supported_features, countdown,
 * open sensors, last user and channel, French and English, light and dark theme.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { fixture, screenshot, useHarness } from './helpers/harness.js';

type Win = Window & {
  harness: {
    mount(tag: string, config: unknown, opts?: Record<string, unknown>): Promise<{ error: string | null }>;
    clear(): void;
  };
  ctl: {
    calls: { domain: string; service: string; data: Record<string, unknown> }[];
    actions: { action: string; config: Record<string, unknown> }[];
    setState(id: string, state: string, attrs?: Record<string, unknown>): void;
  };
  card: HTMLElement & { updateComplete: Promise<boolean>; shadowRoot: ShadowRoot };
};

type Colors = { contrast(a: string, b: string): number; saturation(c: string): number };

const ALARM_STATES = (fixture('states.json') as { alarm: Record<string, { last_changed?: string }> }).alarm;

let page: Page;
let errors: string[];

async function mount(
  config: Record<string, unknown>,
  opts: Record<string, unknown> = {},
  states = ALARM_STATES,
): Promise<void> {
  await page.evaluate(() => (window as unknown as Win).harness.clear());
  const r = await page.evaluate(
    ([c, o]) => (window as unknown as Win).harness.mount('monitor-alarm-card', c, o),
    [
      { type: 'custom:monitor-alarm-card', ...config },
      { states, width: 380, ...opts },
    ] as const,
  );
  assert.equal(r.error, null);
}

const text = (sel: string) =>
  page.evaluate(
    (s) =>
      (window as unknown as Win).card.shadowRoot
        .querySelector<HTMLElement>(s)
        ?.textContent?.replace(/\s+/g, ' ')
        .trim() ?? null,
    sel,
  );
const commands = () =>
  page.evaluate(() =>
    [...(window as unknown as Win).card.shadowRoot.querySelectorAll<HTMLElement>('.actions button')].map(
      (b) => `${b.dataset.command}:${b.textContent?.trim()}`,
    ),
  );
const calls = () => page.evaluate(() => (window as unknown as Win).ctl.calls.splice(0));
const settle = () => page.evaluate(() => (window as unknown as Win).card.updateComplete);

describe('monitor-alarm-card', () => {
  const session = useHarness();
  before(() => {
    ({ page, errors } = session);
  });

  it('arms with the code typed on the keypad (manual alarm, French, light)', async () => {
    await mount(
      {
        entity: 'alarm_control_panel.manual_disarmed',
        sensors: ['binary_sensor.kitchen_window', 'binary_sensor.garage_door'],
      },
      { language: 'fr' },
    );
    assert.equal(await text('.state'), 'Désactivée');
    assert.deepEqual(await commands(), [
      'arm_home:Présent',
      'arm_away:Absent',
      'arm_night:Nuit',
      'arm_vacation:Vacances',
      'arm_custom_bypass:Personnalisé',
    ]);
    assert.match((await text('.sensors')) ?? '', /Capteurs ouverts[\s\S]*Kitchen window · Ouvert/);
    assert.doesNotMatch((await text('.sensors')) ?? '', /Garage door/, 'closed sensors are not listed');
    await screenshot(page, '#card', 'alarm-fr-light-disarmed');
    await page.click('#card .actions button[data-command=arm_away]');
    assert.equal(await text('.message'), 'Saisissez d’abord le code.');
    assert.deepEqual(await calls(), []);
    for (const k of ['1', '2', '9', 'back', '3', '4'])
      await page.click(`#card .keypad button[data-key="${k}"]`);
    assert.equal(
      await page.evaluate(() => (window as unknown as Win).card.shadowRoot.querySelector('input')!.value),
      '1234',
    );
    await page.click('#card .actions button[data-command=arm_away]');
    await settle();
    assert.deepEqual(await calls(), [
      {
        domain: 'alarm_control_panel',
        service: 'alarm_arm_away',
        data: { entity_id: 'alarm_control_panel.manual_disarmed', code: '1234' },
      },
    ]);
    assert.equal(
      await page.evaluate(() => (window as unknown as Win).card.shadowRoot.querySelector('input')!.value),
      '',
      'code cleared',
    );
    assert.deepEqual(errors, []);
  });

  for (const language of ['fr', 'en'] as const) {
    for (const theme of ['light', 'dark'] as const) {
      it(`renders in ${language}, ${theme} theme`, async () => {
        await mount(
          { entity: 'alarm_control_panel.monitor_triggered', modes: ['arm_away', 'trigger'] },
          { language, darkMode: theme === 'dark' },
        );
        assert.equal(await text('.state'), language === 'fr' ? 'Déclenchée' : 'Triggered');
        assert.equal(
          await text('.last'),
          language === 'fr' ? 'Dernière action par Alice · via SMS' : 'Last action by Alice · via SMS',
        );
        const bg = await page.evaluate(
          () =>
            getComputedStyle((window as unknown as Win).card.shadowRoot.querySelector('ha-card')!)
              .backgroundColor,
        );
        assert.equal(bg, theme === 'dark' ? 'rgb(28, 28, 28)' : 'rgb(255, 255, 255)');
        await screenshot(page, '#card', `alarm-${language}-${theme}`);
      });
    }
  }

  it('arms without code when none is needed, with only the supported modes', async () => {
    await mount({ entity: 'alarm_control_panel.manual_no_code' });
    assert.deepEqual(await commands(), ['arm_home:Home', 'arm_away:Away']);
    assert.equal(await text('.code'), null, 'no keypad');
    await page.click('#card .actions button[data-command=arm_home]');
    await settle();
    assert.deepEqual(await calls(), [
      {
        domain: 'alarm_control_panel',
        service: 'alarm_arm_home',
        data: { entity_id: 'alarm_control_panel.manual_no_code' },
      },
    ]);
  });

  it('shows configured modes in their order, trigger only when asked and supported', async () => {
    await mount({
      entity: 'alarm_control_panel.manual_disarmed',
      modes: ['trigger', 'arm_night', 'arm_away'],
    });
    assert.deepEqual(await commands(), ['trigger:Trigger', 'arm_night:Night', 'arm_away:Away']);
    await mount({ entity: 'alarm_control_panel.alarmo_armed', modes: ['trigger', 'arm_away'] });
    assert.deepEqual(await commands(), ['disarm:Disarm'], 'Alarmo (19) has no trigger bit');
  });

  it('counts down while arming and offers to cancel (English, dark)', async () => {
    const states = structuredClone(ALARM_STATES);
    states['alarm_control_panel.manual_arming']!.last_changed = new Date(Date.now() - 5000).toISOString();
    await mount({ entity: 'alarm_control_panel.manual_arming', arming_time: 60 }, { darkMode: true }, states);
    assert.equal(await text('.state'), 'Arming');
    const first = (await text('.countdown')) ?? '';
    assert.match(first, /^Arming in 0:5[45]$/);
    assert.deepEqual(await commands(), ['disarm:Cancel']);
    await page.waitForFunction(
      (f) =>
        (window as unknown as Win).card.shadowRoot
          .querySelector<HTMLElement>('.countdown')
          ?.textContent?.replace(/\s+/g, ' ')
          .trim() !== f,
      first,
      { timeout: 3000 },
    );
    assert.match((await text('.countdown')) ?? '', /^Arming in 0:5[345]$/);
    const color = await page.evaluate(
      () => getComputedStyle((window as unknown as Win).card.shadowRoot.querySelector('.state')!).color,
    );
    assert.equal(color, 'rgb(255, 152, 0)', '--state-alarm_control_panel-arming-color');
    await screenshot(page, '#card', 'alarm-en-dark-arming');
  });

  it('reads Alarmo: entry delay, open sensors from the entity, last user', async () => {
    const states = structuredClone(ALARM_STATES);
    states['alarm_control_panel.alarmo_pending']!.last_changed = new Date(Date.now() - 12000).toISOString();
    await mount({ entity: 'alarm_control_panel.alarmo_pending' }, { language: 'en' }, states);
    assert.match((await text('.countdown')) ?? '', /^Alarm in 0:1[78]$/);
    assert.match((await text('.sensors')) ?? '', /Back door · Open/);
    assert.equal(await text('.last'), 'Last action by Niels');
    await screenshot(page, '#card', 'alarm-en-light-pending');
    await mount({ entity: 'alarm_control_panel.alarmo_pending' }, { language: 'fr', darkMode: true }, states);
    assert.match((await text('.countdown')) ?? '', /^Alarme dans 0:1[78]$/);
    assert.deepEqual(await commands(), ['disarm:Annuler']);
    await screenshot(page, '#card', 'alarm-fr-dark-pending');
  });

  it('disarms with a text code (Alarmo armed, code_format text)', async () => {
    await mount({ entity: 'alarm_control_panel.alarmo_armed' });
    assert.equal(
      await page.evaluate(() => (window as unknown as Win).card.shadowRoot.querySelector('.keypad')),
      null,
    );
    await page.fill('#card .code input', 's3cret');
    await page.click('#card .actions button[data-command=disarm]');
    await settle();
    assert.deepEqual(await calls(), [
      {
        domain: 'alarm_control_panel',
        service: 'alarm_disarm',
        data: { entity_id: 'alarm_control_panel.alarmo_armed', code: 's3cret' },
      },
    ]);
  });

  it('shows who and through which channel, and the triggered colour (Monitor, French)', async () => {
    await mount(
      { entity: 'alarm_control_panel.monitor_triggered', modes: ['arm_away', 'trigger'] },
      { language: 'fr' },
    );
    assert.equal(await text('.state'), 'Déclenchée');
    assert.equal(await text('.last'), 'Dernière action par Alice · via SMS');
    const color = await page.evaluate(
      () => getComputedStyle((window as unknown as Win).card.shadowRoot.querySelector('.state')!).color,
    );
    assert.equal(color, 'rgb(244, 67, 54)');
    assert.deepEqual(await commands(), ['disarm:Désactiver']);
    await screenshot(page, '#card', 'alarm-fr-light-triggered');
    await mount({ entity: 'alarm_control_panel.monitor_triggered', show_last_action: false });
    assert.equal(await text('.last'), null);
  });

  it('marks an unavailable alarm and offers no command', async () => {
    await mount({ entity: 'alarm_control_panel.monitor_unavailable' }, { language: 'fr', darkMode: true });
    assert.equal(await text('.state'), 'Indisponible');
    assert.deepEqual(await commands(), []);
    assert.ok(
      await page.evaluate(() =>
        (window as unknown as Win).card.shadowRoot
          .querySelector('ha-card')!
          .classList.contains('unavailable'),
      ),
    );
    await screenshot(page, '#card', 'alarm-fr-dark-unavailable');
    await mount({ entity: 'alarm_control_panel.nowhere' });
    assert.equal(await text('.warning'), 'Entity not found: alarm_control_panel.nowhere');
  });

  // HA's frontend rejects callService with the websocket error object; the alarm integration's
  // refused code is `translation_key: "invalid_code"` (HA core alarm_control_panel/__init__.py),
  // and without translations its text is the raw `Validation error: invalid_code` seen in HA 2026.11.
  const failures: [string, Record<string, unknown>, string, string][] = [
    [
      'en',
      {
        code: 'service_validation_error',
        message: 'Validation error: invalid_code',
        translation_key: 'invalid_code',
        translation_domain: 'alarm_control_panel',
      },
      'Wrong code.',
      'keyed',
    ],
    [
      'fr',
      { code: 'service_validation_error', message: 'Validation error: invalid_code' },
      'Code incorrect.',
      'raw',
    ],
    [
      'en',
      { code: 'home_assistant_error', message: 'Validation error: the panel is not ready' },
      'The command failed: the panel is not ready',
      'other',
    ],
    [
      'fr',
      { code: 'unauthorized', message: 'Unauthorized' },
      'Action non autorisée pour votre utilisateur.',
      'unauthorized',
    ],
  ];
  for (const [language, failure, expected, label] of failures) {
    it(`shows a refused command once, in words, without HA's toast (${label}, ${language})`, async () => {
      await mount({ entity: 'alarm_control_panel.manual_disarmed' }, { failWithHa: failure, language });
      for (const k of ['9', '9', '9', '9']) await page.click(`#card .keypad button[data-key="${k}"]`);
      await page.click('#card .actions button[data-command=arm_away]');
      await page.waitForFunction(
        () => (window as unknown as Win).card.shadowRoot.querySelector('.message') !== null,
      );
      assert.equal(await text('.message'), expected);
      const seen = await page.evaluate(() => ({
        alerts: (window as unknown as Win).card.shadowRoot.querySelectorAll('[role=alert]').length,
        toasts: (window as unknown as { ctl: { toasts: string[] } }).ctl.toasts,
        code: (window as unknown as Win).card.shadowRoot.querySelector<HTMLInputElement>('.code input')
          ?.value,
      }));
      assert.deepEqual(seen, { alerts: 1, toasts: [], code: '' }, 'one message, no toast, code cleared');
    });
  }

  it('keeps the raw text of a plain Error when nothing better is known', async () => {
    await mount({ entity: 'alarm_control_panel.manual_no_code' }, { failWith: 'Panel busy' });
    await page.click('#card .actions button[data-command=arm_away]');
    await page.waitForFunction(
      () => (window as unknown as Win).card.shadowRoot.querySelector('.message') !== null,
    );
    assert.equal(await text('.message'), 'The command failed: Panel busy');
  });

  for (const dark of [false, true]) {
    it(`code box and Disarm / Cancel read as enabled controls (${dark ? 'dark' : 'light'})`, async () => {
      for (const entity of ['alarm_control_panel.alarmo_armed', 'alarm_control_panel.manual_arming']) {
        await mount({ entity }, { darkMode: dark });
        const look = await page.evaluate(() => {
          const root = (window as unknown as Win).card.shadowRoot;
          const { contrast, saturation } = (window as unknown as { colors: Colors }).colors;
          const card = getComputedStyle(root.querySelector('ha-card')!).backgroundColor;
          const input = root.querySelector<HTMLInputElement>('.code input')!;
          const is = getComputedStyle(input);
          const button = root.querySelector<HTMLButtonElement>('.actions button.disarm')!;
          const bs = getComputedStyle(button);
          return {
            inputDisabled: input.disabled,
            inputBorderContrast: contrast(is.borderTopColor, card),
            inputTextContrast: contrast(
              is.color,
              is.backgroundColor === 'rgba(0, 0, 0, 0)' ? card : is.backgroundColor,
            ),
            inputOpacity: is.opacity,
            buttonDisabled: button.disabled,
            buttonOpacity: bs.opacity,
            buttonSaturation: saturation(bs.backgroundColor),
            buttonCursor: bs.cursor,
            label: button.textContent?.trim(),
          };
        });
        assert.equal(look.inputDisabled, false);
        assert.equal(look.inputOpacity, '1');
        assert.ok(
          look.inputBorderContrast >= 3,
          `code box border contrast ${look.inputBorderContrast.toFixed(2)} ≥ 3:1`,
        );
        assert.ok(look.inputTextContrast >= 4.5, `code text contrast ${look.inputTextContrast.toFixed(2)}`);
        assert.equal(look.buttonDisabled, false);
        assert.equal(look.buttonOpacity, '1');
        assert.equal(look.buttonCursor, 'pointer');
        assert.ok(
          look.buttonSaturation > 0.3,
          `${look.label} is coloured, not grey (${look.buttonSaturation})`,
        );
      }
      await screenshot(page, '#card', `alarm-disarm-look-${dark ? 'dark' : 'light'}`);
    });
  }

  it('opens more-info for the alarm and for an open sensor', async () => {
    await mount({ entity: 'alarm_control_panel.manual_disarmed', sensors: ['binary_sensor.kitchen_window'] });
    await page.click('#card .head');
    await page.click('#card .chip[data-entity="binary_sensor.kitchen_window"]');
    const acts = await page.evaluate(() =>
      (window as unknown as Win).ctl.actions.map((a) => [
        a.action,
        a.config.entity,
        (a.config.tap_action as { action: string }).action,
      ]),
    );
    assert.deepEqual(acts, [
      ['tap', 'alarm_control_panel.manual_disarmed', 'more-info'],
      ['tap', 'binary_sensor.kitchen_window', 'more-info'],
    ]);
  });

  it('re-renders only when its own entities change, and follows the new state', async () => {
    await mount({ entity: 'alarm_control_panel.manual_disarmed', sensors: ['binary_sensor.garage_door'] });
    const updates = await page.evaluate(async () => {
      const w = window as unknown as Win & { n: number };
      w.n = 0;
      const card = w.card as unknown as { update(c: unknown): void };
      const orig = card.update;
      card.update = function (this: unknown, c: unknown) {
        w.n++;
        orig.call(this, c);
      };
      w.ctl.setState('binary_sensor.backdoor', 'off');
      await w.card.updateComplete;
      const unrelated = w.n;
      w.ctl.setState('binary_sensor.garage_door', 'on');
      await w.card.updateComplete;
      const sensor = w.n - unrelated;
      w.ctl.setState('alarm_control_panel.manual_disarmed', 'armed_night', {
        code_format: 'number',
        supported_features: 63,
        changed_by: 'Bob',
      });
      await w.card.updateComplete;
      return { unrelated, sensor, alarm: w.n - unrelated - sensor };
    });
    assert.deepEqual(updates, { unrelated: 0, sensor: 1, alarm: 1 });
    assert.equal(await text('.state'), 'Armed night');
    assert.match((await text('.sensors')) ?? '', /Garage door · Open/);
    assert.deepEqual(await commands(), ['disarm:Disarm']);
  });

  // Last: defines HA's icon elements for the rest of this page. The card is drawn before they
  // exist (HA may load them after the first render) and switches to them once defined.
  it("draws the state and buttons with HA's icon elements once the page defines them", async () => {
    await mount({ entity: 'alarm_control_panel.manual_disarmed' });
    const shield = () =>
      page.evaluate(() => {
        const el = (window as unknown as Win).card.shadowRoot.querySelector('.shield')?.firstElementChild as
          | (HTMLElement & { stateObj?: { entity_id: string }; hass?: unknown })
          | null;
        return [el?.localName ?? null, el?.stateObj?.entity_id ?? null, el?.hass !== undefined];
      });
    assert.deepEqual(await shield(), ['svg', null, false]);
    assert.equal(
      await page.evaluate(
        () => (window as unknown as Win).card.shadowRoot.querySelectorAll('.actions button svg').length,
      ),
      0,
      'outside HA the mode buttons show their text only',
    );
    await page.evaluate(() => {
      for (const name of ['ha-state-icon', 'ha-icon'])
        if (!customElements.get(name))
          customElements.define(
            name,
            class extends HTMLElement {
              stateObj?: unknown;
              hass?: unknown;
            },
          );
    });
    await page.waitForFunction(
      () => (window as unknown as Win).card.shadowRoot.querySelector('.shield ha-state-icon') !== null,
    );
    assert.deepEqual(await shield(), ['ha-state-icon', 'alarm_control_panel.manual_disarmed', true]);
    // The mode buttons take HA's ha-icon too (before: their text alone).
    const buttonIcons = await page.evaluate(() =>
      [...(window as unknown as Win).card.shadowRoot.querySelectorAll('.actions button')].map(
        (b) => (b.querySelector('ha-icon') as (HTMLElement & { icon?: string }) | null)?.icon ?? null,
      ),
    );
    assert.ok(
      buttonIcons.length > 0 && buttonIcons.every((i) => /^mdi:[a-z-]+$/.test(i ?? '')),
      buttonIcons.join(),
    );
  });
});
