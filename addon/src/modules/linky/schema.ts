import type { JsonSchema } from '../../config/json-schema.js';

const price = (title: string): JsonSchema => ({
  title,
  description: `${title}, in currency units per kWh (tax included). 0: not used.`,
  type: 'number',
  minimum: 0,
  default: 0,
});

/** Section `linky`: the electricity meter(s), live from the TIC and history from Enedis. */
export const linkySchema: JsonSchema = {
  title: 'Linky meter',
  description: 'Live values from the TIC serial output and history from Enedis (Conso API).',
  type: 'object',
  additionalProperties: false,
  properties: {
    meters: {
      title: 'Meters',
      description: 'One entry per TIC adapter (each meter is its own device, its id in the unique ids).',
      type: 'array',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['port'],
        properties: {
          port: {
            title: 'Serial port',
            description: 'TIC adapter, e.g. /dev/serial/by-id/usb-… (survives a replug).',
            type: 'string',
            minLength: 1,
          },
          name: {
            title: 'Name',
            description: 'Device name in Home Assistant; empty: "Linky <meter id>".',
            type: 'string',
            default: '',
          },
          baud: {
            title: 'Speed',
            description: 'auto (try 1200 then 9600), 1200 (historic mode) or 9600 (standard mode).',
            type: 'string',
            enum: ['auto', '1200', '9600'],
            default: 'auto',
          },
          mode: {
            title: 'TIC mode',
            description: 'auto (from the separators), historic or standard.',
            type: 'string',
            enum: ['auto', 'historic', 'standard'],
            default: 'auto',
          },
        },
      },
    },
    availability_timeout_s: {
      title: 'Availability timeout',
      description: 'A meter with no valid frame for this many seconds is shown unavailable.',
      type: 'integer',
      minimum: 5,
      maximum: 3600,
      default: 30,
    },
    timezone: {
      title: 'Time zone',
      description: 'Time zone of the meter and of Enedis data (days, daily maximum power).',
      type: 'string',
      default: 'Europe/Paris',
    },
    power_min_interval_s: {
      title: 'Power publishing interval',
      description: 'Powers and currents are published at most this often (indexes and tariffs at once).',
      type: 'number',
      minimum: 0,
      maximum: 300,
      default: 5,
    },
    power_deadband_va: {
      title: 'Power deadband',
      description: 'A power change smaller than this (VA) is not published.',
      type: 'number',
      minimum: 0,
      default: 10,
    },
    index_guard_margin: {
      title: 'Index guard margin',
      description:
        'An index growing faster than subscribed power × this margin since the previous frame is held back (corrupted frame).',
      type: 'number',
      minimum: 1,
      maximum: 10,
      default: 1.5,
    },
    enedis: {
      title: 'Enedis history',
      description:
        'History and costs into Home Assistant statistics through Conso API (needs homeassistant.*).',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        token: {
          title: 'Token',
          description:
            'Conso API token (conso.boris.sh), never logged. May be "${ENV_NAME}". Empty: disabled.',
          type: 'string',
          default: '',
        },
        prms: {
          title: 'PRMs',
          description: 'Delivery points (14 digits) to import; empty: every PRM the token gives access to.',
          type: 'array',
          items: { type: 'string', pattern: '^\\d{14}$' },
          default: [],
        },
        base_url: {
          title: 'API URL',
          description: 'Conso API base URL.',
          type: 'string',
          default: 'https://conso.boris.sh/api',
        },
        production: {
          title: 'Production',
          description: 'Also import production (for producers).',
          type: 'boolean',
          default: false,
        },
        backfill_days: {
          title: 'Back-fill',
          description: 'How many days of history to import the first time (at most 365).',
          type: 'integer',
          minimum: 1,
          maximum: 365,
          default: 365,
        },
        hourly_days: {
          title: 'Hourly history',
          description: 'Recent days imported hour by hour from the load curve; older days as daily totals.',
          type: 'integer',
          minimum: 0,
          maximum: 365,
          default: 14,
        },
        sync_hour: {
          title: 'Sync hour',
          description:
            'Daily sync at a random minute after this local hour (data is published around 08:00).',
          type: 'integer',
          minimum: 0,
          maximum: 22,
          default: 8,
        },
      },
    },
    offpeak_hours: {
      title: 'Off-peak hours',
      description: 'For costs of HP/HC contracts, e.g. ["22:00-06:00"] (local time).',
      type: 'array',
      items: { type: 'string', pattern: '^\\d{2}:\\d{2}-\\d{2}:\\d{2}$' },
      default: [],
    },
    prices: {
      title: 'Prices',
      description:
        'Energy prices with their date ranges, for the cost statistics. Empty: no cost statistics.',
      type: 'array',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          from: {
            title: 'From',
            description: 'First day (YYYY-MM-DD) these prices apply; empty: since always.',
            type: 'string',
            default: '',
          },
          to: {
            title: 'To',
            description: 'Last day (YYYY-MM-DD) these prices apply; empty: still in force.',
            type: 'string',
            default: '',
          },
          base: price('Base price'),
          hc: price('Off-peak price'),
          hp: price('Peak price'),
          tempo_blue_hc: price('Tempo blue off-peak price'),
          tempo_blue_hp: price('Tempo blue peak price'),
          tempo_white_hc: price('Tempo white off-peak price'),
          tempo_white_hp: price('Tempo white peak price'),
          tempo_red_hc: price('Tempo red off-peak price'),
          tempo_red_hp: price('Tempo red peak price'),
          subscription_per_month: {
            title: 'Subscription',
            description: 'Fixed part per month (spread over the days).',
            type: 'number',
            minimum: 0,
            default: 0,
          },
        },
      },
    },
  },
};
