/**
 * Every CLI command. Each module adds its commands here.
 *
 * A command file holds only what `--help` shows (path, usage, summary) and imports the code it
 * runs inside `run()`: the bundle keeps that code in chunks of its own (rollup.config.mjs), so
 * `monitor run` does not parse the demo's simulators or the SMS codec it never calls, and
 * `monitor sms decode` does not parse the MQTT client.
 */
import type { Command } from '../types.js';
import { configCheck, configSchemaCmd } from './config.js';
import { demoCmd } from './demo.js';
import { ticParse, ticProbe } from './linky.js';
import { printersProbeCmd } from './printers.js';
import { rpcSecretCmd } from './rpc.js';
import { runCmd } from './run.js';
import { installServiceCmd } from './service.js';
import { modemProbeCmd, smsDecodeCmd, smsEncodeCmd } from './sms.js';
import { USERS_COMMANDS } from './users.js';

export const COMMANDS: Command[] = [
  runCmd,
  demoCmd,
  configCheck,
  configSchemaCmd,
  rpcSecretCmd,
  smsDecodeCmd,
  smsEncodeCmd,
  modemProbeCmd,
  ticParse,
  ticProbe,
  printersProbeCmd,
  ...USERS_COMMANDS,
  installServiceCmd,
];
