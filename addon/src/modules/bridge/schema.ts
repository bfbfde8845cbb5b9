import type { JsonSchema } from '../../config/json-schema.js';

/** Section `bridge`: the monitor_bridge integration that Monitor can install into Home Assistant. */
export const bridgeSchema: JsonSchema = {
  title: 'monitor_bridge integration',
  description:
    'Home Assistant actions (send_sms, users) and events (SMS received, badges) from Monitor, through the monitor_bridge custom integration.',
  type: 'object',
  additionalProperties: false,
  properties: {
    install: {
      title: 'Install the integration',
      description:
        "Copy monitor_bridge into Home Assistant's custom_components when the installed copy is missing or older than this version, then ask for a restart.",
      type: 'boolean',
      default: false,
    },
    config_dir: {
      title: 'Home Assistant configuration directory',
      description: "Where Home Assistant's configuration is (the app maps it at /homeassistant).",
      type: 'string',
      default: '/homeassistant',
    },
  },
};
