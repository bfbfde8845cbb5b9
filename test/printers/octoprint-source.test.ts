/**
 * The OctoPrint source against the fake OctoPrint (payloads of OctoPrint 1.11.8): push, polling
 * fallback, commands, and every failure a printer on a LAN produces.
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { OctoPrintSource } from '../../addon/src/modules/printers/octoprint/source.js';
import { FakeOctoPrint } from '../../addon/src/modules/printers/sim/octoprint-server.js';
import { VirtualPrinter } from '../../addon/src/modules/printers/sim/virtual-printer.js';
import { Cleanups } from '../helpers/cleanups.js';
import { freePort } from '../helpers/mosquitto.js';
import { LogCapture, StatusRecorder, sleep, sourceOptions, startAgainst } from './helpers.js';

const KEY = 'OCTO-KEY-0123456789';
const cleanups = new Cleanups();
afterEach(() => cleanups.run());

async function setup(opts: { push?: boolean; key?: string } = {}) {
  const vp = new VirtualPrinter('sim', { tickMs: 100 });
  const fake = await new FakeOctoPrint(vp, { apiKey: KEY }).listen();
  const rec = new StatusRecorder();
  const logs = new LogCapture();
  const src = new OctoPrintSource(
    sourceOptions(
      rec,
      { type: 'octoprint', url: fake.url, apiKey: opts.key ?? KEY, push: opts.push ?? true },
      logs,
    ),
    { pingMs: 300 },
  );
  startAgainst(cleanups, src, vp, fake);
  return { vp, fake, rec, src, logs };
}

describe('OctoPrint source', () => {
  it('goes live over the push socket and follows a print with sub-second latency', async () => {
    const { vp, rec, logs } = await setup();
    await rec.waitFor((s) => s.link === 'push' && s.state === 'idle', 3000, 'push link');
    const t0 = Date.now();
    vp.startPrint({ file: 'cube.gcode', duration: 1.5, layers: 5 });
    const printing = await rec.waitFor((s) => s.state === 'printing', 2000, 'printing');
    assert.ok(Date.now() - t0 < 1000, 'state change seen within a second');
    assert.equal(printing.online, true);
    await rec.waitFor(
      (s) => s.state === 'printing' && s.file === 'cube.gcode' && (s.progress ?? 0) > 0,
      2000,
    );
    await rec.waitFor((s) => s.state === 'idle' && s.progress === 100, 4000, 'finished print');
    assert.match(rec.last?.snapshot_url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/webcam\/\?action=snapshot$/);
    assert.equal(rec.last?.software, 'OctoPrint 1.11.8 (simulated)');
    assert.ok(!logs.lines.some((l) => l.includes(KEY)), 'the API key never appears in the logs');
  });

  it('a job starts with its own file: the state change event alone does not start it', async () => {
    // OctoPrint pushes PrinterStateChanged (no job in it) before the `current` with the job.
    const { vp, rec } = await setup();
    await rec.waitFor((s) => s.link === 'push' && s.state === 'idle', 3000, 'push link');
    vp.startPrint({ file: 'first.gcode', duration: 0.6, layers: 2 });
    await rec.waitFor((s) => s.state === 'idle' && s.file === 'first.gcode', 4000, 'first print done');
    vp.startPrint({ file: 'second.gcode', duration: 5, layers: 2 });
    const started = await rec.waitFor((s) => s.state === 'printing', 2000, 'second print');
    assert.equal(started.file, 'second.gcode');
  });

  it('pauses, resumes and cancels; a command without a job is "not operational" (409), not a failure', async () => {
    const { vp, rec, src } = await setup();
    await rec.waitFor((s) => s.link === 'push');
    const idle = await src.command('pause');
    assert.equal(idle.outcome, 'not_operational');
    vp.startPrint({ file: 'long.gcode', duration: 60, layers: 5 });
    await rec.waitFor((s) => s.state === 'printing');
    assert.equal((await src.command('pause')).outcome, 'done');
    await rec.waitFor((s) => s.state === 'paused', 2000, 'paused');
    assert.equal((await src.command('resume')).outcome, 'done');
    await rec.waitFor((s) => s.state === 'printing', 2000, 'resumed');
    assert.equal((await src.command('cancel')).outcome, 'done');
    await rec.waitFor((s) => s.state === 'idle', 2000, 'cancelled');
    assert.equal(vp.counters.cancelled, 1);
  });

  it('polls when push is off, and shows a disconnected printer (409) without heaters', async () => {
    const { vp, rec, fake } = await setup({ push: false });
    await rec.waitFor((s) => s.link === 'poll' && s.state === 'idle');
    vp.disconnect();
    const s = await rec.waitFor((x) => x.state === 'disconnected', 2000, 'disconnected');
    assert.equal(s.online, true);
    assert.equal(s.problem, null);
    assert.deepEqual(s.tools, {});
    assert.ok((fake.http.hits.get('GET /api/printer') ?? 0) >= 2);
    assert.equal(fake.http.websocketClients, 0);
  });

  it('keeps following a print when the websocket drops mid-print, then goes back to push', async () => {
    const { vp, rec, fake } = await setup();
    await rec.waitFor((s) => s.link === 'push');
    vp.startPrint({ file: 'cube.gcode', duration: 30, layers: 5 });
    await rec.waitFor((s) => s.state === 'printing');
    const before = rec.all.length;
    fake.http.dropWebsockets();
    await rec.waitFor((s) => s.link === 'poll', 2000, 'fallback to polling');
    await rec.waitFor((s) => s.link === 'push', 5000, 'push again');
    const during = rec.all.slice(before);
    assert.ok(
      during.every((s) => s.state === 'printing' && s.online),
      'never offline, never lost the job',
    );
    const progresses = during.map((s) => s.progress ?? 0);
    assert.ok((progresses[progresses.length - 1] ?? 0) > (progresses[0] ?? 0), 'progress went on');
  });

  it('notices a push socket that went silent (no FIN, no pong) and polls meanwhile', async () => {
    const { rec, fake } = await setup();
    await rec.waitFor((s) => s.link === 'push');
    fake.http.freezeWebsockets();
    await rec.waitFor((s) => s.link === 'poll', 3000, 'ping timeout → polling');
    assert.equal(rec.last?.online, true);
  });

  it('falls back to polling when the push socket is refused', async () => {
    const vp = new VirtualPrinter('sim', { tickMs: 100 });
    const fake = await new FakeOctoPrint(vp, { apiKey: KEY }).listen();
    fake.http.faults.noPush = true;
    const rec = new StatusRecorder();
    const src = new OctoPrintSource(sourceOptions(rec, { type: 'octoprint', url: fake.url, apiKey: KEY }));
    startAgainst(cleanups, src, vp, fake);
    await rec.waitFor((s) => s.link === 'poll' && s.state === 'idle');
    vp.startPrint({ file: 'x.gcode', duration: 30, layers: 1 });
    await rec.waitFor((s) => s.state === 'printing', 2000);
  });

  it('reports a wrong API key (403) with a hint, keeping the host online', async () => {
    const { rec, logs } = await setup({ key: 'WRONG-KEY-999' });
    const s = await rec.waitFor((x) => x.problem !== null);
    assert.equal(s.online, true);
    assert.equal(s.state, 'unknown');
    assert.match(s.problem ?? '', /HTTP 403.*check api_key/);
    assert.ok(!logs.lines.some((l) => l.includes('WRONG-KEY-999')));
  });

  it('calls a printer that never answers offline after the timeout', async () => {
    const { rec, fake } = await setup();
    await rec.waitFor((s) => s.online);
    fake.http.dropWebsockets();
    fake.http.faults = { delayMs: Number.POSITIVE_INFINITY, noPush: true };
    const s = await rec.waitFor((x) => x.state === 'offline', 4000, 'offline');
    assert.match(s.problem ?? '', /no answer within 600 ms/);
    assert.equal(s.link, 'none');
    fake.http.faults = {};
    await rec.waitFor((x) => x.online && x.state === 'idle', 4000, 'back online');
  });

  it('reports garbage JSON as a problem and recovers', async () => {
    const { rec, fake } = await setup({ push: false });
    await rec.waitFor((s) => s.state === 'idle');
    fake.http.faults = { garbage: true };
    const s = await rec.waitFor((x) => x.problem !== null, 2000);
    assert.match(s.problem ?? '', /not JSON/);
    fake.http.faults = {};
    await rec.waitFor((x) => x.problem === null && x.state === 'idle', 2000);
  });

  it('calls a refused connection offline', async () => {
    const port = await freePort();
    const rec = new StatusRecorder();
    const src = new OctoPrintSource(
      sourceOptions(rec, { type: 'octoprint', url: `http://127.0.0.1:${port}/` }),
    );
    cleanups.push(() => src.stop());
    src.start();
    const s = await rec.waitFor((x) => x.state === 'offline');
    assert.match(s.problem ?? '', /ECONNREFUSED/);
  });

  it('calls a host that accepts TCP but never answers offline', async () => {
    // A TCP server that accepts and stays silent: REST and websocket both hang.
    const held = new Set<Socket>();
    const silent: Server = createServer((sock) => {
      held.add(sock);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const addr = silent.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const rec = new StatusRecorder();
    const src = new OctoPrintSource(
      sourceOptions(rec, { type: 'octoprint', url: `http://127.0.0.1:${port}/` }),
    );
    cleanups.push(
      () => src.stop(),
      () =>
        new Promise<void>((r) => {
          for (const sock of held) sock.destroy();
          silent.close(() => r());
        }),
    );
    src.start();
    await rec.waitFor((x) => x.state === 'offline', 3000);
    await sleep(50);
  });
});
