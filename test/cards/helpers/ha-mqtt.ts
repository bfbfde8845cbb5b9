/**
 * What Home Assistant holds for an MQTT-discovered entity, from the discovery payload Monitor
 * publishes (addon/src/entities/discovery.ts) and the values it sends: the payload's
 * `value_template` and `json_attributes_template` are rendered the way HA's MQTT sensor and
 * binary sensor render them (HA core `components/mqtt/sensor.py`, `binary_sensor.py`: "None"
 * is unknown, ON/OFF are on/off), so the cards are tested against HA's state, not Monitor's raw
 * values. Only the template shapes Monitor's discovery writes are understood; any other one
 * throws, so a new shape in the discovery fails the card tests instead of being mis-emulated.
 */
import { type NodeContext, topics } from '../../../addon/src/entities/discovery.js';

export interface HaState {
  state: string;
  attributes: Record<string, unknown>;
  last_updated?: string;
  last_changed?: string;
}

/** Jinja's rendering of a value: Python's str() of what JSON gave (floats keep a ".0"). */
function py(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** `value_json.key` or `value_json["key"]` (discovery's jsonAccess) → the key. */
function accessKey(access: string): string {
  const dotted = /^value_json\.([a-z_][a-z0-9_]*)$/.exec(access.trim());
  if (dotted) return dotted[1] as string;
  const bracket = /^value_json\[(".*")\]$/.exec(access.trim());
  if (bracket) return JSON.parse(bracket[1] as string) as string;
  throw new Error(`template access not emulated: ${access}`);
}

/**
 * Renders `template` for an MQTT message: `value` is the payload text, `json` the parsed
 * payload (the device's JSON state). Returns the rendered text, "None" for none.
 */
export function renderValueTemplate(template: string, value: string, json: Record<string, unknown>): string {
  const read = (access: string) => json[accessKey(access)];
  let m = /^\{\{ (value_json(?:\.[a-z0-9_]+|\[".*"\])) \}\}$/.exec(template);
  if (m) return py(read(m[1] as string));
  m = /^\{% if (.+?) is none %\}None\{% elif \1 %\}ON\{% else %\}OFF\{% endif %\}$/.exec(template);
  if (m) {
    const v = read(m[1] as string);
    return v === null || v === undefined ? 'None' : v ? 'ON' : 'OFF';
  }
  m = /^\{\{ 'ON' if (.+?) else 'OFF' \}\}$/.exec(template);
  if (m) return read(m[1] as string) ? 'ON' : 'OFF';
  // Energies: Wh on the entity's own topic, shown in kWh.
  m =
    /^\{% if value == 'None' %\}None\{% else %\}\{\{ \(value \| float \/ (\d+)\) \| round\((\d+)\) \}\}\{% endif %\}$/.exec(
      template,
    );
  if (m) {
    if (value === 'None') return 'None';
    const digits = Number(m[2]);
    const n = Math.round((Number(value) / Number(m[1])) * 10 ** digits) / 10 ** digits;
    return Number.isInteger(n) ? `${n}.0` : String(n);
  }
  // Enums shown as words (enum-labels.ts): the word of the code, the code when it has none.
  m = /^\{% set v = (.+?) %\}\{\{ (\{.*\})\.get\(v \| string, v\) if v is not none else None \}\}$/.exec(
    template,
  );
  if (m) {
    const v = read(m[1] as string);
    if (v === null || v === undefined) return 'None';
    const labels = JSON.parse(m[2] as string) as Record<string, string>;
    return labels[py(v)] ?? py(v);
  }
  throw new Error(`value_template not emulated: ${template}`);
}

/** The attributes a `json_attributes_template` gives. */
export function renderAttributesTemplate(
  template: string,
  json: Record<string, unknown>,
): Record<string, unknown> {
  const read = (access: string) => json[accessKey(access)];
  const asDict = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? { ...v } : {});
  let m = /^\{\{ (.+?) \| default\(\{\}, true\) \| tojson \}\}$/.exec(template);
  if (m && !m[1]?.startsWith('dict(')) return asDict(read(m[1] as string));
  m = /^\{\{ dict\((?:\{\}|(.+?) \| default\(\{\}, true\)), code=(.+?)\) \| tojson \}\}$/.exec(template);
  if (m) return { ...(m[1] ? asDict(read(m[1])) : {}), code: read(m[2] as string) ?? null };
  throw new Error(`json_attributes_template not emulated: ${template}`);
}

export interface Published {
  /** The device's JSON state (what `<device>/state` carries). */
  device: Record<string, unknown>;
  /** What each own-topic entity's topic carries, by key; absent = never published. */
  own: Record<string, string>;
  /** Whether `<device>/availability` says online. */
  deviceOnline: boolean;
}

/**
 * HA's state of one entity from its discovery payload and what was published; undefined for an
 * entity HA does not create (disabled by default). `key`: the entity's key (its own topic).
 */
export function haStateOf(
  node: NodeContext,
  deviceId: string,
  entity: { component: string; key: string },
  payload: Record<string, unknown>,
  published: Published,
): HaState | undefined {
  if (payload.enabled_by_default === false) return undefined;
  const attributes: Record<string, unknown> = {};
  for (const k of ['unit_of_measurement', 'device_class', 'state_class', 'icon'] as const)
    if (payload[k] !== undefined) attributes[k] = payload[k];
  if (Array.isArray(payload.options)) attributes.options = payload.options;
  // availability_mode "all": one topic saying offline makes the entity unavailable.
  const availability = (payload.availability as { topic: string }[] | undefined) ?? [];
  const deviceAvailability = topics.deviceAvailability(node, deviceId);
  if (!published.deviceOnline && availability.some((a) => a.topic === deviceAvailability))
    return { state: 'unavailable', attributes };
  const fromDevice = payload.state_topic === topics.deviceState(node, deviceId);
  if (!fromDevice && payload.state_topic !== topics.entityState(node, deviceId, entity.key))
    throw new Error(`state topic not emulated: ${String(payload.state_topic)}`);
  const text = fromDevice ? JSON.stringify(published.device) : published.own[entity.key];
  if (text === undefined) return { state: 'unknown', attributes };
  const json = fromDevice ? published.device : {};
  const template = payload.value_template;
  let rendered = typeof template === 'string' ? renderValueTemplate(template, text, json) : text;
  if (typeof payload.json_attributes_template === 'string' && fromDevice)
    Object.assign(attributes, renderAttributesTemplate(payload.json_attributes_template, json));
  if (entity.component === 'binary_sensor')
    rendered = rendered === 'ON' ? 'on' : rendered === 'OFF' ? 'off' : 'unknown';
  else if (rendered === 'None' || rendered === '') rendered = 'unknown';
  return { state: rendered, attributes };
}

/** A value as Monitor's registry writes it on an entity's own topic (registry.ts sendOwnState). */
export function ownPayload(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'ON' : 'OFF';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
