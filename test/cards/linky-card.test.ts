/**
 * monitor-linky-card in real Chromium, fed with the entities Monitor publishes for real TIC
 * captures (helpers/linky-states.ts: Tempo on a red day, base, HP/HC, three-phase historic and
 * standard) and with answers of `recorder/statistics_during_period` shaped like HA's
 * (core `recorder/websocket_api.py`: `{statistic_id: [{start, end, change}]}`, start and end in
 * ms since HA 2023.3), plus an error answer (`{code, message}` as HA's websocket rejects).
 */
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot, useHarness } from './helpers/harness.js';
import { meterStates } from './helpers/linky-states.js';

type Card = HTMLElement & { updateComplete: Promise<boolean>; shadowRoot: ShadowRoot; renderCount: number };
type Win = Window & {
  harness: {
    mount(tag: string, config: unknown, opts?: Record<string, unknown>): Promise<{ error: string | null }>;
    clear(): void;
  };
  ctl: {
    wsCalls: Record<string, unknown>[];
    actions: { action: string; config: Record<string, unknown> }[];
    setState(id: string, state: string, attrs?: Record<string, unknown>): void;
    hass: { states: Record<string, { attributes: Record<string, unknown> }> };
  };
  card: Card;
  wsHandler?: (msg: Record<string, unknown>) => unknown;
};

let page: Page;
let errors: string[];

/** kWh per day by offset from today (0 = today, so far); cost at 0.25 €/kWh; HP 60 %, HC 40 %. */
const DAY_KWH = [5.2, 12.4, 9.8, 11.1, 10.6, 13.9, 8.7];
const dayKwh = (offset: number) => DAY_KWH[offset] ?? 10 + (offset % 4);

/** Installs an HA-shaped statistics answer (or an error) for the next requests. */
async function answerStatistics(mode: 'ok' | 'error' | 'garbage'): Promise<void> {
  await page.evaluate(
    ([m, table]) => {
      const w = window as unknown as Win;
      w.wsHandler = (msg) => {
        if (m === 'error') throw { code: 'unknown_command', message: 'Unknown command.' };
        if (m === 'garbage') return ['not', 'an', 'object'];
        const out: Record<string, { start: number; end: number; change: number }[]> = {};
        const start = Date.parse(String(msg.start_time));
        const today = new Date();
        today.setHours(0, 0, 0, 0);
        for (const id of msg.statistic_ids as string[]) {
          const rows = [];
          for (let d = new Date(start); d.getTime() <= today.getTime(); d.setDate(d.getDate() + 1)) {
            const offset = Math.round((today.getTime() - d.getTime()) / 86_400_000);
            const kwh = (table as number[])[offset] ?? 10 + (offset % 4);
            const next = new Date(d);
            next.setDate(next.getDate() + 1);
            const change = id.endsWith('_cost')
              ? kwh * 0.25
              : /_index_(hchp|bbrhp)/.test(id)
                ? kwh * 0.6
                : /_index_(hchc|bbrhc)/.test(id)
                  ? kwh * 0.4
                  : kwh;
            rows.push({ start: d.getTime(), end: next.getTime(), change });
          }
          out[id] = rows;
        }
        return out;
      };
    },
    [mode, DAY_KWH] as const,
  );
}

async function mount(config: Record<string, unknown>, states: Record<string, unknown>, opts = {}) {
  const r = await page.evaluate(
    ([c, s, o]) =>
      (window as unknown as Win).harness.mount(
        'monitor-linky-card',
        { type: 'custom:monitor-linky-card', ...c },
        { states: s, width: 460, ...o },
      ),
    [config, states, opts] as const,
  );
  assert.equal(r.error, null);
}

const text = (sel: string) =>
  page.evaluate(
    (s) =>
      (window as unknown as Win).card.shadowRoot
        .querySelector<HTMLElement>(s)
        ?.textContent?.replace(/[ \t\n\r]+/g, ' ')
        .trim() ?? null,
    sel,
  );
const texts = (sel: string) =>
  page.evaluate(
    (s) =>
      [...(window as unknown as Win).card.shadowRoot.querySelectorAll<HTMLElement>(s)].map(
        (e) => e.textContent?.replace(/[ \t\n\r]+/g, ' ').trim() ?? '',
      ),
    sel,
  );
const waitFor = (sel: string) =>
  page.waitForFunction((s) => (window as unknown as Win).card.shadowRoot.querySelector(s) !== null, sel);
const wsCalls = () => page.evaluate(() => (window as unknown as Win).ctl.wsCalls);

describe('monitor-linky-card', () => {
  const session = useHarness();
  before(() => {
    ({ page, errors } = session);
  });
  beforeEach(async () => {
    // The statistics cache lives for the page: start every test with a fresh one.
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  });

  it('Tempo on a red day (historic three-phase): gauge against 6 kVA, chips, phases, French', async () => {
    const { states, prefix } = meterStates('historic-tri-tempo.tic.txt', 0);
    await answerStatistics('ok');
    await mount({}, states, { language: 'fr' });
    const gauge = await page.evaluate(() => {
      const g = (window as unknown as Win).card.shadowRoot.querySelector('.gauge')!;
      return [
        g.getAttribute('role'),
        g.getAttribute('aria-valuenow'),
        g.getAttribute('aria-valuemax'),
        g.className,
      ];
    });
    assert.deepEqual(gauge, ['meter', '5998', '6000', 'gauge zone-warning']);
    assert.equal(await text('.gauge .value'), '5\u202f998\u00a0VA');
    assert.equal(await text('.gauge .of'), 'sur 6\u00a0kVA souscrits');
    assert.deepEqual(await texts('.chips .chip'), [
      'Heures pleines',
      "Aujourd'hui · jour rouge",
      'Demain · pas encore connu',
    ]);
    assert.equal(
      await page.evaluate(
        () =>
          getComputedStyle((window as unknown as Win).card.shadowRoot.querySelector('.chip.tempo.red')!)
            .backgroundColor,
      ),
      'rgb(198, 40, 40)',
    );
    assert.deepEqual(await texts('.phase .text'), ['9\u00a0A', '7\u00a0A', '9\u00a0A']);
    // HP/HC from the six Tempo indexes: one request for the total and the indexes.
    await waitFor('.history .col');
    const calls = await wsCalls();
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.type, 'recorder/statistics_during_period');
    assert.equal(calls[0]!.period, 'day');
    assert.deepEqual((calls[0]!.statistic_ids as string[]).map((id) => id.replace(prefix, '*')).sort(), [
      'sensor.*_energy_total',
      'sensor.*_index_bbrhcjb',
      'sensor.*_index_bbrhcjr',
      'sensor.*_index_bbrhcjw',
      'sensor.*_index_bbrhpjb',
      'sensor.*_index_bbrhpjr',
      'sensor.*_index_bbrhpjw',
    ]);
    // Each index answers its share (60 % HP / 40 % HC of the day): three HP indexes → 180 %.
    assert.equal(await text('.day.today .energy'), '5,2\u00a0kWh');
    assert.equal(
      await text('.day.today .split'),
      `HP ${fr(dayKwh(0) * 1.8)}\u00a0kWh · HC ${fr(dayKwh(0) * 1.2)}\u00a0kWh`,
    );
    await screenshot(page, '#card', 'linky-tempo-red-fr');
    assert.deepEqual(errors, []);
  });

  it('base contract (historic single-phase): no tariff split, English, dark', async () => {
    const { states } = meterStates('historic-mono-base.tic.txt');
    await answerStatistics('ok');
    await mount({ title: 'Linky', price_per_kwh: 0.2516 }, states, { darkMode: true });
    assert.equal(await text('.card-header'), 'Linky');
    assert.equal(await text('.gauge .value'), '2,390\u00a0VA');
    assert.equal(await text('.gauge .of'), 'of 6\u00a0kVA subscribed');
    assert.match(
      (await page.evaluate(
        () => (window as unknown as Win).card.shadowRoot.querySelector('.gauge')!.className,
      )) ?? '',
      /zone-normal/,
    );
    assert.deepEqual(await texts('.chips .chip'), []);
    assert.equal(
      await page.evaluate(() => (window as unknown as Win).card.shadowRoot.querySelector('.phases')),
      null,
    );
    await waitFor('.history .col');
    assert.equal(await text('.day.yesterday .energy'), '12.4\u00a0kWh');
    assert.equal(await text('.day.yesterday .cost'), `€${(12.4 * 0.2516).toFixed(2)}`);
    assert.equal(
      await page.evaluate(() => (window as unknown as Win).card.shadowRoot.querySelector('.split')),
      null,
    );
    assert.equal((await texts('.history .col')).length, 7);
    await screenshot(page, '#card', 'linky-base-en-dark');
  });

  it('HP/HC contract: split, cost from the price, 30-day history with per-day labels', async () => {
    const { states } = meterStates('historic-mono-hc.tic.txt');
    await answerStatistics('ok');
    await mount({ history_days: 30, price_per_kwh: 0.2 }, states, { language: 'fr' });
    assert.deepEqual(await texts('.chips .chip'), ['Heures pleines']);
    await waitFor('.history .col');
    assert.equal(
      await text('.day.yesterday .split'),
      `HP ${fr(12.4 * 0.6)}\u00a0kWh · HC ${fr(12.4 * 0.4)}\u00a0kWh`,
    );
    assert.equal(await text('.day.yesterday .cost'), '2,48\u00a0€');
    assert.equal(await text('.history-title'), '30 derniers jours');
    const bars = await page.evaluate(() =>
      [...(window as unknown as Win).card.shadowRoot.querySelectorAll('.history .col')].map((c) =>
        c.getAttribute('aria-label'),
      ),
    );
    assert.equal(bars.length, 30);
    assert.match(bars[28]!, /^[a-zé]{3}\. \d+ [a-zéû]+\.?\u00a0: 12,4\u00a0kWh · 2,48\u00a0€$/);
    await screenshot(page, '#card', 'linky-hchp-fr');
  });

  it('standard HP/HC meter: the contract code (not its words) splits the EASF indexes', async () => {
    const { states, prefix } = meterStates('standard-mono-hc-noisy.tic.txt');
    // HA shows the contract in words, which name neither HC nor HP in English.
    assert.equal(states[`sensor.${prefix}_contract`]?.state, 'Off-peak / peak hours');
    await answerStatistics('ok');
    await mount({}, states);
    await waitFor('.history .col');
    const ids = ((await wsCalls())[0]!.statistic_ids as string[]).map((id) => id.replace(prefix, '*'));
    assert.deepEqual(ids.sort(), ['sensor.*_energy_total', 'sensor.*_index_easf01', 'sensor.*_index_easf02']);
    // EASF01 is off-peak, EASF02 peak; the handler answers each index the whole day.
    assert.equal(await text('.day.yesterday .split'), 'Peak 12.4\u00a0kWh · Off-peak 12.4\u00a0kWh');
  });

  it('standard three-phase: each phase in VA and A against a third of 18 kVA', async () => {
    const { states } = meterStates('standard-tri-producer-tempo.tic.txt');
    await answerStatistics('ok');
    await mount({}, states);
    assert.deepEqual(await texts('.phase .text'), [
      '0\u00a0VA · 1\u00a0A',
      '565\u00a0VA · 2\u00a0A',
      '0\u00a0VA · 1\u00a0A',
    ]);
    assert.deepEqual(await texts('.phase .label'), ['Phase 1', 'Phase 2', 'Phase 3']);
    const width = await page.evaluate(
      () =>
        (window as unknown as Win).card.shadowRoot.querySelectorAll<HTMLElement>('.phase .bar > span')[1]!
          .style.width,
    );
    assert.equal(width, `${((565 / 6000) * 100).toFixed(1)}%`);
    assert.deepEqual(await texts('.chips .chip'), [
      'Peak hours',
      'Today · blue day',
      'Tomorrow · not known yet',
    ]);
    await screenshot(page, '#card', 'linky-tri-standard-en');
  });

  it('overload: power above the subscribed power turns the gauge red, marks the day maximum', async () => {
    const { states, prefix } = meterStates('historic-mono-base.tic.txt');
    await mount({}, states);
    await page.evaluate(
      ([p]) => {
        const w = window as unknown as Win;
        w.ctl.setState(`sensor.${p}_apparent_power`, '7200', { unit_of_measurement: 'VA' });
        w.ctl.setState(`sensor.${p}_max_power_today`, '7450', { unit_of_measurement: 'VA' });
      },
      [prefix] as const,
    );
    // max_power_today is not in a historic frame: the card maps it once it exists (new config).
    await page.evaluate(
      ([p]) =>
        (window as unknown as Win & { card: { setConfig(c: unknown): void } }).card.setConfig({
          type: 'custom:monitor-linky-card',
          max_power_today: `sensor.${p}_max_power_today`,
        }),
      [prefix] as const,
    );
    await page.evaluate(() => (window as unknown as Win).ctl.setState('sensor.unrelated', '1'));
    await waitFor('.max');
    assert.match(
      (await page.evaluate(
        () => (window as unknown as Win).card.shadowRoot.querySelector('.gauge')!.className,
      )) ?? '',
      /zone-over/,
    );
    assert.deepEqual(await texts('.chips .chip'), ['Overload']);
    assert.equal(await text('.max'), 'Max 7,450\u00a0VA above the subscribed power');
    await screenshot(page, '#card', 'linky-overload-en');
  });

  it('Enedis statistics alone: no live entity, cost statistic beside it, currency in French', async () => {
    await answerStatistics('ok');
    await mount({ energy_statistic: 'monitor:linky_12345678901234' }, {}, { language: 'fr' });
    await waitFor('.history .col');
    const ids = (await wsCalls())[0]!.statistic_ids;
    assert.deepEqual(ids, ['monitor:linky_12345678901234', 'monitor:linky_12345678901234_cost']);
    assert.equal(
      await page.evaluate(() => (window as unknown as Win).card.shadowRoot.querySelector('.gauge')),
      null,
    );
    assert.equal(await text('.day.yesterday .energy'), '12,4\u00a0kWh');
    assert.equal(await text('.day.yesterday .cost'), '3,10\u00a0€');
    assert.equal(
      await page.evaluate(() => (window as unknown as Win).card.shadowRoot.querySelector('.warning')),
      null,
    );
  });

  it('statistics error: the live part stays, the error is said once, in words', async () => {
    const { states } = meterStates('historic-mono-hc.tic.txt');
    await answerStatistics('error');
    await mount({}, states, { language: 'fr' });
    await waitFor('.stats-error');
    assert.equal(await text('.stats-error'), 'Historique indisponible : Unknown command.');
    assert.equal(await text('.gauge .value'), '2\u202f160\u00a0VA');
    assert.equal(
      await page.evaluate(
        () => (window as unknown as Win).card.shadowRoot.querySelectorAll('[role=alert]').length,
      ),
      1,
    );
    await answerStatistics('garbage');
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
    await answerStatistics('garbage');
    await mount({}, states);
    await waitFor('.stats-error');
    assert.equal(await text('.stats-error'), 'History unavailable: unexpected statistics answer');
  });

  it('asks for statistics once however many hass updates, and re-renders only for its entities', async () => {
    const { states, prefix } = meterStates('historic-mono-hc.tic.txt');
    await answerStatistics('ok');
    await mount({}, { ...states, 'sensor.outside': { state: '3', attributes: {} } });
    await waitFor('.history .col');
    const r = await page.evaluate(
      async ([p]) => {
        const w = window as unknown as Win;
        const before = w.card.renderCount;
        for (let i = 0; i < 50; i++) {
          w.ctl.setState('sensor.outside', String(i));
          await w.card.updateComplete;
        }
        const afterUnrelated = w.card.renderCount;
        w.ctl.setState(`sensor.${p}_apparent_power`, '2500', { unit_of_measurement: 'VA' });
        await w.card.updateComplete;
        // A second card on the same meter shares the cached answer.
        const second = document.createElement('monitor-linky-card') as Card & {
          setConfig(c: unknown): void;
          hass: unknown;
        };
        second.setConfig({ type: 'custom:monitor-linky-card' });
        second.hass = (w.ctl as unknown as { hass: unknown }).hass;
        document.getElementById('root')!.append(second);
        await second.updateComplete;
        await new Promise((res) => setTimeout(res, 50));
        return { before, afterUnrelated, afterOwn: w.card.renderCount, ws: w.ctl.wsCalls.length };
      },
      [prefix] as const,
    );
    assert.equal(r.afterUnrelated, r.before, '50 unrelated updates: no render');
    assert.equal(r.afterOwn, r.before + 1, 'its own entity changed: one render');
    assert.equal(r.ws, 1, 'one statistics request for 51 updates and two cards');
    assert.equal(await text('.gauge .value'), '2,500\u00a0VA');
  });

  it("a tariff period in another integration's words is shown as HA formats it", async () => {
    const { states, prefix } = meterStates('historic-mono-hc.tic.txt');
    // Another integration's entity: its own word, no Monitor `code` attribute.
    states[`sensor.${prefix}_tariff_period`] = { state: 'super_creux_weekend', attributes: {} };
    await mount({}, states, { formatEntityState: 'marked' });
    assert.deepEqual(await texts('.chips .chip'), ['super_creux_weekend [ha]']);
  });

  it('more-info on the gauge through hass-action; keyboard reachable with an accessible name', async () => {
    const { states, prefix } = meterStates('historic-mono-base.tic.txt');
    await mount({}, states);
    await page.focus('#card .gauge');
    await page.keyboard.press('Enter');
    const acts = await page.evaluate(() => (window as unknown as Win).ctl.actions);
    assert.deepEqual(
      acts.map((a) => [a.action, a.config.entity]),
      [['tap', `sensor.${prefix}_apparent_power`]],
    );
    assert.equal(
      await page.evaluate(() =>
        (window as unknown as Win).card.shadowRoot.querySelector('.gauge')!.getAttribute('aria-label'),
      ),
      'Apparent power 2,390\u00a0VA of 6\u00a0kVA subscribed',
    );
  });

  it('config errors are clear, and HA form editor has statistic and entity pickers in French', async () => {
    const bad = await page.evaluate(() =>
      (window as unknown as Win).harness.mount('monitor-linky-card', { type: 'x', history_days: 14 }),
    );
    assert.equal(bad.error, 'history_days: expected 7 or 30, got 14');
    const form = await page.evaluate(() => {
      const w = window as unknown as Win;
      const ctl = (
        w as unknown as { harness: { createFakeHass(o: unknown): { hass: unknown } } }
      ).harness.createFakeHass({ language: 'fr' }) as { hass: { localize(key: string): string } };
      const probe = document.createElement('monitor-linky-card') as HTMLElement & {
        setConfig(c: unknown): void;
        hass: unknown;
      };
      probe.setConfig({ type: 'x' });
      probe.hass = ctl.hass;
      const cls = customElements.get('monitor-linky-card') as unknown as {
        getConfigForm(): {
          schema: {
            name: string;
            selector?: Record<string, unknown>;
            schema?: { name: string; selector?: Record<string, unknown> }[];
          }[];
          computeLabel(s: { name: string }): string | undefined;
        };
      };
      const f = cls.getConfigForm() as ReturnType<typeof cls.getConfigForm> & {
        assertConfig(c: unknown): void;
      };
      f.assertConfig({ type: 'x', history_days: '30' }); // what HA's select gives back
      const flat = f.schema.flatMap((s) => s.schema ?? [s]);
      return {
        flattened: f.schema
          .filter((s) => s.schema)
          .map(
            (s) =>
              (s as { flatten?: boolean; type?: string }).type === 'grid' ||
              (s as { flatten?: boolean }).flatten === true,
          ),
        selectors: Object.fromEntries(flat.map((s) => [s.name, Object.keys(s.selector ?? {})[0]])),
        // HA's hui-form-editor: the card's label, else HA's own name for a common field.
        labels: ['energy_statistic', 'apparent_power', 'history_days', 'title'].map(
          (n) =>
            f.computeLabel({ name: n }) ?? ctl.hass.localize(`ui.panel.lovelace.editor.card.generic.${n}`),
        ),
      };
    });
    assert.ok(form.flattened.every(Boolean), 'grouped fields stay at the top of the config');
    assert.equal(form.selectors.energy_statistic, 'statistic');
    assert.equal(form.selectors.apparent_power, 'entity');
    assert.equal(form.selectors.history_days, 'select');
    assert.deepEqual(form.labels, [
      "Statistique d'énergie",
      'Puissance apparente',
      'Historique (jours)',
      'Titre',
    ]);
  });
});

function fr(n: number): string {
  return new Intl.NumberFormat('fr', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);
}
