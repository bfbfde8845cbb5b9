import type { JsonSchema } from '../../config/json-schema.js';

/** Section `users`: the registry of people (PIN hashes, phones, badges, rights). */
export const usersSchema: JsonSchema = {
  title: 'Users',
  description:
    'The one registry of people used by the alarm and SMS commands: PINs (stored hashed), phones, RFID/NFC badges, rights. Managed over RPC (monitor_bridge services) or with `monitor users`.',
  type: 'object',
  additionalProperties: false,
  properties: {
    min_pin_length: {
      title: 'Minimum PIN length',
      description: 'Digits a PIN must have at least.',
      type: 'integer',
      minimum: 4,
      maximum: 12,
      default: 4,
    },
    default_country: {
      title: 'Default country',
      description: 'Country of national phone numbers (0612…), for E.164 normalisation.',
      type: 'string',
      default: 'FR',
    },
  },
};
