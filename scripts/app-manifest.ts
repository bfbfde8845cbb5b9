/**
 * The Home Assistant app (formerly "add-on") files generated from the one JSON Schema:
 * addon/config.yaml (manifest, options schema, defaults) and addon/translations/{en,fr}.yaml.
 * Format: HA's developer docs for apps (2026) and the Supervisor's own validator
 * (supervisor/apps/validate.py, apps/options.py), whose rules test/ship/app-manifest.test.ts
 * re-checks. Called by scripts/gen-config.ts (`npm run gen`).
 */
import { stringify } from 'yaml';
import type { JsonSchema } from '../addon/src/config/json-schema.js';
import { FRENCH_OPTIONS } from '../addon/src/config/schema.fr.js';
import { HEALTH_PORT } from '../addon/src/core/health.js';

/** Images built and pushed by .github/workflows/release.yml; the Supervisor pulls, never builds. */
export const APP_IMAGE = 'ghcr.io/monitor-ha/monitor-{arch}';
export const APP_ARCH = ['amd64', 'aarch64'];
/** Oldest Home Assistant the app and the cards are offered to (also hacs.json; checked by a test). */
export const HA_MIN_VERSION = '2025.1.0';

/** Options that name a serial device: the app's form offers the host's tty devices. */
export const APP_SERIAL_PORTS = ['sms.port', 'linky.meters[].port'];

/** Options the app's form does not offer, and why (standalone YAML still has them). */
export const APP_HIDDEN: Record<string, string> = {
  data_dir: 'the app keeps its state in /data, which the Supervisor backs up',
  'log.levels': 'a free map of namespace to level, which the options form cannot express',
  'sms.commands.keywords[].data': 'free-form data, which the options form cannot express',
};

/** Options pre-filled in the form, with the JSON Schema's default (the rest stays optional). */
export const APP_OPTION_DEFAULTS = ['node_id', 'language', 'log.level', 'mqtt.tls.reject_unauthorized'];

const SECRET_KEY = /^(password|token|api_key|pin|secret)$|(_token|_password|_pin|_key)$/;

/** One leaf option's type in the Supervisor's syntax (`str?`, `int(1,600)?`, `list(a|b)?`…). */
export function appLeafType(path: string, key: string, s: JsonSchema, optional = true): string {
  const q = optional ? '?' : '';
  const range = (min?: number, max?: number) =>
    min === undefined && max === undefined ? '' : `(${min ?? ''},${max ?? ''})`;
  if (APP_SERIAL_PORTS.includes(path)) return `device(subsystem=tty)${q}`;
  if (s.enum?.every((v) => typeof v === 'number')) {
    const values = s.enum as number[];
    return `int(${Math.min(...values)},${Math.max(...values)})${q}`;
  }
  if (s.enum) return `list(${s.enum.join('|')})${q}`;
  switch (s.type) {
    case 'integer':
      return `int${range(s.minimum, s.maximum)}${q}`;
    case 'number':
      return `float${range(s.minimum, s.maximum)}${q}`;
    case 'boolean':
      return `bool${q}`;
    default:
      if (SECRET_KEY.test(key)) return `password${q}`;
      if (s.pattern) return `match(${s.pattern})${q}`;
      return `str${q}`;
  }
}

/** The options schema for config.yaml; undefined where the form cannot express the option. */
export function appSchema(s: JsonSchema, path = ''): unknown {
  const child = (k: string) => (path ? `${path}.${k}` : k);
  if (s.type === 'object' || s.properties) {
    if (!s.properties) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.properties)) {
      if (APP_HIDDEN[child(k)] !== undefined) continue;
      const sub = v.type === 'object' || v.type === 'array' ? appSchema(v, child(k)) : undefined;
      const leaf = v.type !== 'object' && v.type !== 'array';
      const value = leaf ? appLeafType(child(k), k, v) : sub;
      if (value !== undefined) out[k] = value;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  if (s.type === 'array') {
    const items = s.items ?? { type: 'string' };
    const key = path.split('.').pop() ?? '';
    if (items.type === 'object') {
      const sub = appSchema(items, `${path}[]`);
      return sub === undefined ? undefined : [sub];
    }
    // `["str?"]`: a list the user may leave out (the Supervisor requires it otherwise).
    return [appLeafType(`${path}[]`, key, items)];
  }
  return undefined;
}

/**
 * The pre-filled options (`options:` of config.yaml). The Supervisor refuses options where a
 * section or a list of sections is missing, so every one is there (empty, or the list's
 * default), with the defaults of APP_OPTION_DEFAULTS; config/app-options.ts reads an untouched
 * section as absent.
 */
export function appOptions(root: JsonSchema): Record<string, unknown> {
  const skeleton = (s: JsonSchema, path: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      const p = path ? `${path}.${k}` : k;
      if (APP_HIDDEN[p] !== undefined) continue;
      if (v.type === 'object' && v.properties) out[k] = skeleton(v, p);
      else if (v.type === 'array' && v.items?.type === 'object') out[k] = v.default ?? [];
      else if (APP_OPTION_DEFAULTS.includes(p)) {
        if (v.default === undefined)
          throw new Error(`APP_OPTION_DEFAULTS: ${p} has no default in the schema`);
        out[k] = v.default;
      }
    }
    return out;
  };
  return skeleton(root, '');
}

interface TranslationEntry {
  name: string;
  description?: string;
  fields?: Record<string, TranslationEntry>;
}

/** `configuration:` of translations/<lang>.yaml for every option the form offers. */
export function appTranslations(root: JsonSchema, lang: 'en' | 'fr'): Record<string, TranslationEntry> {
  const walk = (s: JsonSchema, path: string): Record<string, TranslationEntry> => {
    const out: Record<string, TranslationEntry> = {};
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      const p = path ? `${path}.${k}` : k;
      if (APP_HIDDEN[p] !== undefined) continue;
      const fr = FRENCH_OPTIONS[p];
      const text = lang === 'fr' ? fr : { title: v.title, description: v.description };
      if (!text?.title) throw new Error(`${p}: no ${lang === 'fr' ? 'French' : 'English'} title`);
      const entry: TranslationEntry = { name: text.title };
      if (text.description) entry.description = text.description;
      const inner = v.type === 'array' ? v.items : v;
      const innerPath = v.type === 'array' ? `${p}[]` : p;
      if (inner?.properties) {
        const fields = walk(inner, innerPath);
        if (Object.keys(fields).length > 0) entry.fields = fields;
      }
      out[k] = entry;
    }
    return out;
  };
  return walk(root, '');
}

export const GENERATED_HEADER =
  '# Generated by `npm run gen` (scripts/app-manifest.ts) from addon/src/config/schema.ts. Do not edit by hand.';

export function appConfigYaml(version: string, root: JsonSchema): string {
  const manifest = {
    name: 'Monitor',
    version,
    slug: 'monitor',
    description: 'SMS over a GSM modem, Linky meter, 3D printers and alarm, over MQTT discovery',
    url: 'https://github.com/monitor-ha/monitor',
    image: APP_IMAGE,
    arch: APP_ARCH,
    homeassistant: HA_MIN_VERSION,
    // The image's own init (s6-overlay in the base image) is not used: run.sh execs Node directly.
    init: false,
    startup: 'application',
    boot: 'auto',
    services: ['mqtt:need'],
    // The websocket proxy (statistics import, service calls); no Supervisor API is needed.
    homeassistant_api: true,
    // Serial devices (modem, TIC adapter) are chosen in the options among the host's ttys.
    uart: true,
    map: [
      { type: 'app_config', read_only: true },
      // Written only by `bridge.install` (the monitor_bridge integration copied into
      // custom_components when older); nothing else of HA's configuration is touched.
      { type: 'homeassistant_config', read_only: false },
    ],
    // The health endpoint is the seam where the ingress web panel will be served.
    watchdog: `tcp://[HOST]:[PORT:${HEALTH_PORT}]`,
    ingress: false,
    ingress_port: HEALTH_PORT,
    panel_icon: 'mdi:message-alert',
    // Re-fetchable caches: Enedis history (re-imported on restore) and atomic-write leftovers.
    backup_exclude: ['*.tmp', '**/*.tmp', 'linky/enedis-*.json', 'linky/tempo-days.json'],
    options: appOptions(root),
    schema: appSchema(root),
  };
  return `${GENERATED_HEADER}\n${stringify(manifest, { lineWidth: 0 })}`;
}

export function appTranslationsYaml(root: JsonSchema, lang: 'en' | 'fr'): string {
  return `${GENERATED_HEADER}\n${stringify({ configuration: appTranslations(root, lang) }, { lineWidth: 0 })}`;
}
