/** The modem device and its entities (pure: config → declaration). */
import type { Translate } from '../../core/i18n.js';
import {
  type CommandHandler,
  type DeviceDeclaration,
  diagnostic,
  eventEntity,
  notifyEntity,
  sensor,
} from '../../entities/model.js';
import type { ModemInfo } from './modem/modem.js';

export const DEVICE_ID = 'sms';
export const MESSAGE_EVENTS = ['received', 'command', 'rejected'];
export const OUTGOING_EVENTS = ['queued', 'sending', 'sent', 'delivered', 'failed', 'unconfirmed', 'refused'];
export const REGISTRATIONS = [
  'not_registered',
  'registered_home',
  'searching',
  'denied',
  'unknown',
  'roaming',
];

export function smsDeclaration(
  t: Translate,
  info: ModemInfo | undefined,
  send: CommandHandler,
): DeviceDeclaration {
  return {
    device: {
      id: DEVICE_ID,
      name: t('device'),
      manufacturer: info?.manufacturer || undefined,
      model: info?.model || undefined,
      sw_version: info?.revision || undefined,
      serial_number: info?.imei || undefined,
    },
    entities: [
      sensor('signal', t('signal'), { unit: '%', state_class: 'measurement', icon: 'mdi:signal' }),
      diagnostic('signal_dbm', t('signal_dbm'), {
        device_class: 'signal_strength',
        unit: 'dBm',
        state_class: 'measurement',
      }),
      diagnostic('registration', t('registration'), {
        device_class: 'enum',
        extra: { options: REGISTRATIONS },
      }),
      diagnostic('operator', t('operator'), { icon: 'mdi:radio-tower' }),
      diagnostic('sim', t('sim'), { icon: 'mdi:sim' }),
      diagnostic('storage_used', t('storage'), {
        state_class: 'measurement',
        icon: 'mdi:sim-alert',
        attributes_key: 'storage_attributes',
      }),
      // Capacity of the message memory: with storage_used, what HA needs for a "SIM almost
      // full" automation (the total stays an attribute of storage_used as well).
      diagnostic('storage_total', t('storage_total'), { icon: 'mdi:sim' }),
      sensor('outbox', t('outbox'), { state_class: 'measurement', icon: 'mdi:tray-full' }),
      sensor('sent', t('sent'), { state_class: 'total_increasing', icon: 'mdi:message-arrow-right' }),
      sensor('failed', t('failed'), { state_class: 'total_increasing', icon: 'mdi:message-alert' }),
      eventEntity('message', t('message'), MESSAGE_EVENTS, { icon: 'mdi:message-text' }),
      eventEntity('outgoing', t('outgoing'), OUTGOING_EVENTS, { icon: 'mdi:message-arrow-right-outline' }),
      notifyEntity('send', t('send'), send, { icon: 'mdi:message-plus' }),
    ],
  };
}
