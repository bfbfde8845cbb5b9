/**
 * Local time from the system's time-zone database (enedis/zoneinfo.ts) instead of `Intl`, whose
 * first use loads ~8 MB of ICU data into a Linky-only process: the offsets, local days and hours
 * must be Intl's own, every 7 h 13 min from 1990 to 2060 and one second either side of every
 * clock change, in zones with summer time in either hemisphere, a 30-minute change (Lord Howe),
 * a negative one (Dublin), a quarter-hour offset (Chatham) and none (Kolkata, UTC). The oracle
 * is Node's ICU; a zone whose TZif file this machine lacks is reported, never silently passed.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { localDayOf, localHourOf, tzOffsetMs } from '../../addon/src/modules/linky/enedis/time.js';
import { parsePosixTz, zoneOffsetMs } from '../../addon/src/modules/linky/enedis/zoneinfo.js';

const ZONES = [
  'Europe/Paris',
  'America/New_York',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Europe/Dublin',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'America/Sao_Paulo',
  'UTC',
];

const formatters = new Map<string, Intl.DateTimeFormat>();
function intlOffsetMs(at: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'longOffset' });
    formatters.set(timeZone, f);
  }
  const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
}

describe('time zones from the zoneinfo database', () => {
  it('the system database is there (else this test checks nothing)', () => {
    for (const z of ZONES) assert.ok(existsSync(`/usr/share/zoneinfo/${z}`), `/usr/share/zoneinfo/${z}`);
  });

  for (const zone of ZONES) {
    it(`${zone}: the offset, local day and hour are Intl's, 1990-2060 and around every change`, () => {
      const intlDay = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
      const instants: number[] = [];
      const from = Date.UTC(1990, 0, 1);
      const to = Date.UTC(2060, 0, 1);
      for (let t = from; t < to; t += (7 * 60 + 13) * 60_000) instants.push(t);
      // One second either side of every change Intl sees (found by bisection between samples).
      const samples = instants.length;
      for (let i = 1; i < samples; i++) {
        let a = instants[i - 1] as number;
        let b = instants[i] as number;
        if (intlOffsetMs(a, zone) === intlOffsetMs(b, zone)) continue;
        while (b - a > 1000) {
          const mid = a + Math.floor((b - a) / 2000) * 1000;
          if (intlOffsetMs(mid, zone) === intlOffsetMs(a, zone)) a = mid;
          else b = mid;
        }
        instants.push(a, b);
      }
      let checked = 0;
      for (const t of instants) {
        const want = intlOffsetMs(t, zone);
        assert.equal(zoneOffsetMs(t, zone), want, `${zone} at ${new Date(t).toISOString()}`);
        if (checked++ % 7 === 0) {
          assert.equal(localDayOf(t, zone), intlDay.format(t), `day of ${new Date(t).toISOString()}`);
          assert.equal(localHourOf(t, zone), new Date(t + want).getUTCHours());
        }
      }
      assert.ok(checked > 80_000, `${checked} instants`);
    });
  }

  it('the meter asks no Intl formatter when the database answers', () => {
    const Real = Intl.DateTimeFormat;
    let made = 0;
    Intl.DateTimeFormat = new Proxy(Real, {
      construct(target, args) {
        made++;
        return Reflect.construct(target, args);
      },
    });
    try {
      localDayOf(Date.UTC(2026, 2, 29, 1, 30), 'Europe/Berlin');
      tzOffsetMs(Date.UTC(2026, 9, 25, 0, 59), 'Europe/Berlin');
    } finally {
      Intl.DateTimeFormat = Real;
    }
    assert.equal(made, 0);
  });

  it('an unknown zone or a name outside the database falls back to Intl (which refuses it)', () => {
    assert.equal(zoneOffsetMs(0, '../../etc/passwd'), undefined);
    assert.equal(zoneOffsetMs(0, 'Mars/Olympus_Mons'), undefined);
    assert.throws(() => tzOffsetMs(0, 'Mars/Olympus_Mons'), RangeError);
  });

  it('POSIX rules: offsets east of UTC, default time 02:00, unsupported forms refused', () => {
    assert.deepEqual(parsePosixTz('CET-1CEST,M3.5.0,M10.5.0/3'), {
      std: 3600,
      dst: 7200,
      start: { month: 3, week: 5, weekday: 0, time: 7200 },
      end: { month: 10, week: 5, weekday: 0, time: 10800 },
    });
    assert.deepEqual(parsePosixTz('<+0530>-5:30'), { std: 19800, dst: 19800 });
    assert.equal(parsePosixTz('EST5EDT'), undefined, 'POSIX default rules');
    assert.equal(parsePosixTz('XXX3YYY,J60,J300'), undefined, 'Julian days');
  });
});
