/**
 * Reading the configuration: `--config FILE` (YAML or JSON) standalone, or
 * `/data/options.json` inside the add-on. A string value written exactly `${NAME}` is replaced
 * by the environment variable NAME (for secrets); nothing else in a value is interpreted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Lang } from '../core/i18n.js';
import type { SecretRegistry } from '../core/logger.js';
import { appOptionsToConfig } from './app-options.js';
import type { MonitorConfig } from './types.generated.js';
import { validateConfig } from './validate.js';

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

export function parseConfigText(text: string, file: string): unknown {
  if (file.endsWith('.json')) return JSON.parse(text);
  return parseYaml(text, { prettyErrors: true });
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
  const missing: string[] = [];
  const substituted = substituteEnv(raw ?? {}, env, '', missing);
  const res = validateConfig(substituted, lang);
  const problems = [...missing, ...(res.ok ? [] : res.problems)];
  if (problems.length > 0 || !res.ok) throw new ConfigError(problems);
  return res.config;
}

const SECRET_KEYS = /^(password|token|api_key|apikey|pin|secret|access_token|bearer)$/i;

/** Registers every secret-looking value of the config (any depth) so that logs never show it. */
export function registerSecrets(value: unknown, secrets: SecretRegistry, key = ''): void {
  if (SECRET_KEYS.test(key) || /(_token|_password|_pin|_key)$/i.test(key)) {
    if (typeof value === 'string' || typeof value === 'number') secrets.add(value);
  }
  if (Array.isArray(value)) for (const v of value) registerSecrets(v, secrets, key === 'pins' ? 'pin' : '');
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) registerSecrets(v, secrets, k);
}
