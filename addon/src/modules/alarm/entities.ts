/** The alarm's device: the panel (internal engine only), last action, sensors, remaining delay, events. */
import type { Translate } from '../../core/i18n.js';
import {
  alarmPanel,
  type CommandHandler,
  type DeviceDeclaration,
  eventEntity,
  sensor,
} from '../../entities/model.js';

export const ALARM_DEVICE = 'alarm';
export const EVENT_TYPES = ['armed', 'disarmed', 'triggered', 'duress', 'refused'] as const;
export type AlarmEventType = (typeof EVENT_TYPES)[number];

export function alarmDeclaration(
  t: Translate,
  o: {
    panel: CommandHandler | undefined;
    badge: CommandHandler;
    sensor: CommandHandler;
    supported: string[];
    codeArmRequired: boolean;
  },
): DeviceDeclaration {
  const panel = o.panel
    ? [
        alarmPanel('panel', null, o.panel, {
          value_key: 'state',
          supported_features: o.supported,
          code_arm_required: o.codeArmRequired,
        }),
      ]
    : [];
  return {
    device: { id: ALARM_DEVICE, name: t('device'), manufacturer: 'Monitor', model: 'alarm' },
    entities: [
      ...panel,
      sensor('last_action', t('last_action'), {
        icon: 'mdi:shield-account',
        attributes_key: 'last_action_attrs',
      }),
      sensor('last_user', t('last_user'), { icon: 'mdi:account' }),
      sensor('last_channel', t('last_channel'), { icon: 'mdi:gesture-tap' }),
      sensor('last_action_time', t('last_action_time'), { device_class: 'timestamp' }),
      sensor('open_sensors', t('open_sensors'), {
        icon: 'mdi:door-open',
        state_class: 'measurement',
        attributes_key: 'open_sensors_attrs',
      }),
      sensor('bypassed_sensors', t('bypassed_sensors'), {
        icon: 'mdi:shield-off',
        state_class: 'measurement',
        attributes_key: 'bypassed_sensors_attrs',
      }),
      sensor('remaining_delay', t('remaining_delay'), {
        device_class: 'duration',
        unit: 's',
        icon: 'mdi:timer-sand',
      }),
      eventEntity('event', t('event'), [...EVENT_TYPES]),
      // The command topic `<base>/<node>/alarm/badge/set` is where readers publish a uid
      // (plain, or JSON {"uid", "reader"}); hidden in HA, write-only (mode password).
      {
        component: 'text',
        key: 'badge',
        name: t('badge'),
        state: 'none',
        command: o.badge,
        entity_category: 'config',
        enabled_by_default: false,
        icon: 'mdi:badge-account',
        extra: { mode: 'password', max: 128 },
      },
      // `<base>/<node>/alarm/sensor_input/set`: {"entity_id", "state"} from MQTT sensors.
      {
        component: 'text',
        key: 'sensor_input',
        name: t('sensor_input'),
        state: 'none',
        command: o.sensor,
        entity_category: 'config',
        enabled_by_default: false,
        icon: 'mdi:motion-sensor',
        extra: { max: 255 },
      },
    ],
  };
}
