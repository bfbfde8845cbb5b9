import type { JsonSchema } from '../../config/json-schema.js';

const keyword: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['keyword'],
  properties: {
    keyword: {
      title: 'Keyword',
      description: 'First word of the SMS (case and accents ignored), e.g. "Alon".',
      type: 'string',
      pattern: '^\\S+$',
    },
    action: {
      title: 'Bus action',
      description: 'Action offered by another module, e.g. "alarm.arm_away". Either this or service.',
      type: 'string',
      default: '',
    },
    service: {
      title: 'Home Assistant service',
      description:
        'domain.service called through the websocket, e.g. "light.turn_on". Either this or action.',
      type: 'string',
      default: '',
    },
    data: {
      title: 'Data',
      description: 'Fixed data passed to the action or service (never taken from the SMS).',
      type: 'object',
      default: {},
    },
    require_pin: {
      title: 'Require the PIN',
      description: 'The SMS must be "<keyword> <PIN>".',
      type: 'boolean',
      default: false,
    },
  },
};

/** Section `sms`: the GSM modem, the outbox and SMS commands. */
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
    baud: {
      title: 'Baud rate',
      description: 'Serial speed; 0 detects it among 115200, 9600, 57600, 38400, 19200.',
      type: 'integer',
      minimum: 0,
      default: 115200,
    },
    sim_pin: {
      title: 'SIM PIN',
      description: 'Entered when the SIM asks for it (never logged; a refused PIN is not retried).',
      type: 'string',
      default: '',
    },
    smsc: {
      title: 'SMS centre',
      description:
        'Service centre number to set if the SIM has none or a wrong one; empty keeps the SIM one.',
      type: 'string',
      default: '',
    },
    storage: {
      title: 'Message storage',
      description: 'Preferred memory (SM, ME, MT); empty: the first offered of SM, ME, MT.',
      type: 'string',
      default: '',
    },
    default_recipients: {
      title: 'Default recipients',
      description: 'Numbers that receive the notify entity messages (HA notify.send_message).',
      type: 'array',
      items: { type: 'string' },
      default: [],
    },
    allowed_recipients: {
      title: 'Allowed recipients',
      description:
        'Numbers or patterns SMS may be sent to besides default_recipients and the users\' phones, e.g. "+336*" (* = any digits). Anything else is refused.',
      type: 'array',
      items: { type: 'string', pattern: '^\\+?[0-9*][0-9*\\s.()/-]*$' },
      default: [],
    },
    allow_any_recipient: {
      title: 'Allow any recipient',
      description:
        'Send to any number anyone on the broker asks for (premium numbers included). Off: only listed recipients.',
      type: 'boolean',
      default: false,
    },
    max_recipients: {
      title: 'Recipients per request',
      description: 'Most recipients one request (RPC, notify, another module) may name.',
      type: 'integer',
      minimum: 1,
      default: 10,
    },
    max_text_length: {
      title: 'Text length',
      description: 'Longest text accepted, in characters (480 = about 3 GSM parts or 8 UCS2 parts).',
      type: 'integer',
      minimum: 1,
      default: 480,
    },
    daily_quota: {
      title: 'Daily quota per origin',
      description:
        'Messages (one per recipient) each origin (rpc, mqtt, a module name) may queue in 24 hours; command replies are not counted.',
      type: 'integer',
      minimum: 1,
      default: 200,
    },
    default_country: {
      title: 'Default country',
      description: 'Country of national numbers (0612…), for E.164 normalisation (FR, BE, CH, DE, …).',
      type: 'string',
      default: 'FR',
    },
    status_reports: {
      title: 'Delivery reports',
      description: 'Ask the network for a delivery report of each message.',
      type: 'boolean',
      default: true,
    },
    max_per_minute: {
      title: 'Rate limit',
      description: 'At most this many SMS parts sent per minute.',
      type: 'integer',
      minimum: 1,
      default: 10,
    },
    max_attempts: {
      title: 'Attempts',
      description: 'Send attempts on transient errors (+CMS ERROR 500, no network…) before a message fails.',
      type: 'integer',
      minimum: 1,
      default: 5,
    },
    retry_initial_seconds: {
      title: 'First retry delay',
      description: 'Seconds before the first retry; doubles each time.',
      type: 'number',
      minimum: 0,
      default: 30,
    },
    poll_seconds: {
      title: 'Sweep and status period',
      description: 'Seconds between AT+CMGL sweeps (catches anything missed) and signal/registration reads.',
      type: 'number',
      minimum: 1,
      default: 60,
    },
    watchdog_seconds: {
      title: 'Watchdog period',
      description:
        'Seconds of silence before the modem is pinged; two missed pings re-open and re-initialise it.',
      type: 'number',
      minimum: 1,
      default: 30,
    },
    command_timeout_seconds: {
      title: 'AT command timeout',
      description: 'Seconds to wait for a final result.',
      type: 'number',
      minimum: 0.1,
      default: 5,
    },
    send_timeout_seconds: {
      title: 'Send timeout',
      description: 'Seconds to wait for +CMGS (network time included).',
      type: 'number',
      minimum: 1,
      default: 60,
    },
    reassembly_timeout_seconds: {
      title: 'Multipart timeout',
      description:
        'Seconds to wait for the missing parts of a long SMS before delivering it marked incomplete.',
      type: 'number',
      minimum: 1,
      default: 600,
    },
    journal_days: {
      title: 'Journal retention',
      description: 'Days finished messages stay in the journals (duplicate detection across restarts).',
      type: 'number',
      minimum: 1,
      default: 30,
    },
    commands: {
      title: 'SMS commands',
      description: 'Keywords an authorised sender may send to act on the house.',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: {
          title: 'Enabled',
          description: 'Whether incoming SMS are matched against the keywords.',
          type: 'boolean',
          default: true,
        },
        authorized_senders: {
          title: 'Authorised senders',
          description:
            'Numbers allowed to command (any format; compared in E.164), beside the users module. A sender name is never a number; a short code must be listed as written.',
          type: 'array',
          items: { type: 'string' },
          default: [],
        },
        pin: {
          title: 'Command PIN',
          description: 'PIN of keywords with require_pin (never logged).',
          type: 'string',
          default: '',
        },
        keywords: {
          title: 'Keywords',
          description: 'Keyword → action or Home Assistant service.',
          type: 'array',
          items: keyword,
          default: [
            { keyword: 'Alon', action: 'alarm.arm_away', require_pin: true },
            { keyword: 'Aloff', action: 'alarm.disarm', require_pin: true },
            // The word for "state" (État: accents and case are ignored); Alstatus is the old setup's.
            { keyword: 'Etat', action: 'alarm.status' },
            { keyword: 'Alstatus', action: 'alarm.status' },
          ],
        },
        max_pin_failures: {
          title: 'PIN failures before lockout',
          description: 'Wrong PINs in a row that lock a sender out.',
          type: 'integer',
          minimum: 1,
          default: 3,
        },
        lockout_minutes: {
          title: 'Lockout',
          description: 'Minutes a sender stays locked out.',
          type: 'number',
          minimum: 0,
          default: 30,
        },
        max_per_hour: {
          title: 'Commands per hour',
          description: 'Commands accepted per sender and hour.',
          type: 'integer',
          minimum: 1,
          default: 20,
        },
        reply: {
          title: 'Reply',
          description:
            'Answer each command by SMS with its result (never to unknown, locked-out or rate-limited senders).',
          type: 'boolean',
          default: true,
        },
        action_timeout_seconds: {
          title: 'Action timeout',
          description: 'Seconds a command\'s action or service call may take before it answers "timed out".',
          type: 'number',
          minimum: 1,
          default: 30,
        },
      },
    },
  },
};
