import type { JsonSchema } from '../../config/json-schema.js';

/** Section `printers`: the 3D printer fleet. Filled in by the printers module. */
export const printersSchema: JsonSchema = {
  title: '3D printers',
  description: 'OctoPrint, Moonraker and Prometheus exporters.',
  type: 'object',
  additionalProperties: false,
  properties: {
    list: {
      title: 'Printers',
      description: 'One entry per printer.',
      type: 'array',
      default: [],
      items: {
        type: 'object',
        required: ['name', 'url'],
        properties: { name: { type: 'string' }, url: { type: 'string' } },
      },
    },
  },
};
