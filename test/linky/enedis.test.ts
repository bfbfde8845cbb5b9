/**
 * Enedis history: the Conso API client against a local HTTP server answering in the documented
 * formats (bokub/conso-api documentation and migration-2026 page; values of
 * MyElectricalData/myelectricaldata_new's anonymised captures, PRM 99999999999991), its error
 * bodies (bokub/linky recorded fixtures), and the statistics import checked against the fake
 * Home Assistant websocket (test/helpers/fake-ha.ts).
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { EventBus } from '../../addon/src/core/bus.js';
import { LoggerRoot, SecretRegistry } from '../../addon/src/core/logger.js';
import type { ModuleContext } from '../../addon/src/core/module.js';
import type { EntityRegistry } from '../../addon/src/entities/registry.js';
import { HaClient } from '../../addon/src/ha/websocket.js';
import { describeError, prmsOfToken } from '../../addon/src/modules/linky/enedis/client.js';
import { parseReadings } from '../../addon/src/modules/linky/enedis/format.js';
import { ranges } from '../../addon/src/modules/linky/enedis/schedule.js';
import { EnedisSync } from '../../addon/src/modules/linky/enedis/sync.js';
import { addDays, daysBetween } from '../../addon/src/modules/linky/enedis/time.js';
import type { LinkyConfig } from '../../addon/src/modules/linky/meter.js';
import { FakeHa } from '../helpers/fake-ha.js';
import { moduleResources } from '../helpers/module-context.js';

const PRM = '99999999999991';
// A JWT whose `sub` lists the PRMs (signature irrelevant: Conso API checks it, we only read sub).
const TOKEN = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: [PRM] })).toString('base64url')}.c2lnbmF0dXJl`;
// Daily values captured by MyElectricalData (mesure_consommation_quotidienne.json).
const CAPTURED: Record<string, number> = { '2026-09-29': 33495, '2026-09-30': 38022 };
const dailyWh = (day: string) => CAPTURED[day] ?? 20000 + Number(day.slice(-2)) * 100;

interface Req {
  type: string;
  params: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
}

function startConso(failOnce: Set<string>): Promise<{ server: Server; url: string; requests: Req[] }> {
  const requests: Req[] = [];
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const type = u.pathname.split('/').pop() ?? '';
    requests.push({ type, params: u.searchParams, headers: req.headers });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`)
      return json(401, {
        status: 401,
        message: "Votre token est invalide ou ne permet pas d'accéder à ce PRM",
      });
    const from = u.searchParams.get('dateDebut') ?? '';
    const to = u.searchParams.get('dateFin') ?? '';
    const key = `${type}:${from}`;
    if (failOnce.has(key)) {
      failOnce.delete(key);
      return json(500, {
        status: 500,
        message: 'The Enedis API returned an error',
        error: { code: 'SGT500', message: 'Erreur technique' },
      });
    }
    const days = daysBetween(from, addDays(to, -1));
    const doc = (metier: string, physique: string, unite: string, points: unknown[], pas?: string) => ({
      idPrm: PRM,
      etapeMetier: 'BRUT',
      periode: { dateDebut: from, dateFin: to },
      modeCalcul: 'MESURE',
      ...(pas ? { pas } : {}),
      grandeur: [{ grandeurMetier: metier, grandeurPhysique: physique, unite, points, calendrier: [] }],
      contexte: [],
    });
    if (type === 'consommation_quotidienne')
      return json(
        200,
        doc(
          'CONS',
          'EA',
          'Wh',
          days.map((d) => ({ v: String(dailyWh(d)), d })),
          'P1D',
        ),
      );
    if (type === 'puissance_conso_max_quotidienne')
      return json(
        200,
        doc(
          'CONS',
          'PMA',
          'VA',
          days.map((d) => ({ v: '4680', d: `${d} 13:03:35` })),
          'P1D',
        ),
      );
    if (type === 'courbe_de_charge_consommation') {
      const points: unknown[] = [];
      for (const d of days) {
        // 48 half-hours dated at their END; 2000 W average: 24 kWh a day.
        for (let i = 1; i <= 48; i++) {
          const end =
            i === 48
              ? `${addDays(d, 1)} 00:00:00`
              : `${d} ${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}:00`;
          points.push({ v: '2000', d: end, p: 'PT30M', n: 'B', iv: '0', ec: '0' });
        }
      }
      return json(200, doc('CONS', 'PA', 'W', points));
    }
    return json(400, { status: 400, message: 'Paramètres invalides' });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, requests }),
    ),
  );
}

function entitiesStub() {
  const updates: Array<{ id: string; values: Record<string, unknown> }> = [];
  const stub = {
    declare() {},
    update(id: string, values: Record<string, unknown>) {
      updates.push({ id, values });
    },
    setAvailability() {},
    flushAll() {},
  };
  return { stub: stub as unknown as EntityRegistry, updates };
}

describe('Enedis history into Home Assistant statistics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linky-enedis-'));
  const fake = new FakeHa();
  const failOnce = new Set<string>();
  let conso: Awaited<ReturnType<typeof startConso>>;
  let ha: HaClient;
  let sync: EnedisSync;
  const ents = entitiesStub();
  const NOW = Date.parse('2026-10-02T10:00:00+02:00');

  before(async () => {
    await fake.start();
    conso = await startConso(failOnce);
    const root = new LoggerRoot({ level: 'silent' });
    ha = new HaClient({ url: fake.httpUrl, token: fake.token }, root.logger('ha'));
    await ha.connect();
    const config = loadConfigObject(
      {
        data_dir: dir,
        linky: {
          enedis: { token: TOKEN, base_url: conso.url, backfill_days: 10, hourly_days: 3 },
          prices: [{ base: 0.2, subscription_per_month: 15.21 }],
        },
      },
      {},
      'en',
    );
    const ctx: ModuleContext<LinkyConfig> = {
      name: 'linky',
      config: config.linky as LinkyConfig,
      root: config,
      log: root.logger('linky'),
      bus: new EventBus(root.logger('bus')),
      entities: ents.stub,
      rpc: {} as never,
      mqtt: { connected: true },
      ha,
      dataDir: dir,
      ...moduleResources('linky', dir, root.logger('linky')).parts(),
      lang: 'en',
      secrets: new SecretRegistry(),
      version: '0.1.0',
      fail: () => {},
      setStatus: () => {},
    };
    sync = new EnedisSync(ctx, { now: () => NOW, minIntervalMs: 0 });
    sync.prms = prmsOfToken(TOKEN);
    // The curve of 2026-09-30 fails once (HTTP 500): it must come back on the next sync.
    failOnce.add('courbe_de_charge_consommation:2026-09-29');
  });

  after(async () => {
    ha.close();
    await fake.stop();
    conso.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the PRM from the token and asks with bearer token, PRM and a User-Agent', async () => {
    assert.deepEqual(sync.prms, [PRM]);
    await sync.runOnce();
    assert.ok(conso.requests.length > 0 && conso.requests.length <= 10, `${conso.requests.length} requests`);
    for (const r of conso.requests) {
      assert.equal(r.params.get('pointId'), PRM);
      assert.match(String(r.headers['user-agent']), /^Monitor\//);
    }
    const curve = conso.requests.filter((r) => r.type === 'courbe_de_charge_consommation');
    for (const r of curve)
      assert.ok(daysBetween(r.params.get('dateDebut')!, addDays(r.params.get('dateFin')!, -1)).length <= 7);
  });

  it('imports one statistic per PRM: daily rows before the hourly window, hourly after, growing sums', () => {
    const imp = fake.statistics.filter((s) => s.metadata.statistic_id === `monitor:linky_${PRM}`);
    assert.equal(imp.length, 1);
    assert.equal(imp[0]!.metadata.unit_of_measurement, 'Wh');
    assert.equal(imp[0]!.metadata.source, 'monitor');
    const rows = imp[0]!.stats as Array<{ start: string; state: number; sum: number }>;
    const daily = rows.filter((r) => r.state > 5000);
    // 2026-09-22 .. 2026-10-01 as daily rows: the load curve of the last 3 days failed (HTTP 500),
    // so those days stay daily until the curve comes.
    assert.equal(rows.find((r) => r.start === '2026-09-28T22:00:00.000Z')?.state, 33495);
    assert.equal(daily.length, 10);
    assert.equal(rows.filter((r) => r.state === 2000).length, 0);
    for (let i = 1; i < rows.length; i++) {
      assert.ok(rows[i]!.sum > rows[i - 1]!.sum);
      assert.ok(Date.parse(rows[i]!.start) > Date.parse(rows[i - 1]!.start));
    }
    const cost = fake.statistics.find((s) => s.metadata.statistic_id === `monitor:linky_${PRM}_cost`)!;
    const last = (cost.stats.at(-1) as { sum: number }).sum;
    const kwh = rows.at(-1)!.sum / 1000;
    assert.ok(Math.abs(last - (kwh * 0.2 + (10 * 15.21 * 12) / 365)) < 0.01, `${last}`);
  });

  it('shows the progress and retries a failed day at the next sync, idempotently', async () => {
    const progress = ents.updates.filter((u) => u.id === `enedis_${PRM}`).map((u) => u.values.history_import);
    assert.equal(progress.at(-1), 100);
    assert.ok(progress.some((p) => typeof p === 'number' && p < 100));
    const before = fake.statistics.length;
    conso.requests.length = 0;
    await sync.runOnce();
    // Only the missing curve day is asked again (and the recent maximum power).
    assert.deepEqual(
      conso.requests
        .filter((r) => r.type === 'courbe_de_charge_consommation')
        .map((r) => r.params.get('dateDebut')),
      ['2026-09-29'],
    );
    const first = fake.statistics[0]!.stats as Array<{ start: string; sum: number }>;
    const second = fake.statistics[before]!.stats as Array<{ start: string; sum: number }>;
    assert.equal(second.filter((r) => (r as unknown as { state: number }).state === 2000).length, 72);
    // Rows before the retried day are identical: sums come from the same baseline.
    const common = first.filter((r) => r.start < '2026-09-28T22:00:00.000Z');
    assert.deepEqual(second.slice(0, common.length), common);
    await sync.runOnce();
    assert.deepEqual(fake.statistics.at(-2)!.stats, fake.statistics[before]!.stats);
  });
});

describe('Conso API responses and errors', () => {
  it('reads the 2026 format and the legacy v5 format alike', () => {
    const v2026 = parseReadings({
      idPrm: PRM,
      pas: 'P1D',
      grandeur: [
        {
          grandeurMetier: 'CONS',
          grandeurPhysique: 'EA',
          unite: 'Wh',
          points: [{ v: '33495', d: '2026-09-29' }],
        },
      ],
    });
    const v5 = parseReadings({
      usage_point_id: '11111111111111',
      reading_type: { unit: 'Wh', measurement_kind: 'energy', aggregate: 'sum', measuring_period: 'P1D' },
      interval_reading: [{ value: '11776', date: '2023-04-01' }],
    });
    assert.deepEqual(v2026, { unit: 'Wh', points: [{ date: '2026-09-29', value: 33495 }] });
    assert.deepEqual(v5, { unit: 'Wh', points: [{ date: '2023-04-01', value: 11776 }] });
    assert.throws(() => parseReadings({ foo: 1 }), /unknown format/);
  });

  it('turns documented error bodies into clear messages', () => {
    // bokub/linky fixtures (recorded from conso.boris.sh).
    const e401 = describeError(401, {
      status: 401,
      message: "Votre token est invalide ou ne permet pas d'accéder à ce PRM",
    });
    assert.match(e401.message, /token invalid.*Votre token est invalide/);
    const e400 = describeError(400, {
      status: 400,
      message: 'The Enedis API returned an error',
      error: { error: 'Invalid_request', error_description: 'Start date should be before end date.' },
    });
    assert.match(e400.message, /request refused: Start date should be before end date\./);
    assert.equal(e400.code, 'Invalid_request');
    // Enedis 2026 API (MyElectricalData capture erreur_comptage_non_souscrit.json).
    const e403 = describeError(403, {
      code: '900908',
      message: 'Resource forbidden ',
      description: 'User is NOT authorized to access the Resource. API Subscription validation failed.',
    });
    assert.match(e403.message, /access refused by Enedis: Resource forbidden — User is NOT authorized/);
    assert.match(
      describeError(502, '<html>Bad gateway</html>').message,
      /unavailable, will retry later: <html>/,
    );
  });

  it('cuts day lists into requests of at most N consecutive days', () => {
    assert.deepEqual(ranges(['2026-01-01', '2026-01-02', '2026-01-05'], 7), [
      ['2026-01-01', '2026-01-03'],
      ['2026-01-05', '2026-01-06'],
    ]);
    assert.equal(ranges(daysBetween('2026-01-01', '2026-01-20'), 7).length, 3);
  });
});
