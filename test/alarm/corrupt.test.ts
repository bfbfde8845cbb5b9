/**
 * A corrupt registry or alarm state never gives a silently disarmed house: the users module
 * refuses to start (its copy kept aside, still refused at the next start), the alarm starts
 * armed away, and it keeps its last persisted state when only the registry is broken.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AlarmHarness, alarmSection, NODE } from './harness.js';

const h = new AlarmHarness();
after(() => h.dispose());

test('corrupt registry: users refused with a clear error, alarm still in its saved state; corrupt alarm state: armed away', async () => {
  await h.start();
  for (const e of ['binary_sensor.front_door', 'binary_sensor.hall_motion', 'binary_sensor.kitchen_window'])
    h.ha.setState(e, 'off');
  await h.startApp({ users: {}, alarm: alarmSection({ modes: { night: { exit_delay: 0 } } }) });
  await h.rpc('add_user', { username: 'alice', pin: '1234' });
  assert.equal((await h.rpc('alarm_arm', { mode: 'night', code: '1234' })).ok, true);
  await h.stopApp();

  const usersDir = join(h.dataDir, 'users');
  writeFileSync(join(usersDir, 'registry.json'), '{"version":1,"value":{"users":[{"userna');
  let mark = h.mark();
  await h.startApp({ users: {}, alarm: alarmSection() });
  assert.equal(
    (await h.stateIs('armed_night', mark)).state,
    'armed_night',
    'the alarm keeps its saved state',
  );
  const status = await h.rec.waitFor(
    (m) =>
      h.rec.messages.indexOf(m) >= mark &&
      m.topic === `monitor/${NODE}/gateway/state` &&
      m.payload.includes('"users"'),
  );
  assert.ok(status);
  assert.equal((await h.rpc('list_users')).error.code, 2, 'no registry, no users methods');
  const locked = await h.rpc('alarm_disarm', { code: '1234' });
  assert.equal(locked.ok, false, 'nobody can disarm without the registry');
  assert.ok(readdirSync(usersDir).some((n) => n.startsWith('registry.json.corrupt-')));
  await h.stopApp();

  // The copy kept aside still stops the module at the next start: no empty registry in its place.
  mark = h.mark();
  await h.startApp({ users: {}, alarm: alarmSection() });
  await h.stateIs('armed_night', mark);
  assert.equal((await h.rpc('list_users')).error.code, 2);
  await h.stopApp();

  mkdirSync(join(h.dataDir, 'alarm'), { recursive: true });
  writeFileSync(join(h.dataDir, 'alarm', 'state.json'), 'garbage');
  mark = h.mark();
  await h.startApp({ alarm: alarmSection() });
  const s = await h.stateIs('arming', mark);
  assert.equal(s.state, 'arming', 'armed away (through its exit delay) rather than disarmed');
  await h.stateIs('armed_away', mark);
});
