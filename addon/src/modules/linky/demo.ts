/**
 * `monitor demo`: two simulated meters on in-memory lines (no socat, no hardware): a historic
 * single-phase HC meter at 1200 baud and a standard one at 9600 baud.
 */

import { createMemoryLine, removeMemoryLine } from '../../core/serial-line.js';
import type { DemoProvider } from '../../demo/providers.js';
import { TicSimulator } from './simulator.js';

export const linkyDemo: DemoProvider = {
  name: 'linky',
  async start(ctx) {
    const made = (['historic', 'standard'] as const).map((mode) => {
      const name = `demo-linky-${mode}`;
      const line = createMemoryLine(name);
      const sim = new TicSimulator({
        mode,
        write: (b) => line.device.write(b),
        readerBaud: () => line.hostBaud,
      });
      sim.start();
      return { mode, name, sim, line };
    });
    const fr = ctx.lang === 'fr';
    return {
      section: {
        name: 'linky',
        value: { meters: made.map((m) => ({ port: `memory:${m.name}`, name: `Linky ${m.mode}` })) },
      },
      lines: [
        fr
          ? 'Linky : deux compteurs simulés (historique 1200 bauds, standard 9600 bauds)'
          : 'Linky: two simulated meters (historic 1200 baud, standard 9600 baud)',
      ],
      async stop() {
        for (const m of made) {
          m.sim.stop();
          m.line.unplug();
          removeMemoryLine(m.name);
        }
      },
    };
  },
};
