/**
 * monitor_bridge end to end against a REAL Home Assistant core (test/e2e/setup-ha.sh), a real
 * Mosquitto and the real `monitor run` with the sms module on a simulated modem (socat pty):
 * Monitor installs the integration into HA's custom_components (`bridge.install`) and asks for
 * a restart; after it, the integration is set up through its config flow over the REST API,
 * an SMS typed into the simulated modem fires `monitor_bridge_sms_received`, and the cards'
 * bundle of this build is served by the integration.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import mqtt from 'mqtt';
import { ensureBuilt, ROOT } from '../helpers/build.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { SimOnPty } from '../sms/helpers.js';
import { HomeAssistant, until } from './ha.js';
import type { FlowStep } from './ha-flow.js';
import { MonitorProcess } from './monitor-process.js';

const NODE = 'e2e_bridge';
const SECRET = 'e2e-rpc-secret-0123456789abcdef';

describe('Home Assistant end to end: the monitor_bridge integration', { timeout: 240_000 }, () => {
  let ha: HomeAssistant;
  let broker: Mosquitto;
  let monitor: MonitorProcess;
  let modem: SimOnPty;

  const api = <T>(method: string, path: string, body?: unknown): Promise<T> => ha.api<T>(method, path, body);

  before(async () => {
    ha = new HomeAssistant(['  logs:', '    custom_components.monitor_bridge: debug']); // fails here, naming the setup script, when not installed
    await ensureBuilt();
    broker = new Mosquitto();
    await broker.start();
    modem = await new SimOnPty({ profile: 'sim800', reportDelayMs: 300 }).start();
    await ha.startWithMqtt(broker);
    monitor = new MonitorProcess({
      node_id: NODE,
      language: 'fr',
      mqtt: { url: broker.url },
      homeassistant: { url: ha.url, token: ha.token },
      rpc: { secret: SECRET },
      // Recipients are refused unless listed (docs/security.md): this one is allowed.
      sms: { port: modem.path, poll_seconds: 5, allowed_recipients: ['+33612345678'] },
      bridge: { install: true, config_dir: ha.configDir },
    });
    monitor.start();
  });

  after(async () => {
    await monitor?.dispose();
    await ha?.dispose();
    await modem?.dispose();
    await broker?.dispose();
  });

  test('Monitor installs the integration and asks, in French, for a restart', async () => {
    const manifest = join(ha.configDir, 'custom_components/monitor_bridge/manifest.json');
    await until('custom_components/monitor_bridge installed by Monitor', async () =>
      existsSync(manifest) ? true : undefined,
    );
    assert.equal(
      JSON.parse(readFileSync(manifest, 'utf8')).version,
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    );
    type Notification = { notification_id: string; title: string };
    const note = await until('the restart notification', async () => {
      const list = await (await ha.ws()).send<Notification[]>({ type: 'persistent_notification/get' });
      return list.find((n) => n.notification_id === 'monitor_bridge_restart');
    });
    assert.match(note.title, /^Redémarrez Home Assistant pour Monitor bridge /);
    await ha.restart();
  });

  test('set up through its config flow over the REST API: the node heard, the secret', async () => {
    let step = await api<FlowStep & { description_placeholders?: Record<string, string> }>(
      'POST',
      '/api/config/config_entries/flow',
      { handler: 'monitor_bridge' },
    );
    assert.equal(step.type, 'form', JSON.stringify(step));
    assert.equal(step.description_placeholders?.nodes, NODE);
    step = await api('POST', `/api/config/config_entries/flow/${step.flow_id}`, {
      node: NODE,
      secret: SECRET,
    });
    assert.equal(step.type, 'create_entry', JSON.stringify(step));
    assert.equal((step as { result?: { state?: string } }).result?.state, 'loaded');
  });

  test('an SMS typed into the simulated modem fires monitor_bridge_sms_received', async () => {
    type Fired = { data: Record<string, unknown> };
    const seen: Fired[] = [];
    const unsubscribe = await (await ha.ws()).subscribeEvents<Fired>('monitor_bridge_sms_received', (ev) => {
      seen.push(ev);
    });
    const rpc = await Recorder.open(broker.url, [`monitor/${NODE}/rpc/#`]);
    const probe = await mqtt.connectAsync(broker.url);
    const probes: Fired[] = [];
    const unsubscribeProbe = await (await ha.ws()).subscribeEvents<Fired>('monitor_bridge_badge', (ev) => {
      probes.push(ev);
    });
    try {
      // HA's MQTT client sends subscriptions after a cooldown: wait until one notification
      // gets through before typing the SMS.
      await until('a probe notification to come through', async () => {
        await probe.publishAsync(
          `monitor/${NODE}/rpc/notify/badge`,
          JSON.stringify({ uid: 'probe', event_id: `p${Date.now()}` }),
          { qos: 1 },
        );
        await new Promise((r) => setTimeout(r, 500));
        return probes[0];
      });
      modem.sim.receive({ from: '+33698765432', text: 'Rentrés à 19 h, tout va bien' });
      const ev = await until('monitor_bridge_sms_received', async () => seen[0], 30_000).catch((err) => {
        const wire = rpc.messages
          .map((m) => `${new Date(m.at).toISOString()} ${m.topic} ${m.payload}`)
          .join('\n');
        const problems = readFileSync(join(ha.configDir, 'home-assistant.log'), 'utf8')
          .split('\n')
          .filter((l) => /monitor_bridge|mqtt/i.test(l))
          .slice(-40)
          .join('\n');
        throw new Error(
          `${err.message}\n--- RPC topics:\n${wire}\n--- HA:\n${problems}\n--- monitor:\n${monitor.output()}`,
        );
      });
      assert.equal(ev.data.node, NODE);
      assert.equal(ev.data.from, '+33698765432');
      assert.equal(ev.data.text, 'Rentrés à 19 h, tout va bien');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(seen.length, 1, 'fired once');
    } finally {
      await rpc.close();
      await unsubscribeProbe();
      await probe.endAsync();
      await unsubscribe();
    }
  });

  test('monitor_bridge.send_sms with return_response goes out through the simulated modem', async () => {
    const text = 'Alarme : fumée détectée au salon';
    type Response = { service_response: { results: Array<Record<string, unknown>> } };
    const res = await api<Response>('POST', '/api/services/monitor_bridge/send_sms?return_response', {
      target: ['+33612345678'],
      message: text,
      wait: 'sent',
      wait_timeout: 30,
    });
    const sub = modem.sim.submitted.find((x) => x.decoded?.text === text);
    assert.ok(sub, `the modem received the SMS: ${modem.sim.commands.slice(-8).join(' | ')}`);
    assert.equal(sub.decoded?.address, '+33612345678');
    const [result, ...others] = res.service_response.results;
    assert.equal(others.length, 0);
    assert.equal(result?.status, 'sent', JSON.stringify(res.service_response));
    assert.equal(typeof result?.id, 'string');
  });

  test('a node that does not answer, and invalid input: HA reports the translated errors', async () => {
    const c = await ha.ws();
    await assert.rejects(
      c.callService('monitor_bridge', 'enable_user', { username: 'alice', node: 'ghost' }),
      {
        message: "Monitor node 'ghost' did not answer within 10 s: is the add-on running?",
      },
    );
    // HA's websocket prefixes a ServiceValidationError with "Validation error: ".
    await assert.rejects(c.callService('monitor_bridge', 'enable_user', { username: '' }), {
      message: /Invalid input for enable_user: .*'username'/,
    });
  });

  test("the integration serves the cards' bundle of this build", async () => {
    const res = await fetch(`${ha.url}/monitor_bridge/monitor-cards.js`);
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(ROOT, 'dist/monitor-cards.js'))));
  });
});
