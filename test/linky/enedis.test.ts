/**
 * Enedis history: the Conso API client against the local Conso API (conso-server.ts), answering
 * in the documented formats (bokub/conso-api documentation and migration-2026 page; values of
 * MyElectricalData/myelectricaldata_new's anonymised captures, PRM 99999999999991) with its
 * error bodies (bokub/linky recorded fixtures), and the statistics import checked against the
 * fake Home Assistant websocket (test/helpers/fake-ha.ts).
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import type { EntityRegistry } from '../../addon/src/entities/registry.js';
import { HaClient } from '../../addon/src/ha/websocket.js';
import { describeError, prmsOfToken } from '../../addon/src/modules/linky/enedis/client.js';
import { parseReadings } from '../../addon/src/modules/linky/enedis/format.js';
import { ranges } from '../../addon/src/modules/linky/enedis/schedule.js';
import { EnedisSync } from '../../addon/src/modules/linky/enedis/sync.js';
import { addDays, daysBetween } from '../../addon/src/modules/linky/enedis/time.js';
import { FakeHa } from '../helpers/fake-ha.js';
import { ConsoServer, PRM, TOKEN } from './conso-server.js';
import { linkyContext } from './context.js';

// Daily values captured by MyElectricalData (mesure_consommation_quotidienne.json).
const CAPTURED: Record<string, number> = { '2026-09-29': 33495, '2026-09-30': 38022 };
const dailyWh = (day: string) => CAPTURED[day] ?? 20000 + Number(day.slice(-2)) * 100;

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
  const conso = new ConsoServer();
  let ha: HaClient;
  let sync: EnedisSync;
  const ents = entitiesStub();
  const NOW = Date.parse('2026-10-02T10:00:00+02:00');

  before(async () => {
    await fake.start();
    conso.consumptionWh = dailyWh;
    conso.maxPowerVa = () => 4680;
    await conso.start();
    const root = new LoggerRoot({ level: 'silent' });
    ha = new HaClient({ url: fake.httpUrl, token: fake.token }, root.logger('ha'));
    await ha.connect();
    const { ctx } = linkyContext({
      dir,
      linky: {
        enedis: { token: TOKEN, base_url: conso.url, backfill_days: 10, hourly_days: 3 },
        prices: [{ base: 0.2, subscription_per_month: 15.21 }],
      },
      ha,
      entities: ents.stub,
    });
    sync = new EnedisSync(ctx, { now: () => NOW, minIntervalMs: 0 });
    sync.prms = prmsOfToken(TOKEN);
    // The curve of 2026-09-30 fails once (HTTP 500): it must come back on the next sync.
    conso.failures.push({
      type: 'courbe_de_charge_consommation',
      from: '2026-09-29',
      times: 1,
      status: 500,
      body: {
        status: 500,
        message: 'The Enedis API returned an error',
        error: { code: 'SGT500', message: 'Erreur technique' },
      },
    });
  });

  after(async () => {
    ha.close();
    await fake.stop();
    await conso.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the PRM from the token and asks with bearer token, PRM and a User-Agent', async () => {
    assert.deepEqual(sync.prms, [PRM]);
    await sync.runOnce();
    assert.ok(conso.requests.length > 0 && conso.requests.length <= 10, `${conso.requests.length} requests`);
    for (const r of conso.requests) {
      assert.equal(r.params.get('pointId'), PRM);
      assert.match(r.userAgent, /^Monitor\//);
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
