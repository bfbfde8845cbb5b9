/**
 * The live cards in Chromium, fed with what Monitor publishes (the test helpers build the
 * states from real captures): the printer card with 20 printers, time to show one temperature
 * change and how many rows it re-rendered; the Linky card, the work a `hass` update costs when
 * nothing it shows changed (renders, statistics requests, time in the setter).
 */
import { ensureBundle, launchBrowser, openHarness, startServer } from '../test/cards/helpers/harness.js';
import { meterStates } from '../test/cards/helpers/linky-states.js';
import { printerStates, statusOf, type Variant } from '../test/cards/helpers/printer-states.js';
import { distribution, figure } from './run.js';

type Row = HTMLElement & { renderCount: number; updateComplete: Promise<boolean> };
type Card = HTMLElement & {
  renderCount: number;
  updateComplete: Promise<boolean>;
  shadowRoot: ShadowRoot;
  hass: unknown;
};
interface Ctl {
  hass: { states: Record<string, { attributes: Record<string, unknown> }> };
  setState(id: string, state: string, attrs?: Record<string, unknown>): void;
  wsCalls: unknown[];
}
type Win = Window & {
  harness: {
    mount(tag: string, config: unknown, opts?: Record<string, unknown>): Promise<{ error: string | null }>;
  };
  ctl: Ctl;
  card: Card;
  wsHandler?: (msg: Record<string, unknown>) => unknown;
};

export async function run(): Promise<void> {
  await ensureBundle();
  const states: Record<string, unknown> = {};
  const ids: string[] = [];
  const variants: Variant[] = ['printing', 'idle', 'paused', 'printing', 'error', 'printing', 'offline'];
  for (let i = 0; i < 20; i++) {
    const r = printerStates(`P${i + 1}`, statusOf(variants[i % variants.length] as Variant), {
      snapshot: true,
    });
    Object.assign(states, r.states);
    const temp = r.states[`sensor.${r.prefix}_tool0_temperature`];
    if (temp && temp.state !== 'unavailable') ids.push(`sensor.${r.prefix}_tool0_temperature`);
  }
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { page } = await openHarness(browser, server);
    await page.evaluate(
      (s) =>
        (window as unknown as Win).harness.mount(
          'monitor-printer-card',
          { type: 'custom:monitor-printer-card' },
          { states: s, width: 900 },
        ),
      states,
    );
    const fleet = await page.evaluate(async (temps) => {
      const w = window as unknown as Win;
      const root = w.card.shadowRoot;
      await new Promise((r) => setTimeout(r, 200));
      const times: number[] = [];
      const rerendered: number[] = [];
      const cardBefore = w.card.renderCount;
      for (let u = 0; u < 200; u++) {
        const id = temps[u % temps.length] as string;
        const before = [...root.querySelectorAll<Row>('monitor-printer-row')].map((r) => r.renderCount);
        const t0 = performance.now();
        w.ctl.setState(id, (200 + (u % 30) / 2).toFixed(1), w.ctl.hass.states[id]!.attributes);
        await w.card.updateComplete;
        for (const r of root.querySelectorAll<Row>('monitor-printer-row')) await r.updateComplete;
        times.push(performance.now() - t0);
        rerendered.push(
          [...root.querySelectorAll<Row>('monitor-printer-row')].reduce(
            (n, r, i) => n + r.renderCount - (before[i] as number),
            0,
          ),
        );
      }
      return { times, rerendered, cardRenders: w.card.renderCount - cardBefore };
    }, ids);
    figure('printer card, 20 printers: one temperature change shown', distribution(fleet.times, 'ms', 3));
    figure(
      'printer card, 20 printers: rows re-rendered per change',
      distribution(fleet.rerendered, 'rows', 0),
      '1',
    );
    figure('printer card, 20 printers: card renders in 200 changes', String(fleet.cardRenders), '0');

    const { states: meter } = meterStates('historic-tri-tempo.tic.txt', 0);
    await page.evaluate(() => {
      (window as unknown as Win).wsHandler = () => ({});
    });
    await page.evaluate(
      (s) =>
        (window as unknown as Win).harness.mount(
          'monitor-linky-card',
          { type: 'custom:monitor-linky-card' },
          { states: { ...s, 'sensor.elsewhere': { state: '0', attributes: {} } }, id: 'linky' },
        ),
      meter,
    );
    const linky = await page.evaluate(async () => {
      const w = window as unknown as Win;
      await w.card.updateComplete;
      const renders = w.card.renderCount;
      const ws = w.ctl.wsCalls.length;
      const setter: number[] = [];
      for (let u = 0; u < 1000; u++) {
        w.ctl.setState('sensor.elsewhere', String(u));
        // Time the card's own part: its hass setter with the new object.
        const hass = (w.ctl as unknown as { hass: unknown }).hass;
        const t0 = performance.now();
        w.card.hass = hass;
        setter.push((performance.now() - t0) * 1000);
        await w.card.updateComplete;
      }
      return { renders: w.card.renderCount - renders, ws: w.ctl.wsCalls.length - ws, setter };
    });
    figure('linky card: renders in 1000 unrelated hass updates', String(linky.renders), '0');
    figure('linky card: statistics requests in 1000 hass updates', String(linky.ws), '0');
    figure('linky card: hass setter, nothing it shows changed', distribution(linky.setter, 'µs', 1));
  } finally {
    await browser.close();
    await server.close();
  }
}
