/** Runs a real App (MQTT to a real Mosquitto) with the sms module on a given port. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../../addon/src/app.js';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { TEST_RPC_SECRET } from '../helpers/rpc.js';

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
) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'sms-app-'));
  const level = (process.env.MONITOR_LOG_LEVEL as 'silent') ?? 'silent';
  const config = loadConfigObject(
    {
      node_id: nodeId,
      data_dir: dir,
      language: 'en',
      log: { level },
      mqtt: { url: mqttUrl },
      rpc: { secret: TEST_RPC_SECRET },
      discovery: { republish_delay_ms: 0, coalesce_ms: 20 },
      sms,
    },
    {},
    'en',
  );
  const app = new App(config, { logRoot: new LoggerRoot({ level }), env: {} });
  await app.start();
  return { app, dir };
}
