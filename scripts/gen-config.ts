/**
 * Generates, from the one JSON Schema in addon/src/config/schema.ts:
 * - addon/src/config/types.generated.ts: `MonitorConfig`, the config after defaults are applied
 *   (a key with a default is required in the type, because validation fills it in);
 * - addon/src/config/validator.generated.ts: the Ajv validator compiled ahead of time
 *   (standalone code), so that the service does not compile it at every start: measured, the
 *   process then takes ~9 MB less memory and starts ~60 ms sooner (bench/core.ts);
 * - docs/configuration.md: every key with its title, type, default and description.
 * `--check` exits 1 if the committed files differ (run by the tests).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { compile } from 'json-schema-to-typescript';
import { AJV_OPTIONS } from '../addon/src/config/ajv-options.js';
import type { JsonSchema } from '../addon/src/config/json-schema.js';
import { configSchema } from '../addon/src/config/schema.js';

/** The validator as ES module source (checked by the same --check as the other outputs). */
export function validatorSource(banner: string, schema: JsonSchema = configSchema): string {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  const validate = ajv.compile(schema);
  // The CommonJS default export of ajv/dist/standalone, as seen from an ES module.
  const gen = standaloneCode as unknown as { default?: typeof standaloneCode } & typeof standaloneCode;
  const code = (gen.default ?? gen)(ajv, validate);
  // Some keywords (minLength, uniqueItems…) make Ajv emit `require("ajv/dist/runtime/…")`
  // even in ES module output: give the module a require of its own (works under Node and in
  // the rollup bundle, where ajv is installed beside it).
  const prelude = code.includes('require(')
    ? "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n"
    : '';
  return `// @ts-nocheck\n${banner}\n${prelude}${code}\n`;
}

export function withDefaultsRequired(s: JsonSchema, root = true): JsonSchema {
  const out: JsonSchema = { ...s };
  // Titles would become one named type per key (and collide between modules): keep them for the docs only.
  if (!root) delete out.title;
  if (s.properties) {
    out.properties = Object.fromEntries(
      Object.entries(s.properties).map(([k, v]) => [k, withDefaultsRequired(v, false)]),
    );
    const req = new Set(s.required ?? []);
    for (const [k, v] of Object.entries(s.properties)) if (v.default !== undefined) req.add(k);
    if (req.size) out.required = [...req];
  }
  if (s.items) out.items = withDefaultsRequired(s.items, false);
  if (s.additionalProperties && typeof s.additionalProperties === 'object')
    out.additionalProperties = withDefaultsRequired(s.additionalProperties, false);
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const list = s[key];
    if (list) out[key] = list.map((x) => withDefaultsRequired(x, false));
  }
  return out;
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (Array.isArray(s.type)) return s.type.join(' \\| ');
  if (s.type === 'array' && s.items) return `array of ${typeOf(s.items)}`;
  return s.type ?? 'any';
}

export function docRows(s: JsonSchema, prefix = ''): string[] {
  const rows: string[] = [];
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    const path = prefix ? `${prefix}.${k}` : k;
    const def =
      v.default === undefined
        ? s.required?.includes(k)
          ? '*required*'
          : '—'
        : `\`${JSON.stringify(v.default)}\``;
    const desc = (v.description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
    rows.push(`| \`${path}\` | ${typeOf(v)} | ${def} | ${v.title ? `**${v.title}.** ` : ''}${desc} |`);
    if (v.type === 'object' && v.properties) rows.push(...docRows(v, path));
    if (v.type === 'array' && v.items?.properties) rows.push(...docRows(v.items, `${path}[]`));
  }
  return rows;
}

/**
 * Home Assistant add-on option schema (config.yaml `schema:`), from the JSON Schema. Every key is
 * optional (`?`) there: the add-on passes what the user set and Monitor's validation does the rest.
 */
export function addonSchema(s: JsonSchema): unknown {
  if (s.type === 'object' || s.properties) {
    if (!s.properties) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.properties)) {
      const sub = addonSchema(v);
      if (sub !== undefined) out[k] = sub;
    }
    return out;
  }
  if (s.type === 'array') {
    const item = s.items ? addonSchema(s.items) : 'str';
    return item === undefined ? undefined : [item];
  }
  const secret = /password|token|api_key|pin|secret/i.test(s.title ?? '') ? 'password' : undefined;
  if (s.enum?.every((v) => typeof v === 'number')) return 'int?';
  if (s.enum) return `list(${s.enum.join('|')})?`;
  switch (s.type) {
    case 'integer':
      return 'int?';
    case 'number':
      return 'float?';
    case 'boolean':
      return 'bool?';
    case 'string':
      return `${secret ?? 'str'}?`;
    default:
      return 'str?';
  }
}

function yamlOf(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return value
      .map((v) =>
        typeof v === 'object' && v ? `${pad}- ${yamlOf(v, indent + 2).trimStart()}` : `${pad}- ${String(v)}`,
      )
      .join('\n');
  }
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) =>
        typeof v === 'object' && v !== null
          ? `${pad}${k}:\n${yamlOf(v, indent + 2)}`
          : `${pad}${k}: ${JSON.stringify(v)}`,
      )
      .join('\n');
  }
  return `${pad}${JSON.stringify(value)}`;
}

export function addonConfigYaml(version: string): string {
  const manifest = {
    name: 'Monitor',
    version,
    slug: 'monitor',
    description: 'SMS over a GSM modem, Linky meter, 3D printers and alarm, over MQTT discovery',
    url: 'https://github.com/monitor-ha/monitor',
    arch: ['aarch64', 'amd64', 'armv7'],
    init: false,
    startup: 'application',
    boot: 'auto',
    services: ['mqtt:need'],
    homeassistant_api: true,
    hassio_api: true,
    uart: true,
    usb: true,
    map: ['homeassistant_config:rw'],
    options: { node_id: 'monitor', language: 'auto' },
  };
  return [
    '# Generated by `npm run gen` from addon/src/config/schema.ts. Do not edit by hand.',
    yamlOf(manifest),
    'schema:',
    yamlOf(addonSchema(configSchema), 2),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const banner = '/* Generated by `npm run gen` from addon/src/config/schema.ts. Do not edit by hand. */';
  const ts = await compile(withDefaultsRequired(configSchema) as never, 'MonitorConfig', {
    bannerComment: banner,
    additionalProperties: false,
    style: { singleQuote: true, printWidth: 110 },
  });
  const md = [
    '# Configuration',
    '',
    'Generated from the JSON Schema (`addon/src/config/schema.ts`) by `npm run gen`.',
    'Give it as YAML or JSON with `monitor run --config FILE`, or as the add-on options.',
    'A string written exactly `${NAME}` is read from the environment variable NAME.',
    'A module runs when its section (`sms`, `linky`, `printers`, `alarm`) is present.',
    '',
    '| key | type | default | description |',
    '| --- | --- | --- | --- |',
    ...docRows(configSchema),
    '',
  ].join('\n');
  const outputs: Array<[string, string]> = [
    ['addon/src/config/types.generated.ts', ts],
    ['addon/src/config/validator.generated.ts', validatorSource(banner)],
    ['docs/configuration.md', md],
    ['addon/config.yaml', addonConfigYaml(JSON.parse(readFileSync('package.json', 'utf8')).version)],
  ];
  let stale = false;
  for (const [file, content] of outputs) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {}
    if (current === content) continue;
    if (check) {
      console.error(`${file} is out of date: run npm run gen`);
      stale = true;
    } else {
      writeFileSync(file, content);
      console.log(`wrote ${file}`);
    }
  }
  if (stale) process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
