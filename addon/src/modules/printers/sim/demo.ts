/**
 * Simulated printers for `monitor demo`, in-process: an OctoPrint printing in a loop (push
 * websocket, webcam snapshot), a Klipper/Moonraker standing idle, and an OctoPrint that is
 * switched off (a URL where nothing listens).
 */
import { createServer } from 'node:net';
import type { DemoProvider } from '../../../demo/providers.js';
import { FakeMoonraker } from './moonraker-server.js';
import { FakeOctoPrint } from './octoprint-server.js';
import { VirtualPrinter } from './virtual-printer.js';

const DEMO_KEY = 'demo-octoprint-key';

/** A local port where nothing listens (taken then released). */
function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 9));
    });
  });
}

export const printersDemo: DemoProvider = {
  name: 'printers',
  async start(ctx) {
    const prusa = new VirtualPrinter('Prusa MK4');
    prusa.loopAfterMs = 15_000;
    const voron = new VirtualPrinter('Voron 2.4', { tools: 1, chamber: true });
    const octo = await new FakeOctoPrint(prusa, { apiKey: DEMO_KEY }).listen();
    const moon = await new FakeMoonraker(voron, { snapshotUrl: '' }).listen();
    prusa.startPrint({ file: 'benchy.gcode', duration: 180, layers: 48 });
    const off = await unusedPort();
    const fr = ctx.lang === 'fr';
    return {
      section: {
        name: 'printers',
        value: {
          list: [
            { name: 'Prusa MK4', type: 'octoprint', url: octo.url, api_key: DEMO_KEY, interval: 5 },
            { name: 'Voron 2.4', type: 'moonraker', url: moon.url, interval: 5 },
            { name: 'Ender 3', type: 'octoprint', url: `http://127.0.0.1:${off}/`, interval: 10, timeout: 2 },
          ],
        },
      },
      lines: [
        fr
          ? `Imprimantes : OctoPrint simulé ${octo.url} (impression en boucle), Moonraker simulé ${moon.url} (au repos), Ender 3 éteinte`
          : `Printers: simulated OctoPrint ${octo.url} (printing in a loop), simulated Moonraker ${moon.url} (idle), Ender 3 switched off`,
      ],
      async stop() {
        await octo.close();
        await moon.close();
        prusa.dispose();
        voron.dispose();
      },
    };
  },
};
