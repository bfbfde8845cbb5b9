/**
 * Pure functions from the entity model to MQTT discovery: topics and payloads, following
 * https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery (per-component discovery,
 * which every HA version in use understands). No I/O here: the registry publishes.
 */
import type { Component, DeviceSpec, EntitySpec } from './model.js';

export interface NodeContext {
  nodeId: string;
  baseTopic: string;
  discoveryPrefix: string;
  /** Origin block: this software. */
  origin: { name: string; sw_version: string; support_url?: string };
}

export const GATEWAY_DEVICE_ID = 'gateway';

/** Components whose state HA reads from a topic (the others only take commands). */
const STATELESS: ReadonlySet<Component> = new Set(['button', 'notify']);

export const topics = {
  status: (n: NodeContext) => `${n.baseTopic}/${n.nodeId}/status`,
  deviceState: (n: NodeContext, device: string) => `${n.baseTopic}/${n.nodeId}/${device}/state`,
  deviceAvailability: (n: NodeContext, device: string) => `${n.baseTopic}/${n.nodeId}/${device}/availability`,
  entityState: (n: NodeContext, device: string, key: string) =>
    `${n.baseTopic}/${n.nodeId}/${device}/${key}/state`,
  entityAvailability: (n: NodeContext, device: string, key: string) =>
    `${n.baseTopic}/${n.nodeId}/${device}/${key}/availability`,
  entityEvent: (n: NodeContext, device: string, key: string) =>
    `${n.baseTopic}/${n.nodeId}/${device}/${key}/event`,
  command: (n: NodeContext, device: string, key: string) => `${n.baseTopic}/${n.nodeId}/${device}/${key}/set`,
  commandWildcard: (n: NodeContext) => `${n.baseTopic}/${n.nodeId}/+/+/set`,
  rpcRequest: (n: NodeContext, method: string) => `${n.baseTopic}/${n.nodeId}/rpc/${method}`,
  discovery: (n: NodeContext, device: string, e: Pick<EntitySpec, 'component' | 'key'>) =>
    `${n.discoveryPrefix}/${e.component}/${n.nodeId}_${device}/${e.key}/config`,
};

export function uniqueId(n: NodeContext, device: string, key: string): string {
  return `${n.nodeId}_${device}_${key}`;
}

export function deviceIdentifier(n: NodeContext, device: string): string {
  return `${n.nodeId}_${device}`;
}

/** `device` block of a discovery payload. */
export function deviceBlock(n: NodeContext, d: DeviceSpec): Record<string, unknown> {
  const block: Record<string, unknown> = {
    identifiers: [deviceIdentifier(n, d.id)],
    name: d.name,
  };
  for (const k of [
    'manufacturer',
    'model',
    'sw_version',
    'hw_version',
    'serial_number',
    'configuration_url',
    'suggested_area',
  ] as const) {
    if (d[k] !== undefined && d[k] !== '') block[k] = d[k];
  }
  if (d.id !== GATEWAY_DEVICE_ID && d.via_gateway !== false)
    block.via_device = deviceIdentifier(n, GATEWAY_DEVICE_ID);
  return block;
}

/**
 * Availability list, every topic must say online (mode all): the instance (last will), then
 * the device unless the entity follows the instance only (`availability: 'instance'`: a
 * printer's power state stays readable while the printer is off), then the entity's own topic
 * for `availability: 'own'`.
 */
export function availabilityBlock(
  n: NodeContext,
  device: string,
  mode: EntitySpec['availability'] = 'device',
  key?: string,
): Record<string, unknown> {
  const list = [{ topic: topics.status(n) }];
  if (device !== GATEWAY_DEVICE_ID && mode !== 'instance')
    list.push({ topic: topics.deviceAvailability(n, device) });
  if (mode === 'own' && key !== undefined) list.push({ topic: topics.entityAvailability(n, device, key) });
  return {
    availability: list,
    availability_mode: 'all',
    payload_available: 'online',
    payload_not_available: 'offline',
  };
}

/** The key of the device JSON state that holds this entity's value. */
export function valueKeyOf(e: EntitySpec): string {
  return e.value_key ?? e.key;
}

export function stateModeOf(e: EntitySpec): 'device' | 'own' | 'none' {
  if (e.state) return e.state;
  if (STATELESS.has(e.component)) return 'none';
  if (e.component === 'event') return 'own';
  return 'device';
}

/** Jinja access to a key, safe for any key (bracket notation, key quoted as JSON). */
function jsonAccess(key: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(key) ? `value_json.${key}` : `value_json[${JSON.stringify(key)}]`;
}

/** Components whose state is ON/OFF: a boolean value is rendered as such ("None" is unknown). */
const ON_OFF: ReadonlySet<Component> = new Set(['binary_sensor', 'switch']);

function defaultTemplate(e: EntitySpec): string {
  const v = jsonAccess(valueKeyOf(e));
  if (ON_OFF.has(e.component)) {
    return `{% if ${v} is none %}None{% elif ${v} %}ON{% else %}OFF{% endif %}`;
  }
  return `{{ ${v} }}`;
}

/**
 * The discovery payload of one entity. Pure: the same inputs give the same object, so the
 * registry can compare it (stable stringify) with the last one published.
 */
export function discoveryPayload(n: NodeContext, d: DeviceSpec, e: EntitySpec): Record<string, unknown> {
  const p: Record<string, unknown> = {
    name: e.name,
    unique_id: uniqueId(n, d.id, e.key),
    default_entity_id: `${e.component}.${uniqueId(n, d.id, e.key)}`,
    device: deviceBlock(n, d),
    origin: { ...n.origin },
    ...availabilityBlock(n, d.id, e.availability, e.key),
  };
  if (e.device_class) p.device_class = e.device_class;
  if (e.state_class) p.state_class = e.state_class;
  if (e.unit) p.unit_of_measurement = e.unit;
  if (e.entity_category) p.entity_category = e.entity_category;
  if (e.icon) p.icon = e.icon;
  if (e.enabled_by_default === false) p.enabled_by_default = false;
  if (e.suggested_display_precision !== undefined)
    p.suggested_display_precision = e.suggested_display_precision;

  const mode = stateModeOf(e);
  if (e.component === 'image') {
    // HA's MQTT image reads a URL from `url_topic` (or bytes from `image_topic`), never from
    // `state_topic`: HA 2026.11 refuses the entity without one of them.
    if (mode === 'device') {
      p.url_topic = topics.deviceState(n, d.id);
      p.url_template = e.value_template ?? defaultTemplate(e);
    } else if (mode === 'own') {
      p.url_topic = topics.entityState(n, d.id, e.key);
      if (e.value_template) p.url_template = e.value_template;
    }
  } else if (mode === 'device') {
    p.state_topic = topics.deviceState(n, d.id);
    p.value_template = e.value_template ?? defaultTemplate(e);
    if (e.attributes_key) {
      p.json_attributes_topic = topics.deviceState(n, d.id);
      p.json_attributes_template = `{{ ${jsonAccess(e.attributes_key)} | default({}, true) | tojson }}`;
    }
  } else if (mode === 'own') {
    p.state_topic =
      e.component === 'event' ? topics.entityEvent(n, d.id, e.key) : topics.entityState(n, d.id, e.key);
    if (e.value_template) p.value_template = e.value_template;
  }
  if (e.command) p.command_topic = topics.command(n, d.id, e.key);
  if (e.extra) Object.assign(p, e.extra);
  return p;
}
