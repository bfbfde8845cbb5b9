/**
 * Printers that send what they should not (issue 9, issue 15 #5): a Moonraker message that is
 * valid JSON with a field of an unexpected type, over the websocket and over REST; an OctoPrint
 * whose push socket is refused (its retries must follow the backoff); a printer URL that
 * redirects to another host (the API key must not follow). Fake servers replay the documented
 * payloads (sim/moonraker-server.ts, sim/octoprint-server.ts).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import { request } from '../../addon/src/modules/printers/http.js';
import { MoonrakerSource } from '../../addon/src/modules/printers/moonraker/source.js';
import { OctoPrintSource } from '../../addon/src/modules/printers/octoprint/source.js';
import { FakeMoonraker } from '../../addon/src/modules/printers/sim/moonraker-server.js';
import { FakeOctoPrint } from '../../addon/src/modules/printers/sim/octoprint-server.js';
import { VirtualPrinter } from '../../addon/src/modules/printers/sim/virtual-printer.js';
import { Cleanups } from '../helpers/cleanups.js';
import { LogCapture, StatusRecorder, sleep, sourceOptions, startAgainst } from './helpers.js';

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

/** Errors that escaped every handler while `fn` ran (they would stop the whole service). */
async function uncaught(fn: () => Promise<void>): Promise<Error[]> {
  const seen: Error[] = [];
  const onError = (e: Error) => seen.push(e);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  try {
    await fn();
  } finally {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  }
  return seen;
}

/** A field whose value JSON allows but no code expects: an object that cannot become a string. */
const ODD = { toString: 1, valueOf: 1 };

async function moonraker(push: boolean) {
  const vp = new VirtualPrinter('k', { tickMs: 100 });
  const fake = await new FakeMoonraker(vp).listen();
  const rec = new StatusRecorder();
  const logs = new LogCapture();
  const src = new MoonrakerSource(sourceOptions(rec, { type: 'moonraker', url: fake.url, push }, logs), 300);
  startAgainst(cleanups, src, vp, fake);
  return { vp, fake, rec, src, logs };
}

describe('printers facing malformed answers', () => {
  it('Moonraker websocket: a notification with a field of an unexpected type stops nothing', async () => {
    const { vp, fake, rec, logs } = await moonraker(true);
    const errors = await uncaught(async () => {
      await rec.waitFor((s) => s.link === 'push' && s.state === 'idle', 3000);
      fake.inject(
        JSON.stringify({
          jsonrpc: '2.0',
          method: 'notify_status_update',
          params: [{ print_stats: { state: ODD } }, 1],
        }),
      );
      fake.inject(
        JSON.stringify({
          jsonrpc: '2.0',
          method: 'notify_status_update',
          params: [
            {
              display_status: { progress: 1e-300 },
              print_stats: { print_duration: 1e300, filename: 'x', state: 'printing' },
            },
            1,
          ],
        }),
      );
      fake.inject(
        JSON.stringify({
          jsonrpc: '2.0',
          method: 'notify_status_update',
          params: [{ print_stats: { state: 'constructor' } }, 1],
        }),
      );
      await sleep(200);
      vp.startPrint({ file: 'after.gcode', duration: 30, layers: 3 });
      await rec.waitFor((s) => s.state === 'printing' && s.file === 'after.gcode', 3000);
    });
    assert.deepEqual(errors.map(String), []);
    assert.ok(!rec.all.some((s) => typeof s.state !== 'string'), 'no state from Object.prototype');
    assert.ok(logs.lines.length > 0);
  });

  it('Moonraker REST: one malformed answer does not stop the polling of that printer', async () => {
    const { vp, fake, rec } = await moonraker(false);
    const errors = await uncaught(async () => {
      await rec.waitFor((s) => s.link === 'poll' && s.state === 'idle', 3000);
      fake.tamper = (o) => {
        (o.print_stats as Record<string, unknown>).state = ODD;
      };
      await sleep(600); // three polls with the odd field
      fake.tamper = undefined;
      vp.startPrint({ file: 'rest.gcode', duration: 30, layers: 3 });
      await rec.waitFor((s) => s.state === 'printing' && s.file === 'rest.gcode', 3000);
    });
    assert.deepEqual(errors.map(String), []);
  });

  it('OctoPrint: a refused push socket is retried with backoff, not after every poll', async () => {
    const vp = new VirtualPrinter('sim', { tickMs: 100 });
    const fake = await new FakeOctoPrint(vp, { apiKey: 'K' }).listen();
    fake.http.faults.noPush = true;
    const rec = new StatusRecorder();
    // Polls every 100 ms; the push backoff starts at 1 s and doubles.
    const src = new OctoPrintSource(
      sourceOptions(rec, { type: 'octoprint', url: fake.url, apiKey: 'K', intervalMs: 100 }),
    );
    startAgainst(cleanups, src, vp, fake);
    await rec.waitFor((s) => s.link === 'poll' && s.state === 'idle');
    await sleep(2500);
    // First attempt at once, then after ~1 s and ~2 s (jitter lowers them by up to 20 %): at most 4.
    assert.ok(
      fake.http.upgrades >= 2 && fake.http.upgrades <= 4,
      `${fake.http.upgrades} push attempts in 2.5 s`,
    );
  });
});

describe('printer API key and redirects (issue 15 #5)', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });
  async function serve(handler: (req: IncomingMessage) => { status: number; location?: string }) {
    const seen: Array<{ path: string; key: string | undefined }> = [];
    const server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', key: req.headers['x-api-key'] as string | undefined });
      const r = handler(req);
      res.writeHead(r.status, {
        'Content-Type': 'application/json',
        ...(r.location ? { Location: r.location } : {}),
      });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    const port = (server.address() as { port: number }).port;
    return { url: `http://127.0.0.1:${port}`, seen };
  }

  it('a redirect to another origin carries no key; one on the same origin does', async () => {
    const other = await serve(() => ({ status: 200 }));
    const printer = await serve((req) =>
      req.url === '/api/job'
        ? { status: 302, location: `${other.url}/api/job` }
        : req.url === '/api/moved'
          ? { status: 301, location: '/api/here' }
          : { status: 200 },
    );
    for (let i = 0; i < 20; i++) {
      const r = await request(`${printer.url}/api/job`, { apiKey: 'SECRET-KEY', timeoutMs: 2000 });
      assert.equal(r.ok, true);
    }
    assert.equal(other.seen.length, 20);
    assert.deepEqual(
      other.seen.filter((s) => s.key !== undefined),
      [],
    );
    const same = await request(`${printer.url}/api/moved`, { apiKey: 'SECRET-KEY', timeoutMs: 2000 });
    assert.equal(same.ok, true);
    assert.deepEqual(printer.seen.at(-1), { path: '/api/here', key: 'SECRET-KEY' });
  });
});
