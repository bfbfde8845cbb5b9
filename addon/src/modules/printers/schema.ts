import type { JsonSchema } from '../../config/json-schema.js';

/** Section `printers`: the 3D printer fleet (docs/printers.md). */
export const printersSchema: JsonSchema = {
  title: '3D printers',
  description: 'OctoPrint, Moonraker (Klipper) and OctoPrint Prometheus exporters, watched live.',
  type: 'object',
  additionalProperties: false,
  properties: {
    list: {
      title: 'Printers',
      description:
        'One entry per printer (one OctoPrint instance, one Moonraker, or one exporter). Each becomes a Home Assistant device.',
      type: 'array',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'url'],
        properties: {
          name: {
            title: 'Name',
            description: 'Device name in Home Assistant; its slug is the device id in MQTT topics.',
            type: 'string',
            minLength: 1,
            maxLength: 64,
          },
          type: {
            title: 'Type',
            description:
              'octoprint (REST + push websocket), moonraker (REST + websocket subscription) or prometheus (metrics page, read-only).',
            type: 'string',
            enum: ['octoprint', 'moonraker', 'prometheus'],
            default: 'octoprint',
          },
          url: {
            title: 'URL',
            description:
              'Base URL, e.g. http://octopi.local, http://klipper.local:7125; for prometheus the metrics page (http://pi:8000/metrics) or the OctoPrint URL (tries /metrics then /plugin/prometheus_exporter/metrics).',
            type: 'string',
            pattern: '^https?://[^\\s]+$',
          },
          api_key: {
            title: 'API key',
            description:
              'OctoPrint application/user API key, or Moonraker API key if it requires one (sent as X-Api-Key, never logged). May be "${ENV_NAME}".',
            type: 'string',
            default: '',
          },
          interval: {
            title: 'Polling interval',
            description:
              'Seconds between REST polls when no push channel is available (always for prometheus), and between retries of an offline printer.',
            type: 'number',
            minimum: 1,
            maximum: 3600,
            default: 10,
          },
          timeout: {
            title: 'Timeout',
            description: 'Seconds to wait for an answer before calling the printer offline.',
            type: 'number',
            minimum: 0.5,
            maximum: 120,
            default: 5,
          },
          push: {
            title: 'Push updates',
            description:
              'Use the push websocket (OctoPrint /sockjs/websocket, Moonraker /websocket) for changes within a second; false polls only.',
            type: 'boolean',
            default: true,
          },
          snapshot_url: {
            title: 'Snapshot URL',
            description:
              'Camera snapshot URL for the image entity; empty: the webcam the printer reports, else the G-code thumbnail.',
            type: 'string',
            default: '',
          },
        },
      },
    },
  },
};
