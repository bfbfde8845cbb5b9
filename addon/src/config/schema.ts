/**
 * The one JSON Schema of Monitor's configuration. It is the source of:
 * - the TypeScript type (`types.generated.ts`, made by `npm run gen`, checked by a test),
 * - the validation (Ajv, every problem at once as `path: problem`),
 * - the documentation (`docs/configuration.md`, also generated).
 * Every key has a title, a description and, unless its presence means something, a default.
 * Module sections (`sms`, `linky`, `printers`, `alarm`) have no default: a module runs when
 * its section is present.
 */
import { alarmSchema } from '../modules/alarm/schema.js';
import { linkySchema } from '../modules/linky/schema.js';
import { printersSchema } from '../modules/printers/schema.js';
import { smsSchema } from '../modules/sms/schema.js';
import type { JsonSchema } from './json-schema.js';

const logLevel: JsonSchema = { type: 'string', enum: ['debug', 'info', 'warn', 'error', 'silent'] };

export const configSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/monitor-ha/monitor/config.schema.json',
  title: 'MonitorConfig',
  description: 'Configuration of the Monitor add-on.',
  type: 'object',
  additionalProperties: false,
  properties: {
    node_id: {
      title: 'Node id',
      description:
        'Unique id of this running instance, used in MQTT topics and unique ids, so that several hosts can share one broker. Lowercase letters, digits and underscores.',
      type: 'string',
      pattern: '^[a-z0-9_]{1,32}$',
      default: 'monitor',
    },
    language: {
      title: 'Language',
      description: 'Language of entity names and messages: fr, en, or auto (from the process locale).',
      type: 'string',
      enum: ['auto', 'fr', 'en'],
      default: 'auto',
    },
    data_dir: {
      title: 'Data directory',
      description:
        'Where journals (SMS outbox, received messages) and state are kept. Empty: /data inside the add-on, otherwise a "monitor-data" directory beside the configuration file.',
      type: 'string',
      default: '',
    },
    log: {
      title: 'Logging',
      description: 'Log levels, globally and per module namespace (e.g. "sms", "mqtt").',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        level: {
          ...logLevel,
          title: 'Default level',
          description: 'Level for every namespace without its own.',
          default: 'info',
        },
        levels: {
          title: 'Levels per namespace',
          description: 'For instance {"sms": "debug"}.',
          type: 'object',
          additionalProperties: logLevel,
          default: {},
        },
      },
    },
    mqtt: {
      title: 'MQTT',
      description: 'The broker Home Assistant listens to. Inside the add-on the Supervisor provides it.',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        url: {
          title: 'Broker URL',
          description: 'mqtt://host:1883 or mqtts://host:8883.',
          type: 'string',
          default: 'mqtt://localhost:1883',
        },
        username: {
          title: 'User name',
          description: 'Broker user name, if the broker asks for one.',
          type: 'string',
          default: '',
        },
        password: {
          title: 'Password',
          description: 'Broker password (never logged). May be "${ENV_NAME}".',
          type: 'string',
          default: '',
        },
        client_id: {
          title: 'Client id',
          description: 'MQTT client id; empty: monitor_<node_id>.',
          type: 'string',
          default: '',
        },
        base_topic: {
          title: 'Base topic',
          description: 'Root of Monitor topics.',
          type: 'string',
          pattern: '^[^#+]+$',
          default: 'monitor',
        },
        discovery_prefix: {
          title: 'Discovery prefix',
          description: "Home Assistant's discovery prefix.",
          type: 'string',
          pattern: '^[^#+]+$',
          default: 'homeassistant',
        },
        protocol_version: {
          title: 'Protocol version',
          description: '5 (MQTT 5, falls back to 3.1.1 if the broker refuses) or 4 (3.1.1 only).',
          type: 'integer',
          enum: [4, 5],
          default: 5,
        },
        keepalive: {
          title: 'Keepalive',
          description: 'Seconds between pings.',
          type: 'integer',
          minimum: 5,
          maximum: 3600,
          default: 30,
        },
        reconnect_max_seconds: {
          title: 'Reconnect backoff cap',
          description: 'Longest wait between reconnect attempts, in seconds.',
          type: 'integer',
          minimum: 1,
          maximum: 600,
          default: 30,
        },
        tls: {
          title: 'TLS',
          description: 'Certificates for mqtts:// (paths to PEM files).',
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            ca: {
              title: 'CA file',
              description: 'Path of the CA certificate (PEM).',
              type: 'string',
              default: '',
            },
            cert: {
              title: 'Client certificate',
              description: 'Path of the client certificate (PEM).',
              type: 'string',
              default: '',
            },
            key: {
              title: 'Client key',
              description: 'Path of the client key (PEM).',
              type: 'string',
              default: '',
            },
            reject_unauthorized: {
              title: 'Verify server',
              description: 'Refuse a server whose certificate does not verify.',
              type: 'boolean',
              default: true,
            },
          },
        },
      },
    },
    discovery: {
      title: 'Discovery and states',
      description: 'How entities and their states are published.',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        birth_topic: {
          title: 'Birth topic',
          description: 'Home Assistant announces itself here (payload "online").',
          type: 'string',
          default: 'homeassistant/status',
        },
        coalesce_ms: {
          title: 'Coalescing window',
          description: 'State updates of one device within this many milliseconds are sent as one message.',
          type: 'integer',
          minimum: 0,
          maximum: 10000,
          default: 50,
        },
        refresh_minutes: {
          title: 'Refresh period',
          description: 'Every state is re-sent this often even when unchanged (0: never).',
          type: 'number',
          minimum: 0,
          default: 10,
        },
        birth_min_interval_seconds: {
          title: 'Minimum time between republishes',
          description:
            "Home Assistant's birth message (homeassistant/status online) makes Monitor republish every discovery config and state; any client of the broker can send it, so it is answered at most once in this many seconds (a birth inside the window is answered at its end).",
          type: 'number',
          minimum: 0,
          maximum: 3600,
          default: 30,
        },
        republish_delay_ms: {
          title: 'Republish delay',
          description: 'Longest random delay before republishing after Home Assistant restarts.',
          type: 'integer',
          minimum: 0,
          maximum: 60000,
          default: 2000,
        },
        orphan_grace_seconds: {
          title: 'Orphan cleanup delay',
          description:
            'Seconds after connecting before the discovery configs, states and availability that earlier runs of this node_id left on the broker, and that nothing declares anymore (a removed module section, a renamed printer, a replaced meter), are cleared (0: never clear them).',
          type: 'number',
          minimum: 0,
          maximum: 86400,
          default: 300,
        },
      },
    },
    homeassistant: {
      title: 'Home Assistant websocket',
      description:
        'Optional: needed for statistics import and service calls. Inside the add-on the Supervisor token is used when no token is given.',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        url: {
          title: 'URL',
          description:
            'e.g. http://homeassistant.local:8123 ; empty: the Supervisor inside the add-on, otherwise disabled.',
          type: 'string',
          default: '',
        },
        token: {
          title: 'Long-lived token',
          description: 'Profile → Security → Long-lived access tokens (never logged). May be "${ENV_NAME}".',
          type: 'string',
          default: '',
        },
      },
    },
    rpc: {
      title: 'RPC for the monitor_bridge integration',
      description:
        'Requests from Home Assistant (send_sms, users, alarm) are signed with a per-installation secret (docs/rpc.md, docs/security.md).',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        secret: {
          title: 'Secret',
          description:
            'The key the monitor_bridge integration signs requests with (never logged). Empty: a random one generated on first start and kept in <data_dir>/rpc.secret (mode 0600); "monitor rpc secret" prints it. May be "${ENV_NAME}". At least 16 characters.',
          type: 'string',
          default: '',
        },
        require_signature: {
          title: 'Require signatures',
          description:
            'Refuse unsigned requests (error 5). Turn off only on a broker where every client is trusted.',
          type: 'boolean',
          default: true,
        },
      },
    },
    sms: smsSchema,
    linky: linkySchema,
    printers: printersSchema,
    alarm: alarmSchema,
  },
};
