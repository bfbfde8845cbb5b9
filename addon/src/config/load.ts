/**
 * Reading the configuration: `--config FILE` (YAML or JSON) standalone, or
 * `/data/options.json` inside the add-on. A string value written exactly `${NAME}` is replaced
 * by the environment variable NAME (for secrets); nothing else in a value is interpreted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Lang } from '../core/i18n.js';
import { SECRET_KEY, type SecretRegistry } from '../core/logger.js';
import { onDemand } from '../core/on-demand.js';
import { appOptionsToConfig } from './app-options.js';
import { checkConfig } from './semantic.js';
import type { MonitorConfig } from './types.generated.js';

export const ADDON_OPTIONS = '/data/options.json';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  config: MonitorConfig;
  /** The file it came from (undefined when given as an object). */
  file?: string;
  /** Whether it runs as a Home Assistant add-on. */
  addon: boolean;
}

const ENV_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** Replaces `${NAME}` string values by environment variables; reports the missing ones. */
export function substituteEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path = '',
  missing: string[] = [],
): unknown {
  if (typeof value === 'string') {
    const m = ENV_REF.exec(value);
    if (!m) return value;
    const name = m[1] as string;
    const v = env[name];
    if (v === undefined) missing.push(`${path || '(root)'}: environment variable ${name} is not set`);
    return v ?? '';
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, `${path}[${i}]`, missing));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = substituteEnv(v, env, path ? `${path}.${k}` : k, missing);
    return out;
  }
  return value;
}

/**
 * YAML 1.1 merge keys (`<<: *defaults`) are resolved, as Home Assistant users write them;
 * without `merge: true` the `yaml` package keeps `<<` as a key and the check refused it.
 */
export function parseConfigText(text: string, file: string): unknown {
  if (file.endsWith('.json')) return JSON.parse(text);
  return yaml().parse(text, { prettyErrors: true, merge: true });
}

/**
 * The YAML parser (~120 kB of code) is required the first time a YAML file is read, so the app
 * (/data/options.json) and JSON configs never load it: kept out of the bundle
 * (rollup.config.mjs, LOAD_ON_DEMAND), installed beside it by npm. Synchronous, as config
 * loading is.
 */
const yaml = onDemand<typeof import('yaml')>('yaml');

/** Keys that reach an object's prototype when assigned: refused anywhere in a config. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `path: key "__proto__" is not allowed` for each forbidden key, at any depth. */
export function forbiddenKeys(value: unknown, lang: Lang = 'en', path = '', out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) forbiddenKeys(v, lang, `${path}[${i}]`, out);
  } else if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      const here = path ? `${path}.${k}` : k;
      if (FORBIDDEN_KEYS.has(k))
        out.push(
          lang === 'fr'
            ? `${path || '(racine)'} : clé « ${k} » interdite`
            : `${path || '(root)'}: key "${k}" is not allowed`,
        );
      else forbiddenKeys((value as Record<string, unknown>)[k], lang, here, out);
    }
  }
  return out;
}

/** Loads, substitutes, validates. Throws ConfigError with every problem as `path: problem`. */
export function loadConfigFile(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  lang: Lang = 'en',
  addonOptions = ADDON_OPTIONS,
): LoadedConfig {
  const addon = !file && existsSync(addonOptions);
  const path = file ? resolve(file) : addon ? addonOptions : undefined;
  if (!path)
    throw new ConfigError([
      lang === 'fr'
        ? '(racine) : aucun fichier de configuration (--config FICHIER)'
        : '(root): no configuration file (--config FILE)',
    ]);
  let raw: unknown;
  try {
    raw = parseConfigText(readFileSync(path, 'utf8'), path);
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new ConfigError([`${path}: ${lang === 'fr' ? 'illisible' : 'cannot be read'}: ${msg}`]);
  }
  // The app's form always holds every section: keep only what the user set (app-options.ts).
  const cfg = loadConfigObject(addon ? appOptionsToConfig(raw) : raw, env, lang);
  // Under systemd (`monitor install-service`), StateDirectory= gives $STATE_DIRECTORY.
  if (!cfg.data_dir)
    cfg.data_dir = addon
      ? '/data'
      : env.STATE_DIRECTORY?.split(':')[0] || join(dirname(path), 'monitor-data');
  return { config: cfg, file: path, addon };
}

export function loadConfigObject(
  raw: unknown,
  env: NodeJS.ProcessEnv = process.env,
  lang: Lang = 'en',
): MonitorConfig {
  // Before anything copies the tree: `out["__proto__"] = …` would replace a prototype.
  const forbidden = forbiddenKeys(raw, lang);
  if (forbidden.length > 0) throw new ConfigError(forbidden);
  const missing: string[] = [];
  const substituted = substituteEnv(raw ?? {}, env, '', missing);
  const res = checkConfig(substituted, lang);
  const problems = [...missing, ...(res.ok ? [] : res.problems)];
  if (problems.length > 0 || !res.ok) throw new ConfigError(problems);
  return res.config;
}

/**
 * Registers every secret-looking value of the config (any depth) with the log's text pass.
 * Only long ones are kept there (SecretRegistry.add): a PIN is kept out of logs by field.
 */
export function registerSecrets(value: unknown, secrets: SecretRegistry, key = ''): void {
  if (SECRET_KEY.test(key)) {
    if (typeof value === 'string' || typeof value === 'number') secrets.add(value);
  }
  if (Array.isArray(value)) for (const v of value) registerSecrets(v, secrets, key === 'pins' ? 'pin' : '');
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) registerSecrets(v, secrets, k);
}
