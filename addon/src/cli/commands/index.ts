/** Every CLI command. Each module adds its commands here. */
import type { Command } from '../types.js';
import { configCheck, configSchemaCmd } from './config.js';
import { demoCmd } from './demo.js';
import { printersProbeCmd } from './printers.js';
import { runCmd } from './run.js';

export const COMMANDS: Command[] = [runCmd, demoCmd, configCheck, configSchemaCmd, printersProbeCmd];
