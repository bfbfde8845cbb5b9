/** Every CLI command. Each module adds its commands here. */
import type { Command } from '../types.js';
import { configCheck, configSchemaCmd } from './config.js';
import { demoCmd } from './demo.js';
import { ticParse, ticProbe } from './linky.js';
import { runCmd } from './run.js';

export const COMMANDS: Command[] = [runCmd, demoCmd, configCheck, configSchemaCmd, ticParse, ticProbe];
