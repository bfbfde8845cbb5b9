/** The alarm engine (pure, injected clock) and the sensor watch that feeds it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlarmEngine, type EngineSettings } from '../../addon/src/modules/alarm/engine.js';
import { Lockouts } from '../../addon/src/modules/alarm/lockout.js';
import { SensorWatch } from '../../addon/src/modules/alarm/sensors.js';

const mode = (exit: number, entry: number, sensors: string[] = []) => ({
  enabled: true,
  exit_delay: exit,
  entry_delay: entry,
  trigger_time: 120,
  sensors,
});

function settings(over: Partial<EngineSettings> = {}): EngineSettings {
  return {
    modes: {
      away: mode(30, 20),
      home: mode(0, 10, ['binary_sensor.door']),
      night: mode(0, 0),
      vacation: { ...mode(30, 20), enabled: false },
    },
    sensors: [
      {
        entity_id: 'binary_sensor.door',
        name: 'Front door',
        delayed: true,
        always_on: false,
        allow_open: false,
        when_open: 'refuse',
      },
      {
        entity_id: 'binary_sensor.motion',
        name: 'Hall motion',
        delayed: false,
        always_on: false,
        allow_open: false,
        when_open: 'refuse',
      },
      {
        entity_id: 'binary_sensor.window',
        name: 'Window',
        delayed: false,
        always_on: false,
        allow_open: false,
        when_open: 'bypass',
      },
      {
        entity_id: 'binary_sensor.smoke',
        name: 'Smoke',
        delayed: false,
        always_on: true,
        allow_open: false,
        when_open: 'refuse',
      },
    ],
    disarm_after_trigger: false,
    ...over,
  };
}

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (s: number) => (now += s * 1000) };
}

test('arm away: arming for the exit delay, then armed; a door opens: pending, then triggered, then armed again', () => {
  const c = clock();
  const e = new AlarmEngine(settings(), c.now);
  const r = e.arm('away', []);
  assert.ok(r.ok);
  assert.equal(e.state, 'arming');
  assert.equal(e.remaining(), 30);
  assert.deepEqual(e.opened('binary_sensor.door'), [], 'walking out during the exit delay');
  c.advance(29);
  assert.deepEqual(e.tick(), []);
  c.advance(1);
  assert.deepEqual(e.tick(), [{ from: 'arming', to: 'armed_away', cause: 'exit_delay' }]);
  assert.deepEqual(e.opened('binary_sensor.door'), [
    { from: 'armed_away', to: 'pending', cause: 'sensor', sensor: 'binary_sensor.door' },
  ]);
  assert.equal(e.remaining(), 20);
  c.advance(20);
  assert.equal(e.tick()[0]?.to, 'triggered');
  assert.equal(e.remaining(), 120);
  c.advance(120);
  assert.deepEqual(e.tick(), [{ from: 'triggered', to: 'armed_away', cause: 'trigger_time' }]);
});

test('an immediate sensor triggers at once, also during the entry delay; disarm from anywhere', () => {
  const c = clock();
  const e = new AlarmEngine(settings(), c.now);
  e.arm('night', []);
  assert.equal(e.state, 'armed_night');
  assert.equal(e.opened('binary_sensor.door')[0]?.to, 'triggered', 'entry delay 0 in night mode');
  assert.deepEqual(e.disarm(), [{ from: 'triggered', to: 'disarmed', cause: 'disarm' }]);
  e.arm('away', []);
  c.advance(30);
  e.tick();
  e.opened('binary_sensor.door');
  assert.equal(e.state, 'pending');
  assert.equal(e.opened('binary_sensor.motion')[0]?.to, 'triggered');
});

test('open sensors at arming: refused with their names, bypassed, allowed, or forced', () => {
  const c = clock();
  const e = new AlarmEngine(settings(), c.now);
  const r = e.arm('away', ['binary_sensor.door', 'binary_sensor.motion']);
  assert.deepEqual(r, {
    ok: false,
    reason: 'open_sensors',
    open: ['binary_sensor.door', 'binary_sensor.motion'],
  });
  assert.equal(e.state, 'disarmed');
  const b = e.arm('away', ['binary_sensor.window']);
  assert.ok(b.ok);
  assert.deepEqual(b.bypassed, ['binary_sensor.window']);
  c.advance(30);
  e.tick();
  assert.deepEqual(e.opened('binary_sensor.window'), [], 'a bypassed sensor is ignored until disarmed');
  e.disarm();
  const f = e.arm('away', ['binary_sensor.door'], true);
  assert.ok(f.ok);
  assert.deepEqual(f.bypassed, ['binary_sensor.door']);
  e.disarm();
  assert.equal(e.arm('home', ['binary_sensor.motion']).ok, true, 'motion does not count in home mode');
  assert.deepEqual(e.opened('binary_sensor.motion'), []);
  assert.deepEqual(e.arm('vacation', []), { ok: false, reason: 'mode_disabled', open: [] });
});

test('an always-on sensor triggers even disarmed; afterwards back to disarmed', () => {
  const c = clock();
  const e = new AlarmEngine(settings(), c.now);
  assert.equal(e.opened('binary_sensor.smoke')[0]?.to, 'triggered');
  c.advance(120);
  assert.deepEqual(e.tick(), [{ from: 'triggered', to: 'disarmed', cause: 'trigger_time' }]);
  assert.deepEqual(e.opened('binary_sensor.door'), []);
});

test('restart: a snapshot resumes with the remaining delay; deadlines passed while down are applied', () => {
  const c = clock();
  const e = new AlarmEngine(settings(), c.now);
  e.arm('away', []);
  c.advance(10);
  const snap = JSON.parse(JSON.stringify(e.snapshot));
  c.advance(5); // down for 5 s
  const back = new AlarmEngine(settings(), c.now, snap);
  assert.equal(back.state, 'arming');
  assert.equal(back.remaining(), 15);
  c.advance(15);
  back.tick();
  back.opened('binary_sensor.door');
  const pendingSnap = back.snapshot;
  c.advance(500); // a long power cut during the entry delay
  const late = new AlarmEngine(settings(), c.now, pendingSnap);
  assert.deepEqual(
    late.tick().map((t) => t.to),
    ['triggered', 'armed_away'],
    'the trigger happened while down, and its time is over',
  );
});

test('sensor watch: only a closed → open transition counts; unknown or first-seen open never triggers', () => {
  const w = new SensorWatch(['binary_sensor.door', 'binary_sensor.motion']);
  assert.deepEqual(w.update({ 'binary_sensor.door': { state: 'on' } }).opened, [], 'first seen open');
  assert.deepEqual(w.update({ 'binary_sensor.door': { state: 'unavailable' } }).opened, []);
  assert.deepEqual(w.update({ 'binary_sensor.door': { state: 'on' } }).opened, [], 'unavailable → on');
  assert.deepEqual(w.update({ 'binary_sensor.door': { state: 'off' } }).opened, []);
  assert.deepEqual(w.update({ 'binary_sensor.door': { state: 'on' } }).opened, ['binary_sensor.door']);
  assert.deepEqual(w.open(), ['binary_sensor.door']);
  assert.deepEqual(w.unknown(), ['binary_sensor.motion']);
});

test('lockouts: max failures lock the key for a while; a success resets the count', () => {
  const c = clock();
  const l = new Lockouts(3, 5 * 60_000, c.now);
  assert.equal(l.fail('keypad'), false);
  l.succeed('keypad');
  assert.equal(l.fail('keypad'), false);
  assert.equal(l.fail('keypad'), false);
  assert.equal(l.fail('keypad'), true);
  assert.equal(l.lockedFor('keypad'), 5);
  assert.equal(l.lockedFor('sms:+33612345678'), 0, 'per key');
  c.advance(5 * 60);
  assert.equal(l.lockedFor('keypad'), 0);
});
