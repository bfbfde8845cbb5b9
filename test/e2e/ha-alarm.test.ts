/**
 * The alarm end to end against a REAL Home Assistant core (test/e2e/setup-ha.sh) and a real
 * Mosquitto, with the real `monitor run`: the MQTT panel appears, arms and disarms from
 * `alarm_control_panel.alarm_arm_away` / `alarm_disarm` with a user's code (REMOTE_CODE: HA
 * passes the code on, Monitor checks it), refuses a wrong code, and a `tag_scanned` event
 * fired in HA disarms it (issue 10). Then, with the monitor_bridge integration that Monitor
 * installs and HA restarted: a badge arms again (Monitor re-subscribed), a badge nobody owns is
 * refused, `monitor_bridge.add_user` gives it to a new user, and the same `tag_scanned` disarms,
 * seen as bridge events (issue 11).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import mqtt from 'mqtt';
import { usersRegistryIn } from '../alarm/users.js';
import { ensureBuilt } from '../helpers/build.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { type HaState, HomeAssistant, until } from './ha.js';
import type { FlowStep } from './ha-flow.js';
import { MonitorProcess } from './monitor-process.js';

const NODE = 'e2ealarm';
const PANEL = `alarm_control_panel.${NODE}_alarm_panel`;
const SECRET = 'e2e-alarm-rpc-secret-0123456789';

type Fired = { data: Record<string, unknown> };

describe('Home Assistant end to end: the alarm panel', { timeout: 300_000 }, () => {
  let ha: HomeAssistant;
  let broker: Mosquitto;
  let monitor: MonitorProcess;

  const panel = (pred: (s: HaState) => boolean, what: string) =>
    until(
      `${PANEL}: ${what}`,
      async () => {
        const s = await ha.state(PANEL);
        return s && pred(s) ? s : undefined;
      },
      30_000,
    ).catch(async (err) => {
      throw new Error(
        `${err.message}\nHA now: ${JSON.stringify(await ha.state(PANEL))}\n--- monitor:\n${monitor.output()}`,
      );
    });

  const api = <T>(method: string, path: string, body?: unknown): Promise<T> => ha.api<T>(method, path, body);

  before(async () => {
    ha = new HomeAssistant(); // fails here, naming the setup script, when HA is not installed
    await ensureBuilt();
    broker = new Mosquitto();
    await broker.start();
    await ha.startWithMqtt(broker);
    monitor = MonitorProcess.onBroker(NODE, broker.url, {
      homeassistant: { url: ha.url, token: ha.token },
      rpc: { secret: SECRET },
      bridge: { install: true, config_dir: ha.configDir },
      users: {},
      alarm: { modes: { away: { exit_delay: 1 } } },
    });
    await usersRegistryIn(join(monitor.dir, 'data')).add({ username: 'alice', pin: '1234', uid: '04A32B1C' });
    monitor.start();
  });

  after(async () => {
    await monitor?.dispose();
    await ha?.dispose();
    await broker?.dispose();
  });

  test('the panel appears, arms away and disarms with a code, refuses a wrong one; tag_scanned disarms', async () => {
    const s = await panel((x) => x.state === 'disarmed', 'disarmed');
    assert.equal(s.attributes.code_format, 'number', 'REMOTE_CODE: a number pad');
    assert.equal(s.attributes.code_arm_required, true);
    const ws = await ha.ws();
    await ws.callService('alarm_control_panel', 'alarm_arm_away', { code: '1234' }, { entity_id: PANEL });
    await panel((x) => x.state === 'armed_away', 'armed away after the exit delay');
    await ws.callService('alarm_control_panel', 'alarm_disarm', { code: '0000' }, { entity_id: PANEL });
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await ha.state(PANEL))?.state, 'armed_away', 'a wrong code changes nothing');
    await ws.callService('alarm_control_panel', 'alarm_disarm', { code: '1234' }, { entity_id: PANEL });
    await panel((x) => x.state === 'disarmed', 'disarmed with the code');

    await ws.callService('alarm_control_panel', 'alarm_arm_away', { code: '1234' }, { entity_id: PANEL });
    await panel((x) => x.state === 'armed_away', 'armed again');
    await ws.send({ type: 'fire_event', event_type: 'tag_scanned', event_data: { tag_id: '04-A3-2B-1C' } });
    await panel((x) => x.state === 'disarmed', 'disarmed by the badge');
    const last = await ha.state(`sensor.${NODE}_alarm_last_channel`);
    assert.equal(last?.state, 'badge');
  });

  test('monitor_bridge installed by Monitor, HA restarted, set up through its config flow', async () => {
    const manifest = join(ha.configDir, 'custom_components/monitor_bridge/manifest.json');
    await until('custom_components/monitor_bridge installed by Monitor', async () =>
      existsSync(manifest) ? true : undefined,
    );
    await ha.restart();
    let step = await api<FlowStep>('POST', '/api/config/config_entries/flow', { handler: 'monitor_bridge' });
    assert.equal(step.type, 'form', JSON.stringify(step));
    step = await api('POST', `/api/config/config_entries/flow/${step.flow_id}`, {
      node: NODE,
      secret: SECRET,
    });
    assert.equal(step.type, 'create_entry', JSON.stringify(step));
    // After HA's restart Monitor's websocket client reconnects and the panel comes back.
    await panel((x) => x.state === 'disarmed', 'back after the HA restart');
  });

  test('add_user through monitor_bridge, then tag_scanned with the new badge disarms', async () => {
    const ws = await ha.ws();
    const badges: Fired[] = [];
    const actions: Fired[] = [];
    const offBadge = await ws.subscribeEvents<Fired>('monitor_bridge_badge', (ev) => {
      badges.push(ev);
    });
    const offAction = await ws.subscribeEvents<Fired>('monitor_bridge_alarm_action', (ev) => {
      actions.push(ev);
    });
    const probe = await mqtt.connectAsync(broker.url);
    try {
      // HA's MQTT client passes the integration's subscriptions to the broker after a cooldown
      // (up to 5 s): wait until a probe notification comes through before relying on them.
      await until('a probe notification to come through', async () => {
        await probe.publishAsync(
          `monitor/${NODE}/rpc/notify/badge`,
          JSON.stringify({
            uid: 'probe',
            user: null,
            reader: 'probe',
            accepted: false,
            event_id: `p${Date.now()}`,
          }),
          { qos: 1 },
        );
        await new Promise((r) => setTimeout(r, 500));
        return badges.find((b) => b.data.uid === 'probe');
      });

      // HA restarted: Monitor's websocket client reconnects with a backoff and subscribes to
      // tag_scanned again; an event fired before that is lost. Alice's badge (toggle: arms when
      // disarmed) is fired until it arms, which proves the subscription is back.
      const fireTag = (tag_id: string) =>
        ws.send({ type: 'fire_event', event_type: 'tag_scanned', event_data: { tag_id } });
      await until(
        "alice's badge arms after HA's restart",
        async () => {
          if ((await ha.state(PANEL))?.state === 'disarmed') await fireTag('04A32B1C');
          await new Promise((r) => setTimeout(r, 4000));
          const state = (await ha.state(PANEL))?.state;
          return state === 'arming' || state === 'armed_away' ? state : undefined;
        },
        45_000,
      );
      await panel((x) => x.state === 'armed_away', 'armed away');
      badges.length = 0;
      actions.length = 0;
      // The new badge, before anybody owns it: refused, still armed.
      await fireTag('5AF01122');
      const refused = await until('monitor_bridge_badge (refused)', async () => badges[0]);
      assert.equal(refused.data.accepted, false);
      assert.equal(refused.data.user, null);
      assert.equal((await ha.state(PANEL))?.state, 'armed_away', 'an unknown badge changes nothing');

      // The uid in another written form: the registry normalises it.
      await api('POST', '/api/services/monitor_bridge/add_user', { username: 'bob', uid: '5a:f0:11:22' });
      type Listed = { service_response: { users: Array<Record<string, unknown>> } };
      const listed = await api<Listed>('POST', '/api/services/monitor_bridge/list_users?return_response', {});
      const bob = listed.service_response.users.find((u) => u.username === 'bob');
      assert.ok(bob, JSON.stringify(listed.service_response));

      await fireTag('5AF01122');
      await panel((x) => x.state === 'disarmed', "disarmed by bob's badge");
      const accepted = await until('monitor_bridge_badge (accepted)', async () =>
        badges.find((b) => b.data.accepted === true),
      );
      assert.equal(accepted.data.user, 'bob');
      const disarmed = await until('monitor_bridge_alarm_action disarm', async () =>
        actions.find((a) => a.data.action === 'disarm'),
      );
      assert.equal(disarmed.data.user, 'bob');
      assert.equal(disarmed.data.channel, 'badge');
      assert.equal((await ha.state(`sensor.${NODE}_alarm_last_user`))?.state, 'bob');
    } finally {
      await probe.endAsync();
      await offBadge();
      await offAction();
    }
  });
});
