/**
 * A real App with the users and alarm modules, a real Mosquitto and the fake Home Assistant
 * websocket; helpers to call RPC methods as monitor_bridge does and to watch the alarm.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../../addon/src/app.js';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import type { ModuleFactory } from '../../addon/src/core/module.js';
import { FakeHa } from '../helpers/fake-ha.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { rpcRequest, TEST_RPC_SECRET } from '../helpers/rpc.js';

// biome-ignore lint/suspicious/noExplicitAny: replies and states are JSON that assertions read.
export type Json = any;

export const NODE = 'ta';
export const T = {
  state: `monitor/${NODE}/alarm/state`,
  panel: `monitor/${NODE}/alarm/panel/set`,
  badge: `monitor/${NODE}/alarm/badge/set`,
  event: `monitor/${NODE}/alarm/event/event`,
  notify: (n: string) => `monitor/${NODE}/rpc/notify/${n}`,
};

/**
 * Short delays so that the real timers of a whole scenario take a few seconds, but not so short
 * that on a loaded machine two transitions fall in one coalescing window (HA would then see the
 * last state only, which is fine, but a test waiting for `arming` would not).
 */
export function alarmSection(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    modes: {
      away: { exit_delay: 1, entry_delay: 1, trigger_time: 1 },
      home: { exit_delay: 0, entry_delay: 1, trigger_time: 1, sensors: ['binary_sensor.front_door'] },
    },
    sensors: [
      { entity_id: 'binary_sensor.front_door', name: 'Front door', delayed: true },
      { entity_id: 'binary_sensor.hall_motion', name: 'Hall motion' },
      { entity_id: 'binary_sensor.kitchen_window', name: 'Kitchen window', when_open: 'bypass' },
    ],
    sirens: ['siren.hall'],
    lights: ['light.porch'],
    lockout_minutes: 1,
    ...extra,
  };
}

export class AlarmHarness {
  readonly broker = new Mosquitto();
  readonly ha = new FakeHa();
  rec!: Recorder;
  app: App | undefined;
  dataDir = mkdtempSync(join(tmpdir(), 'alarm-app-'));
  readonly smsSent: Array<{ to: string[]; text: string }> = [];
  private seq = 0;

  async start(): Promise<this> {
    await this.broker.start();
    await this.ha.start();
    this.rec = await Recorder.open(this.broker.url, ['monitor/#', 'homeassistant/#']);
    return this;
  }

  /** `modules`: factories to use instead of the build's (a module with a test clock). */
  async startApp(
    sections: Record<string, unknown>,
    modules?: Record<string, ModuleFactory<unknown>>,
  ): Promise<App> {
    const level = (process.env.MONITOR_LOG_LEVEL as 'silent') ?? 'silent';
    const config = loadConfigObject(
      {
        node_id: NODE,
        data_dir: this.dataDir,
        language: 'en',
        log: { level },
        mqtt: { url: this.broker.url },
        homeassistant: { url: this.ha.httpUrl, token: this.ha.token },
        rpc: { secret: TEST_RPC_SECRET },
        discovery: { republish_delay_ms: 0, coalesce_ms: 10 },
        ...sections,
      },
      {},
      'en',
    );
    const app = new App(config, { logRoot: new LoggerRoot({ level }), env: {}, modules });
    app.bus.on('smsSend', (e) => {
      this.smsSent.push({ to: e.to, text: e.text });
    });
    await app.start();
    this.app = app;
    await app.ha?.ready(5000);
    return app;
  }

  async stopApp(): Promise<void> {
    await this.app?.stop();
    this.app = undefined;
  }

  async dispose(): Promise<void> {
    await this.stopApp();
    await this.rec.close();
    await this.ha.stop();
    await this.broker.dispose();
  }

  /** A request as monitor_bridge sends it (signed); resolves with the reply. */
  async rpc(
    method: string,
    params: Record<string, unknown> = {},
  ): Promise<{ ok: boolean; result?: Json; error?: Json }> {
    const id = `c${++this.seq}`;
    const wait = this.rec.waitFor(
      (m) => m.topic === `monitor/${NODE}/rpc/${method}/reply` && JSON.parse(m.payload).id === id,
      10_000,
    );
    await this.rec.client.publishAsync(`monitor/${NODE}/rpc/${method}`, rpcRequest(method, params, id), {
      qos: 1,
    });
    return JSON.parse((await wait).payload);
  }

  publish(topic: string, payload: string): Promise<unknown> {
    return this.rec.client.publishAsync(topic, payload, { qos: 1 });
  }

  /** The next published alarm state equal to `state` (after `since`, a message count). */
  stateIs(state: string, since = 0, timeoutMs = 8000): Promise<Record<string, Json>> {
    return this.nextJson(T.state, 'state', state, since, timeoutMs, `alarm state ${state}`);
  }

  mark(): number {
    return this.rec.messages.length;
  }

  events(type?: string, since = 0): Array<Record<string, Json>> {
    return this.rec.messages
      .slice(since)
      .filter((m) => m.topic === T.event)
      .map((m) => JSON.parse(m.payload))
      .filter((e) => !type || e.event_type === type);
  }

  event(type: string, since = 0, timeoutMs = 5000): Promise<Record<string, Json>> {
    return this.nextJson(T.event, 'event_type', type, since, timeoutMs, `alarm event ${type}`);
  }

  /** The next JSON message on `topic` (after `since`) whose `field` is `value`: states and events are awaited alike. */
  private async nextJson(
    topic: string,
    field: string,
    value: string,
    since: number,
    timeoutMs: number,
    what: string,
  ): Promise<Record<string, Json>> {
    const m = await this.rec
      .waitFor(
        (x) =>
          this.rec.messages.indexOf(x) >= since &&
          x.topic === topic &&
          JSON.parse(x.payload)[field] === value,
        timeoutMs,
      )
      .catch((err: Error) => {
        throw new Error(`${what}: ${err.message}`);
      });
    return JSON.parse(m.payload);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
