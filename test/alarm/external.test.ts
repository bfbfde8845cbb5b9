/** External mode: Monitor's users, badges and RPC drive an existing Alarmo through HA services. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ALARMO, FakeAlarmo } from './fake-alarmo.js';
import { AlarmHarness } from './harness.js';

describe('external alarm (Alarmo)', () => {
  const h = new AlarmHarness();
  let alarmo: FakeAlarmo;

  before(async () => {
    await h.start();
    alarmo = new FakeAlarmo(h.ha, '4321');
    await h.startApp({
      users: {},
      alarm: { engine: 'external', external_entity: ALARMO, external_code: '4321' },
    });
    assert.equal((await h.rpc('add_user', { username: 'alice', pin: '1234', uid: '0A0B0C0D' })).ok, true);
  });
  after(() => h.dispose());

  test('no panel of our own; alarmo.arm with mode, code and force; the state comes back from HA', async () => {
    assert.equal(
      h.rec.messages.some((m) => m.topic.startsWith('homeassistant/alarm_control_panel/') && m.payload),
      false,
    );
    const r = await h.rpc('alarm_arm', { mode: 'night', code: '1234' });
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.deepEqual(alarmo.calls.at(-1), {
      service: 'arm',
      data: { entity_id: ALARMO, mode: 'night', force: false, code: '4321' },
    });
    await h.stateIs('armed_night');
    const d = await h.rpc('alarm_disarm', { code: '1234' });
    assert.deepEqual(d.result, { state: 'disarmed' });
    assert.deepEqual(alarmo.calls.at(-1), { service: 'disarm', data: { entity_id: ALARMO, code: '4321' } });
  });

  test('a wrong Monitor code never reaches Alarmo; Alarmo refusing (open sensor) is reported with the sensors', async () => {
    const before = alarmo.calls.length;
    assert.equal((await h.rpc('alarm_arm', { mode: 'away', code: '0000' })).error.code, 6);
    assert.equal(alarmo.calls.length, before, 'refused by Monitor first');
    alarmo.setOpen({ 'binary_sensor.back_door': 'on' });
    await h.rec.waitFor((m) => m.topic.endsWith('/alarm/state') && JSON.parse(m.payload).open_sensors === 1);
    const r = await h.rpc('alarm_arm', { mode: 'away', code: '1234' });
    assert.equal(r.ok, false);
    assert.equal(r.error.message, 'Not armed: open sensors binary_sensor.back_door.');
    const forced = await h.rpc('alarm_arm', { mode: 'away', code: '1234', force: true });
    assert.equal(forced.ok, true);
    assert.equal(alarmo.calls.at(-1)?.data.force, true);
    alarmo.setOpen({});
  });

  test('a badge disarms the external alarm; a status reports its state', async () => {
    const m = h.mark();
    h.ha.pushEvent('tag_scanned', { tag_id: '0a0b0c0d', device_id: 'reader' });
    // The external alarm's own state change may come (and be published at once) before Monitor
    // records who asked: wait for the publication that names the badge.
    const off = await h.rec
      .waitFor((x) => {
        if (h.rec.messages.indexOf(x) < m || !x.topic.endsWith('/alarm/state')) return false;
        const p = JSON.parse(x.payload);
        return p.state === 'disarmed' && p.last_channel === 'badge';
      }, 8000)
      .then((x) => JSON.parse(x.payload));
    assert.equal(off.last_channel, 'badge');
    assert.equal(alarmo.calls.at(-1)?.service, 'disarm');
    const status = await h.app?.bus.callAction('alarm.status', { code: '1234' }, { origin: 'test' });
    assert.equal(status?.message, 'Alarm: disarmed.');
  });
});
