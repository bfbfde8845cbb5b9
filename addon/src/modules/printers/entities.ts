/**
 * The Home Assistant device of one printer and its entities. Pure: the module re-declares the
 * device when what it knows grows (a heater appears, a snapshot URL becomes known, the software
 * version is read); the registry publishes only what changed.
 *
 * `state` and `online` stay available while the printer is off (they only follow the instance's
 * availability), so that HA shows "offline" rather than "unavailable"; every other entity
 * follows the printer's availability too.
 */
import type { Translate } from '../../core/i18n.js';
import type { NodeContext } from '../../entities/discovery.js';
import { topics } from '../../entities/discovery.js';
import {
  binarySensor,
  button,
  type DeviceSpec,
  diagnostic,
  type EntitySpec,
  eventEntity,
  sensor,
  slugify,
} from '../../entities/model.js';
import { type CommandName, JOB_EVENTS, PRINTER_STATES, type SourceType } from './model.js';

export interface PrinterDeclaration {
  id: string;
  name: string;
  type: SourceType;
  url: string;
  software: string | null;
  heaters: string[];
  hasSnapshot: boolean;
  commands: boolean;
}

export function deviceIdOf(name: string): string {
  return `printer_${slugify(name)}`;
}

export function printerDevice(d: PrinterDeclaration, t: Translate): DeviceSpec {
  return {
    id: d.id,
    name: d.name,
    // The printer's maker is not known; the model says what Monitor talks to ("OctoPrint").
    model: t(`model_${d.type}`),
    // A printer stands in its own room: not in the gateway's area (HA shows a child device
    // in its parent's area).
    via_gateway: false,
    ...(d.software ? { sw_version: d.software } : {}),
    ...(d.type === 'octoprint' ? { configuration_url: d.url } : {}),
  };
}

export function heaterName(key: string, t: Translate, toolCount: number): string {
  if (key === 'bed' || key === 'chamber') return t(key);
  const n = Number(key.slice(4));
  return toolCount > 1 ? t('tool', { n }) : t('tool_single');
}

export function printerEntities(
  d: PrinterDeclaration,
  t: Translate,
  node: NodeContext,
  onCommand: (cmd: CommandName) => void,
): EntitySpec[] {
  // Only the instance's availability: these keep showing while the printer is off.
  const instanceOnly = {
    availability: [{ topic: topics.status(node) }],
    availability_mode: 'all',
  };
  const tools = d.heaters.filter((h) => h.startsWith('tool')).length;
  const list: EntitySpec[] = [
    sensor('state', t('state'), {
      device_class: 'enum',
      icon: 'mdi:printer-3d',
      state_labels: Object.fromEntries(PRINTER_STATES.map((s) => [s, t(`state_${s}`)])),
      extra: instanceOnly,
    }),
    binarySensor('online', t('online'), {
      device_class: 'connectivity',
      entity_category: 'diagnostic',
      extra: instanceOnly,
    }),
    binarySensor('printing', t('printing'), { device_class: 'running', icon: 'mdi:printer-3d-nozzle' }),
    binarySensor('error', t('error'), { device_class: 'problem', attributes_key: 'error_details' }),
    sensor('progress', t('progress'), {
      unit: '%',
      state_class: 'measurement',
      icon: 'mdi:progress-clock',
      suggested_display_precision: 0,
    }),
    // Durations are quantised in model.ts (10 s steps past two minutes) rather than held with
    // min_interval_ms: a held value keeps the registry's timer busy and delays every other
    // change of the device (the state!) until it expires.
    sensor('elapsed', t('elapsed'), { device_class: 'duration', unit: 's', suggested_display_precision: 0 }),
    sensor('remaining', t('remaining'), {
      device_class: 'duration',
      unit: 's',
      suggested_display_precision: 0,
    }),
    sensor('eta', t('eta'), { device_class: 'timestamp' }),
    sensor('file', t('file'), { icon: 'mdi:file-document-outline' }),
    sensor('layer', t('layer'), { icon: 'mdi:layers-outline' }),
    diagnostic('layer_total', t('layer_total'), { icon: 'mdi:layers-triple-outline' }),
    // started, paused, resumed, done, cancelled, failed: for "print finished" automations.
    eventEntity('job', t('job'), [...JOB_EVENTS], { icon: 'mdi:printer-3d' }),
  ];
  for (const h of d.heaters) {
    const name = heaterName(h, t, tools);
    const common = {
      device_class: 'temperature',
      unit: '°C',
      state_class: 'measurement' as const,
      suggested_display_precision: 1,
    };
    // Actual temperatures jitter: changes under 0.5 °C are not sent. Targets change seldom and
    // every change matters. (No min_interval_ms: a held value keeps the registry's timer busy
    // and delays every other change of the device, the state included, until it expires.)
    list.push(sensor(`${h}_temperature`, t('temperature', { heater: name }), { ...common, deadband: 0.5 }));
    list.push(
      sensor(`${h}_target`, t('target', { heater: name }), { ...common, icon: 'mdi:thermometer-chevron-up' }),
    );
  }
  if (d.hasSnapshot) {
    list.push({
      component: 'image',
      key: 'snapshot',
      name: t('snapshot'),
      state: 'none',
      extra: {
        url_topic: topics.deviceState(node, d.id),
        url_template: '{{ value_json.snapshot_url }}',
      },
    });
  }
  if (d.commands) {
    for (const cmd of ['pause', 'resume', 'cancel'] as const) {
      list.push(
        button(cmd, t(cmd), () => onCommand(cmd), {
          icon: cmd === 'pause' ? 'mdi:pause' : cmd === 'resume' ? 'mdi:play' : 'mdi:stop',
        }),
      );
    }
  }
  list.push(
    diagnostic('link', t('link'), {
      device_class: 'enum',
      icon: 'mdi:lan-connect',
      state_labels: { push: t('link_push'), poll: t('link_poll'), none: t('link_none') },
      extra: instanceOnly,
    }),
    // On while the link has a problem; what it is (URL, errno, HTTP status) is an attribute.
    binarySensor('problem', t('problem'), {
      device_class: 'problem',
      entity_category: 'diagnostic',
      value_template: "{{ 'ON' if value_json.problem else 'OFF' }}",
      attributes_key: 'problem_details',
      extra: instanceOnly,
    }),
  );
  return list;
}
