/**
 * The index guard (guard.ts) alone, then inside a meter line (meter.ts) with a real entity
 * registry: an index that goes backwards or grows faster than the subscribed power allows is
 * held back and logged, a meter change is accepted after consistent frames, and a frame is
 * published at once for its own device only.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IndexGuard } from '../../addon/src/modules/linky/guard.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { meterLineWithClock } from './context.js';
import { hcHpFrame } from './historic-frame.js';

/** Energy allowed in `ms` at `va` × margin, plus 2 Wh of rounding (written out from guard.ts's rule). */
const allowed = (va: number, margin: number, ms: number) => (va * margin * ms) / 3_600_000 + 2;

describe('IndexGuard', () => {
  const T0 = Date.parse('2026-11-20T18:00:00Z');

  it('accepts a reading once the next one agrees: growth within subscribed power × margin, to the watt-hour', () => {
    const g = new IndexGuard({ margin: 1.5 });
    assert.deepEqual(g.check(T0, { HCHC: 1000 }, 6000), { accepted: {}, held: [] });
    // 6 kVA × 1.5 for 60 s = 150 Wh, + 2 Wh: 152 Wh allowed.
    assert.equal(allowed(6000, 1.5, 60_000), 152);
    assert.deepEqual(g.check(T0 + 60_000, { HCHC: 1152 }, 6000).accepted, { HCHC: 1000 });
    const r = g.check(T0 + 120_000, { HCHC: 1152 + 153 }, 6000);
    assert.deepEqual(r.accepted, {});
    assert.deepEqual(r.held, [{ label: 'HCHC', value: 1305, previous: 1000, reason: 'too_fast' }]);
    assert.deepEqual(g.check(T0 + 121_000, { HCHC: 1153 }, 6000).accepted, {});
    assert.deepEqual(g.check(T0 + 122_000, { HCHC: 1153 }, 6000).accepted, { HCHC: 1153 });
  });

  it('a reading corrupted by even 1 Wh upwards is never accepted: the next, true one is below it', () => {
    const g = new IndexGuard({ margin: 1.5 });
    const published = [50_000, 50_000, 50_001, 50_000, 50_000, 50_001, 50_001].flatMap(
      (v, i) => g.check(T0 + 1500 * i, { BASE: v }, 9000).accepted.BASE ?? [],
    );
    assert.deepEqual(published, [50_000, 50_000, 50_000, 50_000, 50_001]);
  });

  it('holds back an index that goes backwards; the baseline stays the last accepted value', () => {
    const g = new IndexGuard({ margin: 1.5 });
    g.check(T0, { BASE: 50_000 }, 9000);
    g.check(T0 + 1000, { BASE: 50_000 }, 9000);
    assert.equal(g.baseline('BASE'), 50_000);
    const back = g.check(T0 + 1500, { BASE: 49_999 }, 9000);
    assert.deepEqual(back.held, [{ label: 'BASE', value: 49_999, previous: 50_000, reason: 'backwards' }]);
    // A corrupted jump, then the true value: checked against 50 000 Wh, accepted with the next.
    assert.equal(g.check(T0 + 3000, { BASE: 950_000 }, 9000).held.length, 1);
    g.check(T0 + 4500, { BASE: 50_003 }, 9000);
    assert.deepEqual(g.check(T0 + 6000, { BASE: 50_004 }, 9000).accepted, { BASE: 50_003 });
  });

  it('without a known subscribed power, allows the largest residential one (36 kVA)', () => {
    const g = new IndexGuard({ margin: 1.5 });
    g.check(T0, { EAST: 0 }, undefined);
    assert.equal(allowed(36_000, 1.5, 1000), 17);
    assert.deepEqual(g.check(T0 + 1000, { EAST: 17 }, undefined).accepted, { EAST: 0 });
    assert.deepEqual(g.check(T0 + 2000, { EAST: 17 + 17 }, 0).accepted, { EAST: 17 });
    // 2 s after the last accepted 17 Wh: 32 Wh allowed, 77 Wh is too fast.
    assert.equal(g.check(T0 + 3000, { EAST: 17 + 77 }, 0).held[0]?.reason, 'too_fast');
  });

  it('a meter change is accepted once 5 consecutive frames agree on the new index', () => {
    const g = new IndexGuard({ margin: 1.5 });
    g.check(T0, { HCHP: 5_000_000 }, 6000);
    g.check(T0 + 1, { HCHP: 5_000_000 }, 6000);
    const results = [100, 101, 102, 103, 104].map((v, i) => g.check(T0 + 1500 * (i + 1), { HCHP: v }, 6000));
    assert.deepEqual(
      results.map((r) => r.held.map((h) => h.reason)),
      [['backwards'], ['backwards'], ['backwards'], ['backwards'], []],
    );
    assert.deepEqual(results[4]!.accepted, { HCHP: 104 });
    g.check(T0 + 9000, { HCHP: 105 }, 6000);
    assert.deepEqual(g.check(T0 + 10_500, { HCHP: 105 }, 6000).accepted, { HCHP: 105 });
    // confirmFrames is configurable.
    const quick = new IndexGuard({ margin: 1.5, confirmFrames: 2 });
    quick.check(T0, { BASE: 10 }, 6000);
    quick.check(T0 + 1, { BASE: 10 }, 6000);
    assert.equal(quick.check(T0 + 2, { BASE: 1 }, 6000).held.length, 1);
    assert.deepEqual(quick.check(T0 + 3, { BASE: 1 }, 6000).accepted, { BASE: 1 });
  });

  it('candidates that disagree with each other never become the baseline', () => {
    const g = new IndexGuard({ margin: 1.5 });
    g.check(T0, { HCHC: 1000 }, 6000);
    g.check(T0 + 1, { HCHC: 1000 }, 6000);
    for (let i = 1; i <= 12; i++) {
      const r = g.check(T0 + 1500 * i, { HCHC: i % 2 ? 9_000_000 : 10 }, 6000);
      assert.deepEqual(r.accepted, {}, `frame ${i}`);
    }
    g.check(T0 + 1500 * 13, { HCHC: 1001 }, 6000);
    assert.deepEqual(g.check(T0 + 1500 * 14, { HCHC: 1001 }, 6000).accepted, { HCHC: 1001 });
  });

  it('labels are guarded independently', () => {
    const g = new IndexGuard({ margin: 1.5 });
    g.check(T0, { HCHC: 1000, HCHP: 2000 }, 6000);
    g.check(T0 + 1, { HCHC: 1000, HCHP: 2000 }, 6000);
    const r = g.check(T0 + 1500, { HCHC: 999, HCHP: 2001 }, 6000);
    assert.deepEqual(r.accepted, { HCHP: 2000 });
    assert.deepEqual(
      r.held.map((h) => h.label),
      ['HCHC'],
    );
  });

  it('snapshot and restore keep the baselines; malformed entries are ignored', () => {
    const g = new IndexGuard({ margin: 1.5 });
    g.check(T0, { BASE: 777 }, 6000);
    g.check(T0 + 1, { BASE: 777 }, 6000);
    const copy = new IndexGuard({ margin: 1.5 });
    copy.restore(JSON.parse(JSON.stringify(g.snapshot())));
    assert.equal(copy.check(T0 + 1500, { BASE: 700 }, 6000).held[0]?.reason, 'backwards');
    const odd = new IndexGuard({ margin: 1.5 });
    odd.restore({ baselines: { BASE: { value: 'x', at: 1 }, HCHC: null } } as never);
    odd.restore(undefined);
    odd.check(T0, { BASE: 5, HCHC: 6 }, 6000);
    assert.deepEqual(odd.check(T0 + 1, { BASE: 5, HCHC: 6 }, 6000).accepted, { BASE: 5, HCHC: 6 });
  });
});

const METER = '099999999999';
const frame = (hchc: number, papp = 500) => hcHpFrame(METER, hchc, papp);

describe('the guard in a meter line', () => {
  const tempDir = tempDirs('linky-guard-');

  async function setup(dir = tempDir()) {
    const m = await meterLineWithClock(dir, { port: 'memory:none', baud: '1200' });
    const send = (hchc: number, advanceMs = 1500) => m.send(frame(hchc), advanceMs);
    // The HCHC index of each state published (a state without it, or with null, is left out).
    const published = () => m.mqtt.values(`linky_${METER}`, 'index_hchc');
    return { ...m, send, published, dir };
  }

  it('an index that jumps or goes backwards is never published, and is logged with its reason', async () => {
    const s = await setup();
    s.send(1000);
    s.send(1000);
    s.send(9_001_000); // +9 MWh in 1.5 s: impossible at 6 kVA
    s.send(999); // backwards
    s.send(1001);
    s.send(1002);
    assert.deepEqual(s.published(), [1000, 1001]);
    assert.ok(
      s.logs.some(
        (l) => l.includes('WARN') && l.includes('index HCHC held back: 9001000 Wh after 1000 Wh (too_fast)'),
      ),
      s.logs.join('\n'),
    );
    assert.ok(s.logs.some((l) => l.includes('index HCHC held back: 999 Wh after 1000 Wh (backwards)')));
    await s.line.stop();
  });

  it('a replaced meter (index restarting low) is published after five consistent frames', async () => {
    const s = await setup();
    s.send(5_000_000);
    s.send(5_000_000);
    for (const v of [10, 11, 12, 13, 14, 15, 16]) s.send(v);
    assert.deepEqual(s.published(), [5_000_000, 14, 15]);
    assert.equal(s.logs.filter((l) => l.includes('held back')).length, 4);
    await s.line.stop();
  });

  it('the baselines survive a restart: a corrupted index after it is still held back', async () => {
    const dir = tempDir();
    const first = await setup(dir);
    first.send(2000);
    first.send(2000);
    first.send(2000);
    first.send(2000);
    await first.line.stop();
    // The meter is known from its state file: its first frame counts at once.
    const second = await setup(dir);
    second.send(1_500_000_000);
    second.send(2001);
    second.send(2001);
    assert.deepEqual(second.published(), [2001]);
    await second.line.stop();
  });

  it("a frame is published at once for its meter only; other devices keep the registry's window", async () => {
    const s = await setup();
    s.registry.declare({
      device: { id: 'other', name: 'Other module device' },
      entities: [{ component: 'sensor', key: 'reading', name: 'Reading' }],
    });
    // A new meter id is believed after three frames; the guard publishes an index the frame after.
    for (let i = 0; i < 3; i++) s.send(3000);
    s.registry.update('other', { reading: 1 });
    s.send(3000);
    // Synchronously after the ETX: the meter's state is out, the other device is still pending.
    assert.deepEqual(s.published(), [3000]);
    assert.equal(s.mqtt.states('other').length, 0);
    await new Promise((r) => setTimeout(r, 120));
    assert.deepEqual(s.mqtt.states('other'), [{ reading: 1 }]);
    await s.line.stop();
  });
});
