/**
 * The Supervisor's rules for an app's config.yaml and its options, transcribed from its source
 * (home-assistant/supervisor, supervisor/apps/validate.py and apps/options.py, read December
 * 2026): the store silently skips an app whose config.yaml fails them, so they are checked here.
 */

/** apps/options.py RE_SCHEMA_ELEMENT: the type of one option. */
export const RE_SCHEMA_ELEMENT = new RegExp(
  '^(?:' +
    '|bool' +
    '|email' +
    '|url' +
    '|port' +
    '|device(?:\\((?<filter>subsystem=[a-z]+)\\))?' +
    '|str(?:\\((?<s_min>\\d+)?,(?<s_max>\\d+)?\\))?' +
    '|password(?:\\((?<p_min>\\d+)?,(?<p_max>\\d+)?\\))?' +
    '|int(?:\\((?<i_min>-?\\d+)?,(?<i_max>-?\\d+)?\\))?' +
    '|float(?:\\((?<f_min>-?\\d*\\.?\\d+)?,(?<f_max>-?\\d*\\.?\\d+)?\\))?' +
    '|match\\((?<match>.*)\\)' +
    '|list\\((?<list>.+)\\)' +
    ')\\??$',
);

/** apps/validate.py RE_VOLUME (the string form of a `map` entry) and MappingType values. */
export const MAP_TYPES = new Set([
  'data',
  'config',
  'ssl',
  'local_apps',
  'addons',
  'backup',
  'share',
  'media',
  'homeassistant_config',
  'all_app_configs',
  'all_addon_configs',
  'app_config',
  'addon_config',
]);
/** Deprecated in 2026.07 in favour of the app_* names. */
export const LEGACY_MAP_TYPES = new Set(['addons', 'all_addon_configs', 'addon_config', 'config']);

export const RE_SERVICE = /^(?:mqtt|mysql):(?:provide|want|need)$/;
export const RE_SLUG = /^[-_.A-Za-z0-9]+$/;
export const RE_WATCHDOG = /^(?:https?|\[PROTO:\w+\]|tcp):\/\/\[HOST\]:(\[PORT:\d+\]|\d+).*$/;
export const STARTUP = new Set(['initialize', 'system', 'services', 'application', 'once']);
export const BOOT = new Set(['auto', 'manual', 'manual_only']);

/** The keys _SCHEMA_APP_CONFIG knows (others are removed silently: a typo would go unnoticed). */
export const KNOWN_KEYS = new Set(
  (
    'name version slug description arch machine url startup boot init advanced stage ports ' +
    'ports_description watchdog watchdog_restart_policy webui ingress ingress_port ingress_entry ' +
    'ingress_stream panel_icon panel_title panel_admin homeassistant host_network host_pid host_ipc ' +
    'host_uts host_dbus devices udev tmpfs map environment privileged apparmor full_access audio ' +
    'video gpio usb uart devicetree kernel_modules realtime hassio_api hassio_role homeassistant_api ' +
    'stdin legacy docker_api auth_api services discovery backup_exclude backup_pre backup_post backup ' +
    'options schema image ulimits timeout journald breaking_versions'
  ).split(' '),
);

/**
 * apps/options.py `_single_validate` for one value of type `typ`: what the Supervisor accepts
 * when the user saves the form. Returns a problem, or undefined when accepted. Device paths are
 * accepted as strings (the Supervisor checks them against the host's hardware).
 */
export function supervisorAccepts(typ: string, value: unknown): string | undefined {
  const m = RE_SCHEMA_ELEMENT.exec(typ);
  if (!m?.groups) return `unknown type ${typ}`;
  const g = m.groups;
  const base = typ.replace(/\?$/, '').replace(/\(.*$/, '');
  const num = (x: string | undefined) => (x === undefined ? undefined : Number(x));
  const inRange = (n: number, min?: number, max?: number) =>
    (min === undefined || n >= min) && (max === undefined || n <= max);
  switch (base) {
    case 'str':
    case 'password': {
      const s = String(value);
      const min = num(g.s_min ?? g.p_min);
      const max = num(g.s_max ?? g.p_max);
      return inRange(s.length, min, max) ? undefined : `length of ${s} out of range`;
    }
    case 'int': {
      const n = Number(value);
      if (!Number.isInteger(n)) return `${value} is not an integer`;
      return inRange(n, num(g.i_min), num(g.i_max)) ? undefined : `${n} out of ${typ}`;
    }
    case 'float': {
      const n = Number(value);
      if (Number.isNaN(n)) return `${value} is not a number`;
      return inRange(n, num(g.f_min), num(g.f_max)) ? undefined : `${n} out of ${typ}`;
    }
    case 'bool':
      return typeof value === 'boolean' ? undefined : `${value} is not a boolean`;
    case 'match':
      // vol.Match uses re.match: anchored at the start only.
      return new RegExp(`^(?:${g.match})`).test(String(value)) ? undefined : `${value} does not match`;
    case 'list':
      return (g.list ?? '').split('|').includes(String(value)) ? undefined : `${value} not in ${typ}`;
    case 'device':
      return typeof value === 'string' ? undefined : `${value} is not a device path`;
    default:
      return undefined;
  }
}

/**
 * apps/options.py `AppOptions.__call__`: the options the Supervisor accepts when the form is
 * saved, with every problem it would raise. Unknown keys are dropped with a warning (not an
 * error); a missing dict, or a missing list of dicts, is an error ("Missing option"), a missing
 * `str?` or `["str?"]` is not.
 */
export function supervisorProblems(
  schema: Record<string, unknown>,
  options: Record<string, unknown>,
): string[] {
  const problems: string[] = [];
  const element = (typ: unknown, value: unknown, key: string) => {
    if (Array.isArray(typ)) {
      if (!Array.isArray(value)) problems.push(`Invalid list for option '${key}'`);
      else for (const v of value) element(typ[0], v, key);
    } else if (typ && typeof typ === 'object') {
      if (!value || typeof value !== 'object' || Array.isArray(value))
        problems.push(`Invalid dict for option '${key}'`);
      else dict(typ as Record<string, unknown>, value as Record<string, unknown>, key);
    } else if (value === null || value === undefined) problems.push(`Missing required option '${key}'`);
    else {
      const p = supervisorAccepts(String(typ), value);
      if (p) problems.push(`${key}: ${p}`);
    }
  };
  const dict = (typ: Record<string, unknown>, value: Record<string, unknown>, root: string) => {
    for (const [k, v] of Object.entries(value)) if (k in typ) element(typ[k], v, k);
    for (const miss of Object.keys(typ).filter((k) => !(k in value))) {
      let s = typ[miss];
      if (Array.isArray(s) && s.length > 0) s = s[0];
      if (typeof s === 'string' && s.endsWith('?')) continue;
      problems.push(`Missing option '${miss}' in ${root}`);
    }
  };
  dict(schema, options, 'root');
  return problems;
}
