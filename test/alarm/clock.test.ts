/**
 * The alarm's delays are deadlines on the wall clock (they survive a restart), waited for with
 * a timer on the monotonic clock. The two drift apart: NTP slews the wall clock of a Pi that
 * booted without network, and Node may fire a timer a millisecond before Date.now() reaches
 * its deadline. Found by CI: a pending alarm that never triggered. The alarm here runs on a
 * wall clock 2 % slower than its timers, so every timer fires "early".
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { AlarmModule } from '../../addon/src/modules/alarm/index.js';
import { MODULES } from '../../addon/src/modules/index.js';
import { AlarmHarness, alarmSection } from './harness.js';

const h = new AlarmHarness();
after(() => h.dispose());

/** A wall clock that runs at 98 % of real time from the moment it is made. */
function slowClock(rate = 0.98): () => number {
  const t0 = Date.now();
  return () => Math.floor(t0 + (Date.now() - t0) * rate);
}

test('a delay timer that fires before the wall clock reaches the deadline waits on: arming, pending and triggered all end', async () => {
  await h.start();
  for (const e of ['binary_sensor.front_door', 'binary_sensor.hall_motion', 'binary_sensor.kitchen_window'])
    h.ha.setState(e, 'off');
  const clock = slowClock();
  await h.startApp(
    { users: {}, alarm: alarmSection() },
    { ...MODULES, alarm: (ctx) => new AlarmModule(ctx as never, clock) },
  );
  await h.rpc('add_user', { username: 'alice', pin: '1234' });
  let mark = h.mark();
  assert.equal((await h.rpc('alarm_arm', { mode: 'away', code: '1234' })).ok, true);
  await h.stateIs('arming', mark);
  await h.stateIs('armed_away', mark, 5000);
  mark = h.mark();
  h.ha.setState('binary_sensor.front_door', 'on');
  await h.stateIs('pending', mark);
  await h.stateIs('triggered', mark, 5000);
  // trigger_time ends: back to armed away (disarm_after_trigger is off by default).
  await h.stateIs('armed_away', mark, 5000);
});
