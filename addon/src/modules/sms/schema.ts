import type { JsonSchema } from '../../config/json-schema.js';

/** Section `sms`: the GSM modem. Filled in by the sms module. */
export const smsSchema: JsonSchema = {
  title: 'SMS gateway',
  description: 'A GSM modem on a serial port: SMS alerts and SMS commands.',
  type: 'object',
  additionalProperties: false,
  required: ['port'],
  properties: {
    port: {
      title: 'Serial port',
      description: 'Prefer a /dev/serial/by-id/… path: it survives a replug.',
      type: 'string',
    },
  },
};
