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

/** Known vendors as they write their own name (AT+CGMI answers in capitals or with a suffix). */
const VENDORS: Record<string, string> = {
  simcom: 'SIMCom',
  huawei: 'Huawei',
  quectel: 'Quectel',
  zte: 'ZTE',
};

/**
 * The modem's identity as a person writes it: "SIMCOM_Ltd" → "SIMCom", "SIMCOM_SIM800L" →
 * "SIM800L", "Revision:1418B04SIM800L24" → "1418B04SIM800L24". Unknown vendors keep their
 * words, without underscores and company suffixes.
 */
export function modemIdentity(info: ModemInfo): {
  manufacturer?: string;
  model?: string;
  sw_version?: string;
} {
  const raw = info.manufacturer
    .replace(/[\s_,]*(co\.?,?\s*)?(ltd\.?|inc\.?|corp\.?)$/i, '')
    .replace(/_/g, ' ')
    .trim();
  const manufacturer = VENDORS[raw.toLowerCase()] ?? raw;
  const model = info.model
    .replace(new RegExp(`^${raw.replace(/[^\w]/g, '.')}[\\s_-]*`, 'i'), '')
    .replace(/_/g, ' ')
    .trim();
  const sw = info.revision.replace(/^\s*revision\s*:?\s*/i, '').trim();
  return {
    ...(manufacturer ? { manufacturer } : {}),
    ...(model ? { model } : {}),
    ...(sw ? { sw_version: sw } : {}),
  };
}

export function smsDeclaration(
  t: Translate,
  info: ModemInfo | undefined,
  send: CommandHandler,
): DeviceDeclaration {
  const count = { state_class: 'total_increasing' as const, suggested_display_precision: 0 };
  return {
    device: {
      id: DEVICE_ID,
      name: t('device'),
      ...(info ? modemIdentity(info) : {}),
      serial_number: info?.imei || undefined,
      // A USB modem sits beside the gateway: it shares the gateway's area in HA.
      via_gateway: true,
    },
    entities: [
      sensor('signal', t('signal'), {
        unit: '%',
        state_class: 'measurement',
        icon: 'mdi:signal',
        suggested_display_precision: 0,
      }),
      diagnostic('signal_dbm', t('signal_dbm'), {
        device_class: 'signal_strength',
        unit: 'dBm',
        state_class: 'measurement',
        suggested_display_precision: 0,
      }),
      diagnostic('registration', t('registration'), {
        device_class: 'enum',
        state_labels: Object.fromEntries(REGISTRATIONS.map((r) => [r, t(`registration_${r}`)])),
      }),
      diagnostic('operator', t('operator'), { icon: 'mdi:radio-tower' }),
      diagnostic('sim', t('sim'), { icon: 'mdi:sim' }),
      diagnostic('storage_used', t('storage'), {
        state_class: 'measurement',
        icon: 'mdi:sim-alert',
        attributes_key: 'storage_attributes',
        suggested_display_precision: 0,
      }),
      // Capacity of the message memory: with storage_used, what HA needs for a "SIM almost
      // full" automation (the total stays an attribute of storage_used as well).
      diagnostic('storage_total', t('storage_total'), { icon: 'mdi:sim' }),
      sensor('outbox', t('outbox'), {
        state_class: 'measurement',
        icon: 'mdi:tray-full',
        suggested_display_precision: 0,
      }),
      sensor('sent', t('sent'), { ...count, icon: 'mdi:message-arrow-right' }),
      sensor('failed', t('failed'), { ...count, icon: 'mdi:message-alert' }),
      eventEntity('message', t('message'), MESSAGE_EVENTS, { icon: 'mdi:message-text' }),
      eventEntity('outgoing', t('outgoing'), OUTGOING_EVENTS, { icon: 'mdi:message-arrow-right-outline' }),
      notifyEntity('send', t('send'), send, { icon: 'mdi:message-plus' }),
    ],
  };
}
