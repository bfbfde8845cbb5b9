/**
 * The users and alarm modules in a real App: RPC (every users method, concurrent calls),
 * the panel's keypad, badges from HA and from a reader topic, sensors from HA, sirens and SMS,
 * duress, lockouts, refusals, the panel's discovery.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AlarmHarness, alarmSection, NODE, sleep, T } from './harness.js';

describe('alarm and users in the App', () => {
  const h = new AlarmHarness();

  before(async () => {
    await h.start();
    for (const e of ['binary_sensor.front_door', 'binary_sensor.hall_motion', 'binary_sensor.kitchen_window'])
      h.ha.setState(e, 'off');
    await h.startApp({ users: {}, alarm: alarmSection() });
  });
  after(() => h.dispose());

  test('users RPC: every method, its result shape, and its errors', async () => {
    const add = await h.rpc('add_user', {
      username: 'alice',
      uid: '04:A3:2B:1C',
      pin: '1234',
      duress_pin: '9999',
      phones: ['06 12 34 56 78'],
      rights: ['arm', 'disarm', 'admin'],
    });
    assert.equal(add.ok, true, JSON.stringify(add));
    assert.deepEqual(add.result.user.badges, ['04A32B1C']);
    assert.equal(add.result.user.has_duress_pin, true);
    assert.equal(JSON.stringify(add).includes('"1234"'), false, 'no PIN in a reply');
    assert.equal((await h.rpc('add_user', { username: 'bob', pin: '2468', rights: ['arm'] })).ok, true);
    assert.equal((await h.rpc('add_user', { username: 'tmp' })).ok, true);
    assert.equal(
      (await h.rpc('rename_user', { username: 'tmp', new_username: 'temp' })).result.user.username,
      'temp',
    );
    assert.deepEqual(
      (await h.rpc('set_user_phones', { username: 'temp', phones: ['0611111111'] })).result.user.phones,
      ['+33611111111'],
    );
    assert.equal((await h.rpc('set_user_pin', { username: 'temp', pin: '1357' })).result.user.has_pin, true);
    assert.deepEqual((await h.rpc('add_user_badge', { username: 'temp', uid: '01:02' })).result.user.badges, [
      '0102',
    ]);
    assert.deepEqual(
      (await h.rpc('remove_user_badge', { username: 'temp', uid: '0x0102' })).result.user.badges,
      [],
    );
    assert.equal((await h.rpc('disable_user', { username: 'temp' })).result.user.enabled, false);
    assert.equal((await h.rpc('enable_user', { username: 'temp' })).result.user.enabled, true);
    assert.deepEqual((await h.rpc('remove_user', { username: 'temp' })).result, { removed: 'temp' });
    const list = await h.rpc('list_users');
    assert.deepEqual(
      list.result.users.map((u: { username: string }) => u.username),
      ['alice', 'bob'],
    );
    assert.ok(!JSON.stringify(list).includes('scrypt'), 'never PIN material');

    const errors = [
      await h.rpc('add_user', { username: 'Alice' }),
      await h.rpc('remove_user', { username: 'nobody' }),
      await h.rpc('add_user_badge', { username: 'bob', uid: '04a32b1c' }),
      await h.rpc('set_user_pin', { username: 'bob', pin: '12' }),
    ];
    for (const e of errors) assert.equal(e.error.code, 3);
    assert.deepEqual(
      errors.map((e) => e.error.message),
      [
        'A user named "Alice" already exists.',
        'No user named "nobody".',
        'This badge already belongs to another user.',
        'The PIN must have at least 4 digits.',
      ],
    );
    const count = await h.rec.waitFor(
      (m) => m.topic === `monitor/${NODE}/users/state` && JSON.parse(m.payload).count === 2,
    );
    assert.ok(count);
  });

  test('concurrent RPC calls: every one answered, none lost', async () => {
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => h.rpc('add_user', { username: `guest${i}`, pin: `${5000 + i}` })),
    );
    assert.ok(replies.every((r) => r.ok));
    const same = await Promise.all(Array.from({ length: 3 }, () => h.rpc('add_user', { username: 'twin' })));
    assert.equal(same.filter((r) => r.ok).length, 1);
    const list = (await h.rpc('list_users')).result.users.map((u: { username: string }) => u.username);
    assert.equal(list.length, 11);
    await Promise.all(
      list
        .filter((n: string) => /guest|twin/.test(n))
        .map((n: string) => h.rpc('remove_user', { username: n })),
    );
    assert.equal((await h.rpc('list_users')).result.users.length, 2);
  });

  test('the panel: alarm_control_panel discovery with REMOTE_CODE and a JSON command template', async () => {
    const m = await h.rec.waitFor(
      (x) => x.topic.startsWith('homeassistant/alarm_control_panel/') && x.payload.length > 0,
    );
    const cfg = JSON.parse(m.payload);
    assert.equal(cfg.code, 'REMOTE_CODE');
    assert.equal(cfg.command_template, '{"action":"{{ action }}","code":"{{ code }}"}');
    assert.equal(cfg.command_topic, T.panel);
    assert.deepEqual(cfg.supported_features, ['arm_away', 'arm_home', 'arm_night', 'arm_vacation']);
    assert.equal(cfg.code_arm_required, true);
  });

  test('keypad: arm away with a code → arming → armed away; a door → pending → triggered: siren, light, SMS; badge disarms', async () => {
    const mark = h.mark();
    await h.publish(T.panel, '{"action":"ARM_AWAY","code":"1234"}');
    await h.stateIs('arming', mark);
    const armed = await h.stateIs('armed_away', mark);
    assert.equal(armed.last_user, 'alice');
    assert.equal(armed.last_channel, 'keypad');
    assert.equal((await h.event('armed', mark)).user, 'alice');

    const door = h.mark();
    h.ha.setState('binary_sensor.front_door', 'on');
    const pending = await h.stateIs('pending', door);
    assert.ok(pending.remaining_delay > 0);
    await h.stateIs('triggered', door);
    assert.equal((await h.event('triggered', door)).sensor, 'binary_sensor.front_door');
    await h.ha.waitFor(
      (m) => m.msg.type === 'call_service' && m.msg.domain === 'siren' && m.msg.service === 'turn_on',
    );
    await h.ha.waitFor(
      (m) => m.msg.type === 'call_service' && m.msg.domain === 'light' && m.msg.service === 'turn_on',
    );
    for (let i = 0; i < 50 && !h.smsSent.some((s) => s.text.includes('TRIGGERED')); i++) await sleep(20);
    const alert = h.smsSent.find((s) => s.text.includes('TRIGGERED'));
    assert.deepEqual(alert?.to, ['+33612345678']);
    assert.match(alert?.text ?? '', /ALARM TRIGGERED by Front door/);

    const scan = h.mark();
    h.ha.pushEvent('tag_scanned', { tag_id: '04-a3-2b-1c', device_id: 'reader_hall' });
    const off = await h.stateIs('disarmed', scan);
    assert.equal(off.last_user, 'alice');
    assert.equal(off.last_channel, 'badge');
    await h.ha.waitFor(
      (m) => m.msg.type === 'call_service' && m.msg.domain === 'siren' && m.msg.service === 'turn_off',
    );
    const badge = await h.rec.waitFor((m) => m.topic === T.notify('badge') && m.at >= 0);
    assert.equal(JSON.parse(badge.payload).accepted, true);
    h.ha.setState('binary_sensor.front_door', 'off');
  });

  test('arming with an open sensor is refused and names it; a bypass sensor is bypassed', async () => {
    h.ha.setState('binary_sensor.hall_motion', 'on');
    h.ha.setState('binary_sensor.kitchen_window', 'on');
    await sleep(100);
    const r = await h.rpc('alarm_arm', { mode: 'away', code: '1234' });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 6);
    assert.equal(r.error.message, 'Not armed: open sensors Hall motion.');
    // The status (SMS `Alstatus`) says the state and what is open.
    const status = await h.app?.bus.callAction(
      'alarm.status',
      {},
      { origin: 'sms:+33612345678', channel: 'sms' },
    );
    assert.equal(status?.message, 'Alarm: disarmed. Open: Hall motion, Kitchen window.');
    assert.deepEqual((await h.event('refused')).open, ['binary_sensor.hall_motion']);
    h.ha.setState('binary_sensor.hall_motion', 'off');
    await sleep(100);
    const mark = h.mark();
    assert.deepEqual((await h.rpc('alarm_arm', { mode: 'home', code: '1234' })).result, {
      state: 'armed_home',
    });
    const s = await h.stateIs('armed_home', mark);
    assert.equal(s.last_channel, 'service');
    assert.equal(s.bypassed_sensors, 0, 'the window does not count in home mode');
    assert.deepEqual((await h.rpc('alarm_disarm', { code: '1234' })).result, { state: 'disarmed' });
    const a = await h.rpc('alarm_arm', { mode: 'away', code: '1234' });
    assert.equal(a.ok, true);
    assert.deepEqual((await h.stateIs('arming', mark)).bypassed_sensors_attrs, {
      entities: ['binary_sensor.kitchen_window'],
    });
    await h.rpc('alarm_disarm', { code: '1234' });
    h.ha.setState('binary_sensor.kitchen_window', 'off');
  });

  test('rights, wrong codes and lockout; refusals are events and never say why a code failed', async () => {
    const mark = h.mark();
    const bob = await h.rpc('alarm_disarm', { code: '2468' });
    assert.equal(bob.error.message, 'Refused.', 'bob may arm, not disarm');
    for (let i = 0; i < 2; i++)
      assert.equal((await h.rpc('alarm_disarm', { code: '0000' })).error.message, 'Refused.');
    assert.match((await h.rpc('alarm_disarm', { code: '0001' })).error.message, /Too many failures/);
    const locked = await h.rpc('alarm_disarm', { code: '1234' });
    assert.match(locked.error.message, /Too many failures: refused for 1 min/, 'even the right code');
    const refused = h.events('refused', mark);
    assert.deepEqual(
      refused.map((e) => e.reason),
      ['no_right', 'wrong_code', 'wrong_code', 'wrong_code', 'locked_out'],
    );
    assert.equal(refused[0]?.channel, 'service');
    // The keypad is its own channel: not locked by the RPC failures.
    const k = h.mark();
    await h.publish(T.panel, '{"action":"ARM_NIGHT","code":"1234"}');
    await h.stateIs('armed_night', k);
    await h.publish(T.panel, '{"action":"DISARM","code":"1234"}');
    await h.stateIs('disarmed', k);
  });

  test('badges: an unknown badge is refused and counted per reader; a reader topic disarms; duress disarms visibly and alerts silently', async () => {
    const mark = h.mark();
    h.ha.pushEvent('tag_scanned', { tag_id: 'DEADBEEF', device_id: 'reader_garage' });
    const ev = await h.event('refused', mark);
    assert.equal(ev.reason, 'unknown_badge');
    assert.equal(ev.channel, 'badge');
    const n = await h.rec.waitFor(
      (m) => m.topic === T.notify('badge') && JSON.parse(m.payload).accepted === false,
    );
    assert.equal(JSON.parse(n.payload).uid, null, 'an unknown uid is not echoed');

    await h.publish(T.badge, JSON.stringify({ uid: '0x04a32b1c', reader: 'gate' }));
    await h.stateIs('arming', mark);
    await h.publish(T.badge, '04A32B1C');
    const off = await h.stateIs('disarmed', h.mark() - 1);
    assert.equal(off.last_channel, 'badge');

    await h.publish(T.panel, '{"action":"ARM_NIGHT","code":"1234"}');
    await h.stateIs('armed_night', mark);
    const d = h.mark();
    h.smsSent.length = 0;
    await h.publish(T.panel, '{"action":"DISARM","code":"9999"}');
    const dis = await h.stateIs('disarmed', d);
    assert.equal(dis.last_user, 'alice');
    assert.equal((await h.event('disarmed', d)).user, 'alice');
    assert.equal((await h.event('duress', d)).user, 'alice');
    for (let i = 0; i < 50 && !h.smsSent.length; i++) await sleep(20);
    assert.match(h.smsSent[0]?.text ?? '', /^DURESS: alice disarmed the alarm under duress/);
  });
});
