import type { JsonSchema } from '../../config/json-schema.js';

/** Section `linky`: the electricity meter. Filled in by the linky module. */
export const linkySchema: JsonSchema = {
  title: 'Linky meter',
  description: 'Live values from the TIC serial output and history from Enedis.',
  type: 'object',
  additionalProperties: false,
  properties: {
    port: { title: 'Serial port', description: 'TIC adapter, e.g. /dev/serial/by-id/usb-…', type: 'string' },
  },
};
