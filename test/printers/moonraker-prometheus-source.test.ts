/**
 * The Moonraker and Prometheus sources against fake servers replaying the documented payloads
 * (Moonraker docs; metric names of the sbelectronics and tg44 exporters).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { MoonrakerSource } from '../../addon/src/modules/printers/moonraker/source.js';
import { PrometheusSource } from '../../addon/src/modules/printers/prometheus/source.js';
import { type ExporterKind, FakeExporter } from '../../addon/src/modules/printers/sim/exporter-server.js';
import { FakeMoonraker } from '../../addon/src/modules/printers/sim/moonraker-server.js';
import { VirtualPrinter } from '../../addon/src/modules/printers/sim/virtual-printer.js';
import { Cleanups } from '../helpers/cleanups.js';
import { StatusRecorder, sourceOptions, startAgainst } from './helpers.js';

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

async function moonraker(opts: { apiKey?: string; key?: string; snapshotUrl?: string } = {}) {
  const vp = new VirtualPrinter('k', { tickMs: 100, chamber: true });
  const fake = await new FakeMoonraker(vp, { apiKey: opts.apiKey, snapshotUrl: opts.snapshotUrl }).listen();
  const rec = new StatusRecorder();
  const src = new MoonrakerSource(
    sourceOptions(rec, { type: 'moonraker', url: fake.url, apiKey: opts.key ?? opts.apiKey ?? '' }),
    300,
  );
  startAgainst(cleanups, src, vp, fake);
  return { vp, fake, rec, src };
}

describe('Moonraker source', () => {
  it('subscribes over the websocket and follows a print through notify_status_update', async () => {
    const { vp, rec } = await moonraker({ snapshotUrl: '/webcam/?action=snapshot' });
    const idle = await rec.waitFor((s) => s.link === 'push' && s.state === 'idle', 3000);
    assert.equal(idle.software, 'Moonraker v0.9.3-simulated');
    assert.ok(idle.chamber, 'temperature_sensor chamber is watched');
    assert.match(idle.snapshot_url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/webcam\/\?action=snapshot$/);
    const t0 = Date.now();
    vp.startPrint({ file: 'benchy.gcode', duration: 2, layers: 20 });
    await rec.waitFor((s) => s.state === 'printing', 1500);
    assert.ok(Date.now() - t0 < 1000);
    const mid = await rec.waitFor((s) => (s.layer ?? 0) > 1 && (s.progress ?? 0) > 10, 3000);
    assert.equal(mid.layer_total, 20);
    assert.equal(mid.file, 'benchy.gcode');
    assert.ok(mid.tools.tool0 && (mid.tools.tool0.target ?? 0) > 0);
    await rec.waitFor((s) => s.state === 'idle' && s.progress === 100, 4000);
  });

  it('pauses, resumes, cancels; Klipper refusing (400) is "not operational"', async () => {
    const { vp, rec, src } = await moonraker();
    await rec.waitFor((s) => s.link === 'push');
    assert.equal((await src.command('resume')).outcome, 'not_operational');
    vp.startPrint({ file: 'long.gcode', duration: 60, layers: 5 });
    await rec.waitFor((s) => s.state === 'printing');
    assert.equal((await src.command('pause')).outcome, 'done');
    await rec.waitFor((s) => s.state === 'paused', 2000);
    assert.equal((await src.command('resume')).outcome, 'done');
    await rec.waitFor((s) => s.state === 'printing', 2000);
    assert.equal((await src.command('cancel')).outcome, 'done');
    await rec.waitFor((s) => s.state === 'idle', 2000);
  });

  it('uses the G-code thumbnail when there is no webcam', async () => {
    const { vp, rec } = await moonraker();
    await rec.waitFor((s) => s.link === 'push');
    vp.startPrint({ file: 'parts/benchy.gcode', duration: 60, layers: 5 });
    const s = await rec.waitFor((x) => x.snapshot_url !== null, 2000);
    assert.match(s.snapshot_url ?? '', /\/server\/files\/gcodes\/parts\/\.thumbs\/cube-300x300\.png$/);
  });

  it('falls back to polling when the websocket drops mid-print, and resubscribes', async () => {
    const { vp, rec, fake } = await moonraker();
    await rec.waitFor((s) => s.link === 'push');
    vp.startPrint({ file: 'long.gcode', duration: 60, layers: 5 });
    await rec.waitFor((s) => s.state === 'printing');
    fake.http.dropWebsockets();
    await rec.waitFor((s) => s.link === 'poll' && s.state === 'printing', 2000);
    await rec.waitFor((s) => s.link === 'push' && s.state === 'printing', 5000);
  });

  it('shows Klipper disconnected and shutdown', async () => {
    const { vp, rec } = await moonraker();
    await rec.waitFor((s) => s.link === 'push');
    vp.fail('MCU shutdown: Timer too close');
    const err = await rec.waitFor((s) => s.state === 'error', 2000);
    assert.equal(err.error_message, 'MCU shutdown: Timer too close');
    vp.disconnect();
    const gone = await rec.waitFor((s) => s.state === 'disconnected', 2000);
    assert.equal(gone.online, true, 'Moonraker itself still answers');
    assert.deepEqual(gone.tools, {});
  });

  it('reports a refused API key (401)', async () => {
    const { rec } = await moonraker({ apiKey: 'MOON-KEY-1', key: 'bad-key' });
    const s = await rec.waitFor((x) => x.problem !== null);
    assert.match(s.problem ?? '', /HTTP 401.*check api_key/);
    assert.equal(s.online, true);
  });
});

describe('Prometheus source', () => {
  for (const kind of ['sbelectronics', 'tg44', 'tg44-legacy'] as ExporterKind[]) {
    it(`reads the ${kind} exporter from the base URL`, async () => {
      const vp = new VirtualPrinter('p', { tickMs: 100 });
      const fake = await new FakeExporter(vp, kind, 'PROM-KEY').listen();
      const rec = new StatusRecorder();
      const src = new PrometheusSource(
        sourceOptions(rec, { type: 'prometheus', url: fake.url, apiKey: 'PROM-KEY' }),
      );
      startAgainst(cleanups, src, vp, fake);
      await rec.waitFor((s) => s.state === 'idle' && s.link === 'poll', 2000);
      vp.startPrint({ file: 'cube.gcode', duration: 60, layers: 5 });
      const s = await rec.waitFor((x) => x.state === 'printing' && x.tools.tool0?.target === 210, 2000);
      assert.equal(s.file, 'cube.gcode');
      assert.equal(s.bed?.target, 60);
      assert.ok(s.progress !== null && s.progress < 100, 'the running job, not the stale one');
      assert.equal(src.supportsCommands, false);
      assert.equal((await src.command('pause')).outcome, 'unsupported');
    });
  }

  it('says when a URL serves no exporter', async () => {
    const vp = new VirtualPrinter('p');
    const fake = await new FakeExporter(vp, 'tg44').listen();
    const rec = new StatusRecorder();
    const src = new PrometheusSource(
      sourceOptions(rec, { type: 'prometheus', url: `${fake.url}nothing/here` }),
    );
    startAgainst(cleanups, src, vp, fake);
    const s = await rec.waitFor((x) => x.problem !== null);
    assert.match(s.problem ?? '', /HTTP 404/);
    assert.equal(s.state, 'unknown');
  });
});
