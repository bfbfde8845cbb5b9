/**
 * Lovelace cards: the plan card in Chromium with 100, 500 and 2,000 markers — first render and re-render after one entity changed. Timed in
 * the page with performance.now() (cross-origin isolated page: 5 µs resolution), awaiting
 * `updateComplete` (the card's and its markers').
 */
import { ensureBundle, launchBrowser, openHarness, startServer } from '../test/cards/helpers/harness.js';
import { distribution, figure } from './run.js';

interface Timings {
  isolated: boolean;
  first: number[];
  firstLayout: number[];
  update: number[];
  updateLayout: number[];
}

export async function run(): Promise<void> {
  // Bundle size and its breakdown: bench/cards-bundle.ts.
  await ensureBundle();

  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { page } = await openHarness(browser, server);
    for (const n of [100, 500, 2000]) {
      const rounds = n >= 2000 ? 5 : 20;
      const t: Timings = await page.evaluate(
        async ([count, firstRounds]) => {
          const root = document.getElementById('root')!;
          root.style.width = '900px';
          const states: Record<string, unknown> = {};
          const markers = [];
          const now = new Date().toISOString();
          for (let i = 0; i < count; i++) {
            const id = i % 2 ? `sensor.t_${i}` : `light.l_${i}`;
            states[id] = {
              entity_id: id,
              state: i % 2 ? String(18 + (i % 7)) : i % 4 ? 'on' : 'off',
              attributes: i % 2 ? { unit_of_measurement: '°C', device_class: 'temperature' } : {},
              last_changed: now,
              last_updated: now,
            };
            markers.push({ entity: id, x: 10 + ((i * 37) % 780), y: 10 + ((i * 53) % 480) });
          }
          const config = {
            type: 'custom:monitor-plan-card',
            image: '/test/cards/fixtures/plan.svg',
            width: 800,
            height: 500,
            markers,
          };
          const base = {
            states,
            language: 'en',
            locale: { language: 'en' },
            themes: { darkMode: false },
            callService() {
              return Promise.resolve(undefined);
            },
          };
          type CardEl = HTMLElement & {
            setConfig(c: unknown): void;
            hass: unknown;
            updateComplete: Promise<boolean>;
            shadowRoot: ShadowRoot;
          };
          const out = {
            isolated: crossOriginIsolated,
            first: [] as number[],
            firstLayout: [] as number[],
            update: [] as number[],
            updateLayout: [] as number[],
          };
          let card: CardEl | undefined;
          for (let r = 0; r < firstRounds; r++) {
            root.replaceChildren();
            await new Promise((res) => setTimeout(res, 20));
            const t0 = performance.now();
            card = document.createElement('monitor-plan-card') as CardEl;
            card.setConfig(config);
            card.hass = base;
            root.append(card);
            await card.updateComplete;
            const t1 = performance.now();
            card.shadowRoot.querySelector('.markers')!.getBoundingClientRect();
            const t2 = performance.now();
            out.first.push(t1 - t0);
            out.firstLayout.push(t2 - t0);
          }
          // Let the SVG plan arrive, so later updates are the steady state.
          await new Promise((res) => setTimeout(res, 300));
          await card!.updateComplete;
          let hass = base as { states: Record<string, { state: string }> } & typeof base;
          for (let u = 0; u < 200; u++) {
            const id = `sensor.t_${1 + 2 * ((u * 7919) % Math.floor(count / 2))}`;
            const old = hass.states[id]!;
            const next = {
              ...hass,
              states: {
                ...hass.states,
                [id]: { ...old, state: String(15 + (u % 10) + 0.5), last_updated: new Date().toISOString() },
              },
            };
            const t0 = performance.now();
            card!.hass = next;
            await card!.updateComplete;
            const t1 = performance.now();
            card!.shadowRoot.querySelector('.markers')!.getBoundingClientRect();
            const t2 = performance.now();
            out.update.push(t1 - t0);
            out.updateLayout.push(t2 - t0);
            hass = next;
          }
          return out;
        },
        [n, rounds] as const,
      );
      if (!t.isolated) figure('warning', 'page not cross-origin isolated: coarse timer');
      const goal = n === 500;
      figure(
        `plan card, ${n} markers: first render (Lit, DOM built)`,
        distribution(t.first, 'ms', 2),
        goal ? '≤ 50 ms' : undefined,
      );
      figure(`plan card, ${n} markers: first render + layout`, distribution(t.firstLayout, 'ms', 2));
      figure(
        `plan card, ${n} markers: update, one entity changed`,
        distribution(t.update, 'ms', 3),
        goal ? '≤ 1 ms' : undefined,
      );
      figure(`plan card, ${n} markers: update + layout`, distribution(t.updateLayout, 'ms', 3));
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
