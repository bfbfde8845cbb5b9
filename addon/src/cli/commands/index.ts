/** Every CLI command. Each module adds its commands here. */
import type { Command } from '../types.js';
import { configCheck, configSchemaCmd } from './config.js';
import { demoCmd } from './demo.js';
import { ticParse, ticProbe } from './linky.js';
import { printersProbeCmd } from './printers.js';
import { rpcSecretCmd } from './rpc.js';
import { runCmd } from './run.js';
import { modemProbeCmd, smsDecodeCmd, smsEncodeCmd } from './sms.js';

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
];
