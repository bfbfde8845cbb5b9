/** Runs a real App (MQTT to a real Mosquitto) with the sms module on a given port. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../../addon/src/app.js';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { LoggerRoot, type LogSink } from '../../addon/src/core/logger.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { TEST_RPC_SECRET } from '../helpers/rpc.js';
import { SimOnPty, type SimOnPtyOptions } from './helpers.js';

export function smsSection(port: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    port,
    command_timeout_seconds: 1,
    send_timeout_seconds: 3,
    watchdog_seconds: 1,
    poll_seconds: 1,
    retry_initial_seconds: 0.2,
    reassembly_timeout_seconds: 2,
    default_recipients: ['0600000001'],
    allowed_recipients: ['+336*', '+337*'],
    commands: {
      authorized_senders: ['06 12 34 56 78'],
      pin: '4321',
      max_pin_failures: 3,
      lockout_minutes: 30,
    },
    ...extra,
  };
}

export async function startApp(
  mqttUrl: string,
  sms: Record<string, unknown>,
  dataDir?: string,
  nodeId = 't1',
  sink?: LogSink,
  mqttExtra: Record<string, unknown> = {},
) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'sms-app-'));
  const level = (process.env.MONITOR_LOG_LEVEL as 'silent') ?? 'silent';
  const config = loadConfigObject(
    {
      node_id: nodeId,
      data_dir: dir,
      language: 'en',
      log: { level: sink ? 'debug' : level },
      mqtt: { url: mqttUrl, ...mqttExtra },
      rpc: { secret: TEST_RPC_SECRET },
      discovery: { republish_delay_ms: 0, coalesce_ms: 20 },
      sms,
    },
    {},
    'en',
  );
  const app = new App(config, { logRoot: new LoggerRoot({ level: sink ? 'debug' : level, sink }), env: {} });
  await app.start();
  return { app, dir };
}

/**
 * The set-up of the sms module's end-to-end files: a Mosquitto, a recorder of every
 * `monitor/` and `homeassistant/` message, the modem simulator on a pty, and an App with the
 * sms module on that pty under node `nodeId`.
 */
export class SmsRig {
  readonly broker = new Mosquitto();
  rec!: Recorder;
  sim!: SimOnPty;
  app!: App;
  dir!: string;

  constructor(readonly nodeId: string) {}

  /** `monitor/<node>/sms`. */
  get topic(): string {
    return `monitor/${this.nodeId}/sms`;
  }

  /** `sms`: the module's section for the simulator's port. */
  async start(
    simOptions: SimOnPtyOptions,
    sms: (port: string) => Record<string, unknown>,
    sink?: LogSink,
  ): Promise<this> {
    await this.broker.start();
    this.rec = await Recorder.open(this.broker.url, ['monitor/#', 'homeassistant/#']);
    this.sim = await new SimOnPty(simOptions).start();
    ({ app: this.app, dir: this.dir } = await startApp(
      this.broker.url,
      sms(this.sim.path),
      undefined,
      this.nodeId,
      sink,
    ));
    return this;
  }

  /** Resolves when the module reports itself online (the modem initialised). */
  online(): Promise<unknown> {
    return this.rec.waitFor(
      (m) => m.topic === `${this.topic}/availability` && m.payload === 'online',
      10_000,
    );
  }

  /** What the modem sent to `to` (decoded submissions). */
  submittedTo(to: string) {
    return this.sim.sim.submitted.filter((s) => s.decoded?.address === to);
  }

  async dispose(): Promise<void> {
    await this.app?.stop();
    await this.rec?.close();
    await this.sim?.dispose();
    await this.broker.dispose();
  }
}
