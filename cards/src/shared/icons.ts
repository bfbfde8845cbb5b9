/**
 * A few Material Design Icons (Pictogrammers, Apache-2.0) bundled for when HA's `ha-icon` /
 * `ha-state-icon` are not on the page (preview page, tests) and for the alarm card's own
 * buttons. Only the paths imported here end up in the bundle.
 */
import {
  mdiAccount,
  mdiAccountOff,
  mdiAirplane,
  mdiAlertCircle,
  mdiBackspaceOutline,
  mdiBell,
  mdiBellRing,
  mdiCircleMedium,
  mdiCrosshairsGps,
  mdiDoorClosed,
  mdiDoorOpen,
  mdiFan,
  mdiFitToScreenOutline,
  mdiFlash,
  mdiHome,
  mdiLightbulb,
  mdiLightbulbOutline,
  mdiLock,
  mdiLockOpenVariant,
  mdiMagnifyMinusOutline,
  mdiMagnifyPlusOutline,
  mdiMotionSensor,
  mdiMotionSensorOff,
  mdiPause,
  mdiPlay,
  mdiPrinter3d,
  mdiSecurity,
  mdiShieldAirplane,
  mdiShieldAlert,
  mdiShieldHome,
  mdiShieldLock,
  mdiShieldMoon,
  mdiShieldOff,
  mdiShieldSync,
  mdiSmokeDetector,
  mdiStop,
  mdiThermometer,
  mdiToggleSwitch,
  mdiToggleSwitchOff,
  mdiWaterAlert,
  mdiWaterPercent,
  mdiWeatherNight,
  mdiWindowClosed,
  mdiWindowOpen,
  mdiWindowShutter,
  mdiWindowShutterOpen,
} from '@mdi/js';
import { html, svg } from 'lit';
import { computeDomain } from './state.js';
import type { HassEntity } from './types.js';

export const ICONS = {
  account: mdiAccount,
  'account-off': mdiAccountOff,
  airplane: mdiAirplane,
  'alert-circle': mdiAlertCircle,
  'backspace-outline': mdiBackspaceOutline,
  bell: mdiBell,
  'bell-ring': mdiBellRing,
  'circle-medium': mdiCircleMedium,
  'crosshairs-gps': mdiCrosshairsGps,
  'door-closed': mdiDoorClosed,
  'door-open': mdiDoorOpen,
  fan: mdiFan,
  'fit-to-screen-outline': mdiFitToScreenOutline,
  flash: mdiFlash,
  home: mdiHome,
  lightbulb: mdiLightbulb,
  'lightbulb-outline': mdiLightbulbOutline,
  lock: mdiLock,
  'lock-open-variant': mdiLockOpenVariant,
  'magnify-minus-outline': mdiMagnifyMinusOutline,
  'magnify-plus-outline': mdiMagnifyPlusOutline,
  'motion-sensor': mdiMotionSensor,
  'motion-sensor-off': mdiMotionSensorOff,
  pause: mdiPause,
  play: mdiPlay,
  'printer-3d': mdiPrinter3d,
  security: mdiSecurity,
  'shield-airplane': mdiShieldAirplane,
  'shield-alert': mdiShieldAlert,
  'shield-home': mdiShieldHome,
  'shield-lock': mdiShieldLock,
  'shield-moon': mdiShieldMoon,
  'shield-off': mdiShieldOff,
  'shield-sync': mdiShieldSync,
  'smoke-detector': mdiSmokeDetector,
  stop: mdiStop,
  thermometer: mdiThermometer,
  'toggle-switch': mdiToggleSwitch,
  'toggle-switch-off': mdiToggleSwitchOff,
  'water-alert': mdiWaterAlert,
  'water-percent': mdiWaterPercent,
  'weather-night': mdiWeatherNight,
  'window-closed': mdiWindowClosed,
  'window-open': mdiWindowOpen,
  'window-shutter': mdiWindowShutter,
  'window-shutter-open': mdiWindowShutterOpen,
} as const;

export type IconName = keyof typeof ICONS;

/** Path of `mdi:name` when bundled, else undefined. */
export function iconPath(icon: string | undefined): string | undefined {
  if (!icon?.startsWith('mdi:')) return undefined;
  const name = icon.slice(4);
  return Object.hasOwn(ICONS, name) ? ICONS[name as IconName] : undefined;
}

const BINARY_ICONS: Record<string, [IconName, IconName]> = {
  door: ['door-open', 'door-closed'],
  garage_door: ['door-open', 'door-closed'],
  opening: ['door-open', 'door-closed'],
  window: ['window-open', 'window-closed'],
  motion: ['motion-sensor', 'motion-sensor-off'],
  occupancy: ['motion-sensor', 'motion-sensor-off'],
  presence: ['account', 'account-off'],
  moisture: ['water-alert', 'water-percent'],
  smoke: ['smoke-detector', 'smoke-detector'],
  lock: ['lock-open-variant', 'lock'],
};

const SENSOR_ICONS: Record<string, IconName> = {
  temperature: 'thermometer',
  humidity: 'water-percent',
  power: 'flash',
  energy: 'flash',
  current: 'flash',
  voltage: 'flash',
};

/** A sensible bundled icon for an entity, from its domain, device class and state. */
export function fallbackIcon(entityId: string, stateObj: HassEntity | undefined): IconName {
  const domain = computeDomain(entityId);
  const on = stateObj?.state === 'on';
  const dc = typeof stateObj?.attributes.device_class === 'string' ? stateObj.attributes.device_class : '';
  switch (domain) {
    case 'light':
      return on ? 'lightbulb' : 'lightbulb-outline';
    case 'switch':
    case 'input_boolean':
      return on ? 'toggle-switch' : 'toggle-switch-off';
    case 'fan':
      return 'fan';
    case 'lock':
      return stateObj?.state === 'unlocked' ? 'lock-open-variant' : 'lock';
    case 'cover':
      return stateObj?.state === 'open' ? 'window-shutter-open' : 'window-shutter';
    case 'person':
    case 'device_tracker':
      return stateObj?.state === 'not_home' ? 'account-off' : 'account';
    case 'alarm_control_panel':
      return stateObj?.state === 'disarmed' ? 'shield-off' : 'shield-lock';
    case 'binary_sensor': {
      const pair = BINARY_ICONS[dc];
      return pair ? pair[on ? 0 : 1] : on ? 'alert-circle' : 'circle-medium';
    }
    case 'sensor':
      return SENSOR_ICONS[dc] ?? 'circle-medium';
    default:
      return 'circle-medium';
  }
}

/** A bundled icon as inline SVG (colour from `currentColor`, size from `--mdc-icon-size`). */
export function svgIcon(name: IconName) {
  return html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">${svg`<path d=${ICONS[name]}></path>`}</svg>`;
}
