/** `monitor printers probe` against the fake servers: detection, one JSON line, exit codes. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProbeResult } from '../../addon/src/modules/printers/probe.js';
import { FakeExporter } from '../../addon/src/modules/printers/sim/exporter-server.js';
import { FakeMoonraker } from '../../addon/src/modules/printers/sim/moonraker-server.js';
import { FakeOctoPrint } from '../../addon/src/modules/printers/sim/octoprint-server.js';
import { VirtualPrinter } from '../../addon/src/modules/printers/sim/virtual-printer.js';
import { runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/mosquitto.js';

const KEY = 'PROBE-KEY-7777777';

async function run(args: string[]) {
  const r = await runCli(args, { env: { LANG: 'en_US.UTF-8', MONITOR_LOG_LEVEL: 'silent' } });
  return { ...r, json: r.out[0] ? (JSON.parse(r.out[0]) as ProbeResult) : undefined };
}

describe('monitor printers probe', () => {
  const vp = new VirtualPrinter('p', { tickMs: 100 });
  let octo: FakeOctoPrint;
  let moon: FakeMoonraker;
  let exporter: FakeExporter;

  before(async () => {
    octo = await new FakeOctoPrint(vp, { apiKey: KEY }).listen();
    moon = await new FakeMoonraker(vp).listen();
    exporter = await new FakeExporter(vp, 'sbelectronics').listen();
    vp.startPrint({ file: 'cube.gcode', duration: 600, layers: 10 });
  });
  after(async () => {
    await octo.close();
    await moon.close();
    await exporter.close();
    vp.dispose();
  });

  it('detects OctoPrint and prints its status, push included, without the key', async () => {
    const r = await run(['printers', 'probe', octo.url, '--api-key', KEY, '--timeout', '2']);
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.equal(r.out.length, 1, 'one JSON line');
    assert.equal(r.json?.type, 'octoprint');
    assert.equal(r.json?.status?.state, 'printing');
    assert.equal(r.json?.values?.file, 'cube.gcode');
    assert.equal(r.json?.push, true);
    assert.ok(!r.out[0]?.includes(KEY));
  });

  it('detects Moonraker and a Prometheus exporter', async () => {
    const m = await run(['printers', 'probe', moon.url, '--timeout', '2']);
    assert.equal(m.json?.type, 'moonraker');
    assert.equal(m.json?.status?.state, 'printing');
    assert.equal(m.code, 0);
    const p = await run(['printers', 'probe', exporter.url, '--timeout', '2']);
    assert.equal(p.json?.type, 'prometheus');
    assert.equal(p.json?.status?.file, 'cube.gcode');
    assert.equal(p.json?.push, null);
  });

  it('reports a refused key with exit 1, and a forced type', async () => {
    const r = await run(['printers', 'probe', octo.url, '--api-key', 'nope-nope', '--type', 'octoprint']);
    assert.equal(r.code, 1);
    assert.match(r.json?.status?.problem ?? '', /403/);
  });

  it('fails clearly when nothing answers, and on usage errors', async () => {
    const port = await freePort();
    const r = await run(['printers', 'probe', `http://127.0.0.1:${port}/`, '--timeout', '1']);
    assert.equal(r.code, 1);
    assert.equal(r.json?.type, null);
    assert.match(r.err.join(' '), /no OctoPrint, Moonraker or Prometheus exporter answered/);
    assert.equal((await run(['printers', 'probe'])).code, 2);
    assert.equal((await run(['printers', 'probe', 'ftp://x'])).code, 2);
    assert.equal((await run(['printers', 'probe', octo.url, '--type', 'bambu'])).code, 2);
  });
});
