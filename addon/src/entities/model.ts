/**
 * The entity model: a module declares its devices and their entities with these types and
 * builders; it never writes MQTT discovery by hand. `discovery.ts` derives the payloads.
 */

export type Component =
  | 'sensor'
  | 'binary_sensor'
  | 'button'
  | 'switch'
  | 'number'
  | 'select'
  | 'text'
  | 'event'
  | 'notify'
  | 'image'
  | 'alarm_control_panel'
  | 'update'
  | 'device_tracker';

export type EntityCategory = 'diagnostic' | 'config';
export type StateClass = 'measurement' | 'total' | 'total_increasing';

export type CommandHandler = (payload: string) => void | Promise<void>;

export interface EntitySpec {
  component: Component;
  /** Unique within its device; lowercase, digits, underscores. Part of unique_id and topics. */
  key: string;
  /** Entity name shown after the device name (has_entity_name); null for the device's main feature. */
  name: string | null;
  device_class?: string;
  state_class?: StateClass;
  unit?: string;
  entity_category?: EntityCategory;
  icon?: string;
  enabled_by_default?: boolean;
  suggested_display_precision?: number;
  /**
   * Where the state comes from:
   * - 'device' (default for stateful components): a key of the device's JSON state
   *   (`value_key`, default `key`), or `value_template` over it;
   * - 'own': the entity's own topic `<device>/<key>/state` (events use `<device>/<key>/event`);
   * - 'none': no state (button, notify).
   */
  state?: 'device' | 'own' | 'none';
  value_key?: string;
  /** Jinja template over the device JSON (`value_json`); data only, written by the module. */
  value_template?: string;
  /** Device JSON key whose object value becomes the entity's attributes. */
  attributes_key?: string;
  /** Ignore numeric changes smaller than this (absolute). */
  deadband?: number;
  /** Do not publish this entity's changes more often than this. */
  min_interval_ms?: number;
  /**
   * Which availability HA follows (all must be online): 'device' (default: the instance and
   * the device), 'instance' (the instance only), 'own' (instance, device and the entity's own
   * `<device>/<key>/availability`, set with `setEntityAvailability`). Core topics are never
   * built by modules.
   */
  availability?: 'device' | 'instance' | 'own';
  /** Called with the payload published on `<device>/<key>/set`. */
  command?: CommandHandler;
  /** Component-specific discovery fields (options, event_types, payload_press, …), copied as is. */
  extra?: Record<string, unknown>;
}

export interface DeviceSpec {
  /** Unique within this node; lowercase, digits, underscores (e.g. `sms`, `linky_021861348497`). */
  id: string;
  name: string;
  manufacturer?: string;
  model?: string;
  sw_version?: string;
  hw_version?: string;
  serial_number?: string;
  configuration_url?: string;
  suggested_area?: string;
  /** Default true: the device is attached to the gateway (`via_device`). */
  via_gateway?: boolean;
}

export interface DeviceDeclaration {
  device: DeviceSpec;
  entities: EntitySpec[];
}

const ID = /^[a-z0-9_]+$/;

export function assertId(what: string, id: string): void {
  if (!ID.test(id)) throw new Error(`${what} "${id}" must match ${ID}`);
}

/** Normalises free text (a printer name, a meter id) into an id usable in topics and unique ids. */
export function slugify(text: string): string {
  const s = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return s || 'x';
}

// ── Builders: short, typed ways to declare the usual entities ────────────────────────────────

type Common = Omit<EntitySpec, 'component' | 'key' | 'name'>;

export const sensor = (key: string, name: string | null, o: Common = {}): EntitySpec => ({
  component: 'sensor',
  key,
  name,
  ...o,
});

export const binarySensor = (key: string, name: string | null, o: Common = {}): EntitySpec => ({
  component: 'binary_sensor',
  key,
  name,
  ...o,
});

export const diagnostic = (key: string, name: string | null, o: Common = {}): EntitySpec => ({
  component: 'sensor',
  key,
  name,
  entity_category: 'diagnostic',
  ...o,
});

export const button = (
  key: string,
  name: string | null,
  command: CommandHandler,
  o: Common = {},
): EntitySpec => ({
  component: 'button',
  key,
  name,
  state: 'none',
  command,
  ...o,
});

export const eventEntity = (
  key: string,
  name: string | null,
  eventTypes: string[],
  o: Common = {},
): EntitySpec => ({
  component: 'event',
  key,
  name,
  state: 'own',
  ...o,
  extra: { event_types: eventTypes, ...(o.extra ?? {}) },
});

export const notifyEntity = (
  key: string,
  name: string | null,
  command: CommandHandler,
  o: Common = {},
): EntitySpec => ({
  component: 'notify',
  key,
  name,
  state: 'none',
  command,
  ...o,
});
