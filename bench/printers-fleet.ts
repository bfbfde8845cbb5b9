/**
 * Child process of bench/printers.ts: a fleet of simulated OctoPrints (fake REST + push
 * websocket), all printing. Kept out of the measured process so that its CPU does not count.
 * stdout: one JSON line with the URLs, then one line per applied command `{i, state, at}`.
 * stdin: `pause I` / `resume I`.
 */
import { createInterface } from 'node:readline';
import { FakeOctoPrint } from '../addon/src/modules/printers/sim/octoprint-server.js';
import { VirtualPrinter } from '../addon/src/modules/printers/sim/virtual-printer.js';

const FLEET_KEY = 'bench-fleet-key';

const n = Number(process.argv[2] ?? '50');
const printers: VirtualPrinter[] = [];
const servers: FakeOctoPrint[] = [];
for (let i = 0; i < n; i++) {
  const vp = new VirtualPrinter(`p${i}`, { tickMs: 250 });
  vp.startPrint({ file: `part-${i}.gcode`, duration: 3600, layers: 300 });
  vp.elapsed = 600 + i * 7; // prints well under way, as a fleet mostly is
  printers.push(vp);
  servers.push(await new FakeOctoPrint(vp, { apiKey: FLEET_KEY }).listen());
}
process.stdout.write(`${JSON.stringify({ urls: servers.map((s) => s.url) })}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, idx] = line.trim().split(/\s+/);
  const vp = printers[Number(idx)];
  if (!vp) return;
  const ok = cmd === 'pause' ? vp.pause() : cmd === 'resume' ? vp.resume() : false;
  process.stdout.write(`${JSON.stringify({ i: Number(idx), state: vp.state, ok, at: Date.now() })}\n`);
});
process.stdin.on('end', async () => {
  for (const s of servers) await s.close();
  for (const p of printers) p.dispose();
  process.exit(0);
});
