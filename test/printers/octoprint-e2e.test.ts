/**
 * END-TO-END: a real OctoPrint from PyPI (its bundled virtual printer, set up headless by
 * test/e2e/octoprint.ts), a real Mosquitto, and Monitor's printers module in between.
 * The entities follow a real print from start to finish; pause, resume and cancel pressed over
 * MQTT act on the real print. Needs test/e2e/setup-octoprint.sh to have run: without it the
 * test FAILS (it never skips) and says so.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../addon/src/app.js';
import { OctoPrintInstance, testGcode } from '../e2e/octoprint.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { LogCapture, printersApp } from './helpers.js';

const base = 'monitor/e2e';
const device = 'printer_virtual_octoprint';
type State = Record<string, unknown>;

describe('printers end-to-end with a real OctoPrint', { timeout: 240_000 }, () => {
  const octo = new OctoPrintInstance();
  const broker = new Mosquitto();
  const logs = new LogCapture();
  let app: App | undefined;
  let rec: Recorder;
  let dataDir: string;

  before(async () => {
    // Fails with "run test/e2e/setup-octoprint.sh" when the venv is missing.
    await Promise.all([octo.start(), broker.start()]);
    await octo.connect();
    dataDir = mkdtempSync(join(tmpdir(), 'printers-e2e-'));
    rec = await Recorder.open(broker.url, ['homeassistant/+/e2e_printer_virtual_octoprint/#', `${base}/#`]);
    app = printersApp({
      nodeId: 'e2e',
      dataDir,
      brokerUrl: broker.url,
      printers: [
        { name: 'Virtual OctoPrint', type: 'octoprint', url: octo.url, api_key: octo.apiKey, interval: 2 },
      ],
      logs,
      pingMs: 5000,
    });
    await app.start();
    logs.root.level = 'debug';
  });

  after(async () => {
    await app?.stop();
    await rec?.close();
    await octo.stop();
    await broker.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const states = () =>
    rec.messages
      .filter((m) => m.topic === `${base}/${device}/state` && m.payload)
      .map((m) => JSON.parse(m.payload) as State);
  /** The first state published from now on (older messages are dropped) that matches. */
  const waitState = async (pred: (s: State) => boolean, what: string, timeoutMs = 30_000) => {
    const from = Date.now();
    try {
      const m = await rec.waitFor(
        (x) =>
          x.at >= from &&
          x.topic === `${base}/${device}/state` &&
          x.payload !== '' &&
          pred(JSON.parse(x.payload)),
        timeoutMs,
      );
      return JSON.parse(m.payload) as State;
    } catch {
      const last = states().at(-1);
      throw new Error(
        `no state "${what}" within ${timeoutMs} ms; last: ${JSON.stringify(last)}\n${diagnostics()}`,
      );
    }
  };
  /** What both sides said lately, for a failure on a machine we cannot watch (CI). */
  const diagnostics = () =>
    [
      'Monitor:',
      ...logs.lines.filter((l) => !l.includes(octo.apiKey)).slice(-15),
      'OctoPrint:',
      ...octo.output
        .join('')
        .split('\n')
        .filter((l) => /monitoring state|paus|resum|cancel|job|print/i.test(l) && !l.includes(octo.apiKey))
        .slice(-15),
    ].join('\n');
  const jobEvents = () =>
    rec.messages
      .filter((m) => m.topic === `${base}/${device}/job/event`)
      .map((m) => JSON.parse(m.payload) as { event_type: string; file: string | null });
  const jobEventTypes = () => jobEvents().map((e) => e.event_type);
  const press = (key: string) => rec.client.publishAsync(`${base}/${device}/${key}/set`, 'PRESS');

  it('sees the connected printer live over the push socket, with its heaters and webcam', async () => {
    const s = await waitState(
      (x) => x.state === 'idle' && x.link === 'push' && x.tool0_temperature !== null,
      'idle/push',
    );
    assert.equal(s.online, true);
    assert.equal(s.snapshot_url, 'http://127.0.0.1:8080/?action=snapshot');
    await rec.waitFor((m) => m.topic === `${base}/${device}/availability` && m.payload === 'online');
    const img = await rec.waitFor(
      (m) => m.topic === 'homeassistant/image/e2e_printer_virtual_octoprint/snapshot/config',
    );
    assert.equal(JSON.parse(img.payload).url_topic, `${base}/${device}/state`);
    // The device is declared again once the version is read: its sw_version comes from /api/version.
    await rec.waitFor(
      (m) =>
        m.topic === 'homeassistant/sensor/e2e_printer_virtual_octoprint/state/config' &&
        /^OctoPrint 1\.11\.8/.test(String(JSON.parse(m.payload).device?.sw_version)),
      5000,
    );
  });

  it('follows a real print from start to finish', async () => {
    rec.clear();
    const printingSeen = waitState((x) => x.state === 'printing', 'printing', 15_000);
    const toolTarget = waitState((x) => x.tool0_target === 200, 'nozzle target 200');
    const bedTarget = waitState((x) => x.bed_target === 60, 'bed target 60');
    await octo.upload('e2e-short.gcode', testGcode(200), true);
    const printing = await printingSeen;
    assert.equal(printing.printing, true);
    const mid = await waitState(
      (x) => x.state === 'printing' && typeof x.progress === 'number' && x.progress > 0 && x.progress < 100,
      'progress',
    );
    assert.equal(mid.file, 'e2e-short.gcode');
    await Promise.all([toolTarget, bedTarget]);
    const done = await waitState((x) => x.state === 'idle' && x.progress === 100, 'finished', 60_000);
    assert.equal(done.printing, false);
    assert.equal(done.error, false);
    const job = await octo.jobState();
    assert.equal(job.state, 'Operational');
    await rec.waitFor((m) => m.topic === `${base}/${device}/job/event` && m.payload.includes('"done"'), 5000);
    assert.deepEqual(jobEventTypes(), ['started', 'done']);
    // Each event names this job's file, the first one too (OctoPrint announces the state
    // change before the `current` message that carries the job).
    assert.deepEqual(
      jobEvents().map((e) => e.file),
      ['e2e-short.gcode', 'e2e-short.gcode'],
    );
    // The progress we published only went up during the print.
    const seen = states()
      .filter((x) => x.state === 'printing' && typeof x.progress === 'number')
      .map((x) => x.progress as number);
    assert.ok(seen.length >= 2);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
    );
  });

  it('pauses, resumes and cancels a real print from MQTT', async () => {
    rec.clear();
    // ~4 minutes of print (see testGcode), cancelled long before its end, so a slow machine
    // cannot reach the end first. (A CI run once saw the 400-line print end unpaused: Monitor
    // had announced the job with the previous job's progress, so the pause was pressed during
    // OctoPrint's "Starting", whose end overwrites "Pausing". Fixed: see the test above.)
    await octo.upload('e2e-long.gcode', testGcode(4000), true);
    await waitState(
      (x) => x.state === 'printing' && typeof x.progress === 'number' && x.progress > 0,
      'printing',
    );
    const paused = waitState((x) => x.state === 'paused', 'paused');
    await press('pause');
    await paused;
    assert.equal((await octo.jobState()).state, 'Paused');
    const pausedAt = (await octo.jobState()).progress.completion ?? 0;
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await octo.jobState()).progress.completion, pausedAt, 'no progress while paused');
    const resumed = waitState((x) => x.state === 'printing', 'resumed');
    await press('resume');
    await resumed;
    assert.equal((await octo.jobState()).state, 'Printing');
    const idle = waitState((x) => x.state === 'idle', 'cancelled');
    await press('cancel');
    const cancelled = await idle;
    assert.ok((cancelled.progress as number) < 100, 'cancelled before the end');
    assert.equal((await octo.jobState()).state, 'Operational');
    await rec.waitFor(
      (m) => m.topic === `${base}/${device}/job/event` && m.payload.includes('"cancelled"'),
      5000,
    );
    assert.deepEqual(jobEventTypes(), ['started', 'paused', 'resumed', 'cancelled']);
    // Not the previous job's file.
    assert.ok(
      jobEvents().every((e) => e.file === 'e2e-long.gcode'),
      JSON.stringify(jobEvents()),
    );
  });

  it('never logs the API key', () => {
    assert.ok(logs.lines.length > 0);
    assert.ok(!logs.lines.some((l) => l.includes(octo.apiKey)));
  });
});
