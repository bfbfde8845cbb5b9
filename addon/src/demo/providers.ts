/**
 * Simulated devices for `monitor demo`. Each module adds its provider here: it starts a
 * simulator and returns the config section that points the module at it.
 */
import type { Lang } from '../core/i18n.js';
import type { Logger } from '../core/logger.js';
import { alarmDemo, usersDemo } from '../modules/alarm/demo.js';
import { linkyDemo } from '../modules/linky/demo.js';
import { printersDemo } from '../modules/printers/sim/demo.js';
import { smsDemo } from '../modules/sms/demo.js';
import { cardsPreviewDemo } from './cards-preview.js';

export interface DemoContext {
  dataDir: string;
  log: Logger;
  lang: Lang;
  mqttUrl: string;
  /** Where Monitor's topics are: `<baseTopic>/<nodeId>/…`. */
  baseTopic: string;
  nodeId: string;
}

export interface DemoHandle {
  /** Config section name (`sms`, `linky`, …) and its content, if the provider feeds a module. */
  section?: { name: string; value: Record<string, unknown> };
  /** Lines printed to tell the user what runs and how to play with it. */
  lines: string[];
  stop(): Promise<void>;
}

export interface DemoProvider {
  name: string;
  start(ctx: DemoContext): Promise<DemoHandle>;
}

export const DEMO_PROVIDERS: DemoProvider[] = [
  smsDemo,
  linkyDemo,
  printersDemo,
  usersDemo,
  alarmDemo,
  cardsPreviewDemo,
];
