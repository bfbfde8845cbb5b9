/**
 * The daily Enedis sync with an injected clock and timer: the schedule (soon at first start, then
 * a random minute in the two hours after 08:00, an early-afternoon retry while yesterday is
 * missing), failed days retried and never skipped, the maximum-power fetch, the production
 * statistics and the costs (HP/HC from the load curve, Tempo colours the meter announced, price
 * date ranges), against the local Conso API (conso-server.ts) and the fake Home Assistant.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { HaClient } from '../../addon/src/ha/websocket.js';
import { nextSyncAt } from '../../addon/src/modules/linky/enedis/schedule.js';
import { EnedisSync } from '../../addon/src/modules/linky/enedis/sync.js';
import { localDayOf } from '../../addon/src/modules/linky/enedis/time.js';
import { FakeHa } from '../helpers/fake-ha.js';
import { ConsoServer, PRM, TOKEN } from './conso-server.js';
import { linkyContext } from './context.js';
import { TEMPO_PRICES } from './tempo-prices.js';

const TZ = 'Europe/Paris';
const iso = (t: number | undefined) => (t === undefined ? 'none' : new Date(t).toISOString());

describe('next sync slot (pure)', () => {
  const paris = (s: string) => Date.parse(s);
  const slot = (now: string, missing: boolean, r: number, hour = 8) =>
    iso(nextSyncAt(paris(now), TZ, hour, missing, () => r));

  it('a random minute in the two hours after the sync hour', () => {
    assert.equal(slot('2026-10-02T06:00:00+02:00', false, 0), '2026-10-02T06:00:00.000Z');
    assert.equal(slot('2026-10-02T06:00:00+02:00', false, 0.5), '2026-10-02T07:00:00.000Z');
    assert.equal(slot('2026-10-02T06:00:00+02:00', false, 0.9999), '2026-10-02T07:59:00.000Z');
  });

  it('after the morning slot: 13:00 while yesterday is missing, else tomorrow morning', () => {
    assert.equal(slot('2026-10-02T09:30:00+02:00', true, 0.25), '2026-10-02T11:30:00.000Z');
    assert.equal(slot('2026-10-02T09:30:00+02:00', false, 0.25), '2026-10-03T06:30:00.000Z');
    assert.equal(slot('2026-10-02T13:30:00+02:00', true, 0), '2026-10-03T06:00:00.000Z');
    // A sync hour after 13:00: the retry comes first when it is still ahead.
    assert.equal(slot('2026-10-02T10:00:00+02:00', true, 0, 15), '2026-10-02T11:00:00.000Z');
  });

  it('follows the local clock across the autumn change', () => {
    // 2026-10-25: Paris goes from UTC+2 to UTC+1; 08:00 is then 07:00 UTC.
    assert.equal(slot('2026-10-24T20:00:00+02:00', false, 0), '2026-10-25T07:00:00.000Z');
  });
});

describe('Enedis sync with an injected clock', () => {
  const fake = new FakeHa();
  const conso = new ConsoServer();
  const dirs: string[] = [];
  let ha: HaClient;

  before(async () => {
    await fake.start();
    await conso.start();
    ha = new HaClient(
      { url: fake.httpUrl, token: fake.token },
      new LoggerRoot({ level: 'silent' }).logger('ha'),
    );
    await ha.connect();
  });

  after(async () => {
    ha.close();
    await fake.stop();
    await conso.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  beforeEach(() => {
    conso.reset();
    fake.statistics.length = 0;
  });

  function harness(
    start: string,
    linky: Record<string, unknown> = {},
    opts: { ha?: HaClient; haWaitMs?: number } = {},
  ) {
    const dir = mkdtempSync(join(tmpdir(), 'linky-sync-'));
    dirs.push(dir);
    let now = Date.parse(start);
    const timers: Array<{ run: () => void; delay: number; cancelled: boolean }> = [];
    const t = linkyContext({
      dir,
      coalesceMs: 0,
      ha: opts.ha ?? ha,
      logLevel: 'info',
      linky: {
        ...linky,
        enedis: {
          token: TOKEN,
          base_url: conso.url,
          backfill_days: 10,
          hourly_days: 3,
          ...(linky.enedis ?? {}),
        },
      },
    });
    const sync = new EnedisSync(t.ctx, {
      now: () => now,
      random: () => 0.25,
      minIntervalMs: 0,
      ...(opts.haWaitMs !== undefined ? { haWaitMs: opts.haWaitMs } : {}),
      setTimer: (run, delay) => {
        const timer = { run, delay, cancelled: false };
        timers.push(timer);
        return () => {
          timer.cancelled = true;
        };
      },
    });
    // runOnce() without start() (start() would also read them from the token).
    sync.prms = [PRM];
    const armed = () => timers.filter((x) => !x.cancelled);
    return {
      ...t,
      sync,
      timers,
      armed,
      /** Moves the clock to the armed timer's time and runs it to the end. */
      async fire(): Promise<void> {
        const [timer] = armed();
        assert.ok(timer, 'a sync is scheduled');
        assert.equal(armed().length, 1, 'one timer at a time');
        now += timer.delay;
        timer.cancelled = true; // fired
        timer.run();
        await sync.idle();
      },
      get now() {
        return now;
      },
      progress: () => t.mqtt.states(`enedis_${PRM}`).at(-1) ?? {},
      rows: (suffix = '') =>
        (fake.statistics.filter((s) => s.metadata.statistic_id === `monitor:linky_${PRM}${suffix}`).at(-1)
          ?.stats ?? []) as Array<{ start: string; state: number; sum: number }>,
    };
  }

  it('first start syncs within minutes, then at a random minute after 08:00 the next day', async () => {
    const h = harness('2026-10-02T10:00:00+02:00');
    await h.sync.start();
    // Nothing fetched yet: soon, 30 s + random × 270 s.
    assert.equal(h.timers[0]!.delay, 30_000 + 0.25 * 270_000);
    assert.equal(h.sync.nextRunAt, h.now + 97_500);
    await h.fire();
    assert.ok(conso.of('consommation_quotidienne').length > 0);
    assert.equal(h.progress().history_import, 100);
    // Yesterday arrived: next run tomorrow at 08:00 + 30 min (random 0.25 of two hours).
    assert.equal(iso(h.sync.nextRunAt), '2026-10-03T06:30:00.000Z');
    assert.equal(h.armed()[0]!.delay, Date.parse('2026-10-03T06:30:00Z') - h.now);
    await h.sync.stop();
    assert.equal(h.armed().length, 0);
    assert.equal(h.sync.nextRunAt, undefined);
  });

  it('Home Assistant not connected yet when the sync runs: it waits for it and imports in the same run', async () => {
    const late = new HaClient(
      { url: fake.httpUrl, token: fake.token },
      new LoggerRoot({ level: 'silent' }).logger('ha'),
    );
    try {
      const h = harness('2026-10-02T10:00:00+02:00', {}, { ha: late, haWaitMs: 5000 });
      await h.sync.start();
      const connecting = new Promise((r) => setTimeout(r, 300)).then(() => late.connect());
      await h.fire();
      await connecting;
      assert.ok(h.rows().length > 0, 'statistics imported');
      assert.equal(h.progress().history_import, 100);
      assert.equal(iso(h.sync.nextRunAt), '2026-10-03T06:30:00.000Z');
      await h.sync.stop();
    } finally {
      late.close();
    }
  });

  it('an import that fails (Home Assistant still away) is retried with backoff the same day', async () => {
    const late = new HaClient(
      { url: fake.httpUrl, token: fake.token },
      new LoggerRoot({ level: 'silent' }).logger('ha'),
    );
    try {
      const h = harness('2026-10-02T10:00:00+02:00', {}, { ha: late, haWaitMs: 50 });
      await h.sync.start();
      await h.fire();
      assert.equal(h.rows().length, 0);
      assert.ok(
        h.logs.some((l) => l.includes('Enedis sync failed')),
        h.logs.join('\n'),
      );
      // Retried in about a minute, then two, four…, not tomorrow.
      const delays: number[] = [];
      for (let i = 0; i < 3; i++) {
        delays.push(h.armed()[0]!.delay);
        await h.fire();
      }
      assert.ok(delays[0]! >= 45_000 && delays[0]! <= 60_000, `${delays}`);
      assert.ok(delays[1]! > delays[0]! && delays[2]! > delays[1]!, `${delays}`);
      await late.connect();
      await h.fire();
      assert.ok(h.rows().length > 0, 'imported once Home Assistant is back');
      // Success: back to the daily slot.
      assert.equal(iso(h.sync.nextRunAt), '2026-10-03T06:30:00.000Z');
      await h.sync.stop();
    } finally {
      late.close();
    }
  });

  it('a saved history that cannot be read is reported and kept aside, never silently empty', async () => {
    const h = harness('2026-10-02T10:00:00+02:00');
    const dir = h.ctx.dataDir;
    // A file of an earlier version, cut short by a power cut during its write.
    writeFileSync(join(dir, `enedis-${PRM}.json`), '{"daily":{"2026-09-30":21');
    await h.sync.start();
    assert.ok(
      h.logs.some((l) => l.includes('ERROR') && l.includes('corrupt') && l.includes(`enedis-${PRM}.json`)),
      h.logs.join('\n'),
    );
    assert.ok(
      h.logs.some((l) => l.includes('could not be read') && l.includes('fetched again')),
      h.logs.join('\n'),
    );
    const aside = readdirSync(dir).filter((f) => f.startsWith(`enedis-${PRM}.json.corrupt-`));
    assert.equal(aside.length, 1);
    assert.equal(readFileSync(join(dir, aside[0]!), 'utf8'), '{"daily":{"2026-09-30":21');
    await h.sync.stop();
  });

  it("an earlier version's history moves into the durable store: nothing fetched again", async () => {
    const h = harness('2026-10-02T10:00:00+02:00');
    const dir = h.ctx.dataDir;
    const daily: Record<string, number> = {};
    for (let d = 22; d <= 30; d++) daily[`2026-09-${d}`] = 1000 * d;
    daily['2026-10-01'] = 31_000;
    writeFileSync(join(dir, `enedis-${PRM}.json`), JSON.stringify({ daily, hourly: {}, failed: {} }));
    writeFileSync(join(dir, 'tempo-days.json'), JSON.stringify({ '2026-10-01': 'red' }));
    h.sync.prms = [PRM];
    await h.sync.runOnce();
    assert.deepEqual(conso.of('consommation_quotidienne'), []);
    const saved = JSON.parse(readFileSync(join(dir, `linky-enedis-${PRM}.json`), 'utf8'));
    assert.equal(saved.version, 1);
    assert.equal(saved.value.daily['2026-09-22'], 22_000);
    assert.equal(statSync(join(dir, `linky-enedis-${PRM}.json`)).mode & 0o777, 0o600);
    assert.equal(JSON.parse(readFileSync(join(dir, 'linky-tempo.json'), 'utf8')).value['2026-10-01'], 'red');
    assert.ok(!readdirSync(dir).includes(`enedis-${PRM}.json`));
  });

  it('yesterday not yet published at the morning sync: asked again at 13:xx, alone', async () => {
    const h = harness('2026-10-02T08:10:00+02:00');
    conso.publishedUntil = '2026-09-30';
    await h.sync.runOnce();
    assert.deepEqual((h.progress().history_import_info as { missing_days: string[] }).missing_days, [
      '2026-10-01',
    ]);
    await h.sync.start();
    await h.fire(); // the "first start" run, still before publication
    assert.equal(iso(h.sync.nextRunAt), '2026-10-02T11:30:00.000Z'); // 13:30 Paris
    conso.publishedUntil = '2026-10-01';
    conso.requests.length = 0;
    await h.fire();
    assert.deepEqual(
      conso.of('consommation_quotidienne').map((r) => [r.from, r.to]),
      [['2026-10-01', '2026-10-02']],
    );
    assert.deepEqual(
      conso.of('courbe_de_charge_consommation').map((r) => [r.from, r.to]),
      [['2026-10-01', '2026-10-02']],
    );
    assert.deepEqual((h.progress().history_import_info as { missing_days: string[] }).missing_days, []);
    assert.equal(h.progress().consumption_yesterday, conso.consumptionWh('2026-10-01'));
    assert.equal(iso(h.sync.nextRunAt), '2026-10-03T06:30:00.000Z');
    await h.sync.stop();
  });

  it('a failed day (quota, HTTP 429) is listed, logged, retried at the next sync and never skipped', async () => {
    const h = harness('2026-10-02T08:40:00+02:00');
    conso.failures.push({
      type: 'consommation_quotidienne',
      status: 429,
      body: { status: 429, message: 'Too Many Requests' },
      times: 1,
    });
    await h.sync.start();
    await h.fire();
    const info = h.progress().history_import_info as { missing_days: string[]; last_error: string };
    assert.equal(info.missing_days.length, 10);
    assert.match(info.last_error, /too many requests \(quota\), will retry later/);
    assert.ok(
      h.logs.some(
        (l) =>
          l.startsWith('WARN') &&
          l.includes(
            `Enedis ${PRM} consommation_quotidienne 2026-09-22 → 2026-10-02: Conso API: too many requests`,
          ),
      ),
      h.logs.join('\n'),
    );
    assert.ok(
      h.logs.some((l) => /10 still missing \(retried next sync\)/.test(l)),
      h.logs.join('\n'),
    );
    const partial = h.rows();
    // Only the 3 curve days made it; the 7 daily-only days are absent, not zero.
    assert.equal(partial.length, 72);
    // Yesterday is missing: the retry comes the same day at 13:30, and asks the days again.
    assert.equal(iso(h.sync.nextRunAt), '2026-10-02T11:30:00.000Z');
    conso.requests.length = 0;
    await h.fire();
    assert.deepEqual(
      conso.of('consommation_quotidienne').map((r) => [r.from, r.to]),
      [['2026-09-22', '2026-10-02']],
    );
    assert.equal(conso.of('courbe_de_charge_consommation').length, 0);
    assert.deepEqual((h.progress().history_import_info as { missing_days: string[] }).missing_days, []);
    assert.ok(h.logs.some((l) => l.includes('10/10 days imported')));
    const complete = h.rows();
    assert.equal(complete.length, 7 + 72);
    // Identical to a sync that never failed.
    const clean = harness('2026-10-02T08:40:00+02:00');
    fake.statistics.length = 0;
    await clean.sync.runOnce();
    assert.deepEqual(clean.rows(), complete);
    await h.sync.stop();
  });

  it('fetches the maximum power of the last 7 days (P1D, PMA) and shows yesterday’s', async () => {
    const h = harness('2026-10-02T10:00:00+02:00');
    await h.sync.runOnce();
    const req = conso.of('puissance_conso_max_quotidienne');
    assert.equal(req.length, 1);
    assert.deepEqual([req[0]!.from, req[0]!.to], ['2026-09-25', '2026-10-02']);
    assert.equal(req[0]!.params.get('mesuresPas'), 'P1D');
    assert.equal(req[0]!.params.get('grandeurPhysique'), 'PMA');
    assert.equal(req[0]!.params.get('pointId'), PRM);
    assert.match(req[0]!.userAgent, /^Monitor\//);
    assert.equal(h.progress().max_power_yesterday, conso.maxPowerVa('2026-10-01'));
  });

  it('imports the production statistic, daily, when production is on', async () => {
    const h = harness('2026-10-02T10:00:00+02:00', { enedis: { production: true } });
    await h.sync.runOnce();
    assert.equal(conso.of('production_quotidienne').length, 1);
    const imp = fake.statistics.find((s) => s.metadata.statistic_id === `monitor:linky_${PRM}_production`);
    assert.ok(imp, 'production statistic imported');
    assert.deepEqual(
      [imp.metadata.unit_of_measurement, imp.metadata.source, imp.metadata.has_sum, imp.metadata.name],
      ['Wh', 'monitor', true, `Linky ${PRM} production`],
    );
    const rows = h.rows('_production');
    assert.equal(rows.length, 10);
    let sum = 0;
    for (const r of rows) {
      const day = localDayOf(Date.parse(r.start), TZ);
      assert.equal(r.start, new Date(Date.parse(`${day}T00:00:00+02:00`)).toISOString(), 'local midnight');
      assert.equal(r.state, conso.productionWh(day));
      sum += conso.productionWh(day);
      assert.equal(r.sum, sum);
    }
    // Without production, nothing is asked nor imported.
    const off = harness('2026-10-02T10:00:00+02:00');
    conso.requests.length = 0;
    fake.statistics.length = 0;
    await off.sync.runOnce();
    assert.equal(conso.of('production_quotidienne').length, 0);
    assert.equal(off.rows('_production').length, 0);
  });

  it('costs: HP/HC hours from the curve, Tempo colours announced by the meter, price date ranges', async () => {
    const prices = [
      { to: '2026-09-29', hc: 0.2, hp: 0.3 },
      { from: '2026-09-30', ...TEMPO_PRICES, subscription_per_month: 36.5 },
    ];
    const h = harness('2026-10-02T10:00:00+02:00', {
      enedis: { backfill_days: 5 },
      offpeak_hours: ['22:00-06:00'],
      prices,
    });
    h.sync.recordTempo('2026-09-30', 'red');
    h.sync.recordTempo('2026-10-01', 'white');
    await h.sync.runOnce();
    const perDay = new Map<string, number>();
    for (const r of h.rows('_cost')) {
      const day = localDayOf(Date.parse(r.start), TZ);
      perDay.set(day, (perDay.get(day) ?? 0) + r.state);
    }
    // 2 kW all day: 16 kWh in the 8 off-peak hours, 32 kWh in the 16 peak hours.
    const sub = (36.5 * 12) / 365;
    const expected: Record<string, number> = {
      '2026-09-27': (conso.consumptionWh('2026-09-27') / 1000) * (0.2 / 3 + (0.3 * 2) / 3),
      '2026-09-28': (conso.consumptionWh('2026-09-28') / 1000) * (0.2 / 3 + (0.3 * 2) / 3),
      '2026-09-29': 16 * 0.2 + 32 * 0.3,
      '2026-09-30': 16 * 0.15 + 32 * 0.66 + sub,
      '2026-10-01': 16 * 0.14 + 32 * 0.18 + sub,
    };
    assert.deepEqual([...perDay.keys()], Object.keys(expected));
    for (const [day, eur] of Object.entries(expected))
      assert.ok(Math.abs(perDay.get(day)! - eur) < 0.005, `${day}: ${perDay.get(day)} ≠ ${eur}`);
    const meta = fake.statistics.find(
      (s) => s.metadata.statistic_id === `monitor:linky_${PRM}_cost`,
    )!.metadata;
    assert.equal(meta.unit_of_measurement, 'EUR');
  });
});
