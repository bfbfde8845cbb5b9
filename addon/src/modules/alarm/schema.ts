import type { JsonSchema } from '../../config/json-schema.js';

/**
 * Section `alarm`: reserved. The alarm module (users, PINs, phones, RFID badges) arrives in a
 * later release; a present section is reported by `monitor config check` and ignored.
 */
export const alarmSchema: JsonSchema = {
  title: 'Alarm',
  description: 'Reserved for the alarm module (not yet available in this version).',
  type: 'object',
};
