/**
 * The Home Assistant app in addon/: config.yaml follows the Supervisor's rules (supervisor-rules.ts),
 * least privilege, the prebuilt-image route without a way to build it wrongly, every option of
 * the JSON Schema offered (or hidden for a stated reason) with a type that accepts what Monitor
 * accepts and refuses what it refuses, defaults equal to the schema's, and a name and a
 * description in English and French; repository.yaml, icon, logo, docs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { appOptionsToConfig } from '../../addon/src/config/app-options.js';
import type { JsonSchema } from '../../addon/src/config/json-schema.js';
import { loadConfigFile, loadConfigObject } from '../../addon/src/config/load.js';
import { FRENCH_OPTIONS } from '../../addon/src/config/schema.fr.js';
import { configSchema } from '../../addon/src/config/schema.js';
import { validateConfig } from '../../addon/src/config/validate.js';
import { APP_HIDDEN, APP_SERIAL_PORTS, appSchema, HA_MIN_VERSION } from '../../scripts/app-manifest.js';
import { ROOT } from '../helpers/build.js';
import {
  BOOT,
  KNOWN_KEYS,
  LEGACY_MAP_TYPES,
  MAP_TYPES,
  RE_SCHEMA_ELEMENT,
  RE_SERVICE,
  RE_SLUG,
  RE_WATCHDOG,
  STARTUP,
  supervisorAccepts,
  supervisorProblems,
} from './supervisor-rules.js';

const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const config = parse(read('addon/config.yaml')) as Record<string, unknown>;
const appOptionSchema = config.schema as Record<string, unknown>;

/** Every option of the JSON Schema: path (`a.b`, `a.list[].c`) → its schema. */
function jsonOptions(
  s: JsonSchema,
  prefix = '',
  out = new Map<string, JsonSchema>(),
): Map<string, JsonSchema> {
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    const path = prefix ? `${prefix}.${k}` : k;
    out.set(path, v);
    if (v.properties) jsonOptions(v, path, out);
    if (v.items?.properties) jsonOptions(v.items, `${path}[]`, out);
  }
  return out;
}

/** The app schema's entry at a JSON path (undefined when the form does not offer it). */
function appEntryAt(path: string): unknown {
  let node: unknown = appOptionSchema;
  for (const part of path.split('.')) {
    const name = part.replace(/\[\]$/, '');
    node = (node as Record<string, unknown> | undefined)?.[name];
    if (part.endsWith('[]')) node = Array.isArray(node) ? node[0] : undefined;
  }
  return node;
}

/** A config object with `value` at `path` (list items become one-element lists). */
function configWith(path: string, value: unknown): Record<string, unknown> {
  const parts = path.split('.');
  const build = (i: number): unknown => {
    if (i === parts.length) return value;
    const part = parts[i] as string;
    const inner = build(i + 1);
    return part.endsWith('[]') ? { [part.slice(0, -2)]: [inner] } : { [part]: inner };
  };
  const root = build(0) as Record<string, unknown>;
  return root;
}

/** Monitor's own problems about exactly this option. */
function monitorProblems(path: string, value: unknown): string[] {
  const concrete = path.replaceAll('[]', '[0]');
  const res = validateConfig(configWith(path, value));
  return res.ok ? [] : res.problems.filter((p) => p.startsWith(`${concrete}:`));
}

describe('config.yaml follows the Supervisor rules', () => {
  test('required keys, slug, version, only known keys, current arch list', () => {
    for (const k of ['name', 'version', 'slug', 'description', 'arch']) assert.ok(config[k], `no ${k}`);
    assert.match(String(config.slug), RE_SLUG);
    assert.match(String(config.version), /^\d+\.\d+\.\d+$/);
    const unknown = Object.keys(config).filter((k) => !KNOWN_KEYS.has(k));
    assert.deepEqual(unknown, [], 'keys the Supervisor drops silently');
    assert.deepEqual([...(config.arch as string[])].sort(), ['aarch64', 'amd64']);
    assert.ok(STARTUP.has(String(config.startup)));
    assert.ok(BOOT.has(String(config.boot)));
    assert.match(String(config.watchdog), RE_WATCHDOG);
    assert.equal(config.homeassistant, HA_MIN_VERSION);
  });

  test('services, serial access, map entries of 2026 types', () => {
    assert.deepEqual(config.services, ['mqtt:need']);
    for (const s of config.services as string[]) assert.match(s, RE_SERVICE);
    assert.equal(config.uart, true);
    assert.equal(config.homeassistant_api, true);
    const map = config.map as Array<{ type: string; read_only?: boolean }>;
    assert.deepEqual(map.map((m) => m.type).sort(), ['app_config', 'homeassistant_config']);
    for (const m of map) {
      assert.ok(MAP_TYPES.has(m.type), m.type);
      assert.ok(!LEGACY_MAP_TYPES.has(m.type), `${m.type} is a legacy map type`);
    }
    assert.ok(Array.isArray(config.backup_exclude) && (config.backup_exclude as string[]).length > 0);
    assert.equal(typeof config.ingress_port, 'number', 'the ingress seam names its port');
    assert.match(String(config.watchdog), new RegExp(`\\[PORT:${config.ingress_port}\\]`));
  });

  test('least privilege: no full access, no Supervisor API, no host namespaces, maps read-only but for bridge.install', () => {
    for (const k of [
      'full_access',
      'hassio_api',
      'docker_api',
      'host_network',
      'host_pid',
      'privileged',
      'usb',
    ])
      assert.ok(!config[k], `${k} must not be set`);
    assert.notEqual(config.apparmor, false);
    // HA's configuration is writable for one reason: bridge.install copies monitor_bridge into
    // custom_components (addon/src/modules/bridge/install.ts). Everything else stays read-only.
    assert.ok(
      configSchema.properties?.bridge?.properties?.install,
      'bridge.install is why HA config is writable',
    );
    for (const m of config.map as Array<{ type: string; read_only?: boolean }>)
      if (m.type !== 'homeassistant_config')
        assert.notEqual(m.read_only, false, `${m.type} mapped read-write`);
  });

  test('every option type is one the Supervisor parses; match() patterns compile in Python', () => {
    const patterns: string[] = [];
    const walk = (node: unknown, path: string, inList: boolean) => {
      if (typeof node === 'string') {
        assert.match(node, RE_SCHEMA_ELEMENT, `${path}: ${node}`);
        const m = /^match\((.*)\)\??$/.exec(node);
        if (m) patterns.push(m[1] as string);
      } else if (Array.isArray(node)) {
        assert.ok(!inList, `${path}: a list directly in a list`);
        assert.equal(node.length, 1, `${path}: a list has one element type`);
        walk(node[0], `${path}[]`, true);
      } else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`, false);
      } else assert.fail(`${path}: ${String(node)}`);
    };
    walk(appOptionSchema, 'schema', false);
    const py = spawnSync(
      'python3',
      ['-c', 'import re,sys,json\nfor p in json.load(sys.stdin): re.compile(p)'],
      {
        input: JSON.stringify(patterns),
        encoding: 'utf8',
      },
    );
    assert.equal(py.status, 0, py.stderr);
  });
});

describe('options agree with the JSON Schema', () => {
  const options = jsonOptions(configSchema);

  test('every option is offered, or hidden for a stated reason that still holds', () => {
    const missing = [...options.keys()].filter(
      (p) =>
        appEntryAt(p) === undefined && !Object.keys(APP_HIDDEN).some((h) => p === h || p.startsWith(`${h}.`)),
    );
    assert.deepEqual(missing, [], 'options missing from config.yaml and not in APP_HIDDEN');
    for (const [path, reason] of Object.entries(APP_HIDDEN)) {
      assert.ok(options.has(path), `APP_HIDDEN names ${path}, which is not an option anymore`);
      assert.ok(reason.length > 10);
      const s = options.get(path) as JsonSchema;
      const expressible = appSchema({ type: 'object', properties: { x: s } });
      if (s.type === 'object')
        assert.equal(expressible, undefined, `${path} has options now: remove it from APP_HIDDEN`);
    }
  });

  test('serial ports are chosen among the host tty devices', () => {
    for (const p of APP_SERIAL_PORTS) assert.equal(appEntryAt(p), 'device(subsystem=tty)?', p);
  });

  test('the type of each option accepts what Monitor accepts and refuses what it refuses', () => {
    let compared = 0;
    for (const [path, s] of options) {
      const typ = appEntryAt(path);
      if (typeof typ !== 'string') continue;
      const samples: unknown[] = [];
      if (s.default !== undefined && typeof s.default !== 'object') samples.push(s.default);
      for (const v of s.enum ?? []) samples.push(v);
      for (const b of [s.minimum, s.maximum]) if (b !== undefined) samples.push(b);
      for (const v of samples) {
        assert.equal(supervisorAccepts(typ, v), undefined, `${path} (${typ}) refuses ${JSON.stringify(v)}`);
        assert.deepEqual(monitorProblems(path, v), [], `${path}: Monitor refuses ${JSON.stringify(v)}`);
        compared++;
      }
      const outside: unknown[] = [];
      if (s.minimum !== undefined) outside.push(s.minimum - (s.type === 'integer' ? 1 : 0.01));
      if (s.maximum !== undefined) outside.push(s.maximum + 1);
      if (s.enum) outside.push(typeof s.enum[0] === 'number' ? 3 : 'not-a-choice');
      if (s.type === 'integer') outside.push(1.5);
      for (const v of outside) {
        assert.notEqual(
          supervisorAccepts(typ, v),
          undefined,
          `${path} (${typ}) accepts ${JSON.stringify(v)}`,
        );
        assert.notDeepEqual(monitorProblems(path, v), [], `${path}: Monitor accepts ${JSON.stringify(v)}`);
        compared++;
      }
      const secret = /^(password|token|api_key|pin)$|(_token|_password|_pin)$/.test(
        path.split('.').pop() ?? '',
      );
      if (secret && s.type === 'string')
        assert.match(typ, /^password/, `${path} is a secret: the form must mask it`);
    }
    assert.ok(compared > 100, `only ${compared} comparisons`);
  });

  test('pre-filled options are the schema defaults and a valid Monitor configuration', () => {
    const prefilled = config.options as Record<string, unknown>;
    const walk = (node: Record<string, unknown>, prefix: string) => {
      for (const [k, v] of Object.entries(node)) {
        const path = prefix ? `${prefix}.${k}` : k;
        if (v && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, path);
        else if (Array.isArray(v))
          assert.deepEqual(v, options.get(path)?.default ?? [], `${path}: not the default`);
        else {
          assert.equal(v, options.get(path)?.default, `${path}: not the schema default`);
          assert.equal(supervisorAccepts(appEntryAt(path) as string, v), undefined, path);
        }
      }
    };
    walk(prefilled, '');
    assert.equal(prefilled.node_id, 'monitor');
    const cfg = loadConfigObject(appOptionsToConfig(prefilled), {});
    assert.equal(cfg.mqtt.tls.reject_unauthorized, true, 'TLS certificates are checked by default');
  });
});

describe('translations', () => {
  const langs = { en: 'addon/translations/en.yaml', fr: 'addon/translations/fr.yaml' } as const;

  test('every offered option has a name and a description in English and French', () => {
    for (const [lang, file] of Object.entries(langs)) {
      const tr = (parse(read(file)) as { configuration: Record<string, unknown> }).configuration;
      const walk = (schema: unknown, names: Record<string, unknown> | undefined, path: string) => {
        const obj = Array.isArray(schema) ? schema[0] : schema;
        if (!obj || typeof obj !== 'object') return;
        for (const [k, v] of Object.entries(obj)) {
          const entry = names?.[k] as {
            name?: string;
            description?: string;
            fields?: Record<string, unknown>;
          };
          assert.ok(entry?.name, `${lang}: ${path}${k} has no name`);
          assert.ok(entry?.description, `${lang}: ${path}${k} has no description`);
          if (typeof v === 'object') walk(v, entry.fields, `${path}${k}.`);
        }
      };
      walk(appOptionSchema, tr, '');
    }
  });

  test('the French map covers every option of the JSON Schema, and names only existing ones', () => {
    const options = jsonOptions(configSchema);
    const missing = [...options.keys()].filter(
      (p) => !FRENCH_OPTIONS[p]?.title || !FRENCH_OPTIONS[p]?.description,
    );
    assert.deepEqual(missing, [], 'add these to addon/src/config/schema.fr.ts');
    const stale = Object.keys(FRENCH_OPTIONS).filter((p) => !options.has(p));
    assert.deepEqual(stale, [], 'options that no longer exist');
    const untranslated = [...options].filter(
      ([p, s]) => s.description && FRENCH_OPTIONS[p]?.description === s.description,
    );
    assert.deepEqual(untranslated, [], 'French text identical to the English one');
  });
});

describe('image, repository, files', () => {
  test('the prebuilt-image route: config.yaml names the image, nothing lets the Supervisor build', () => {
    assert.match(String(config.image), /^ghcr\.io\/[a-z0-9-]+\/monitor-\{arch\}$/);
    assert.ok(!existsSync(join(ROOT, 'addon/build.yaml')), 'build.yaml is retired');
    const dockerfile = read('addon/Dockerfile');
    assert.doesNotMatch(dockerfile, /ARG BUILD_FROM|\$\{?BUILD_FROM/);
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    assert.ok(froms.length >= 1);
    for (const f of froms)
      assert.match(f as string, /^ghcr\.io\/home-assistant\/base:3\.\d+( |$)/, 'a pinned Alpine base');
    // Copies from the repository root: built with addon/ as the context it cannot succeed.
    assert.match(dockerfile, /^COPY package\.json package-lock\.json/m);
    assert.match(dockerfile, /npm prune --omit=dev/);
    assert.match(read('addon/run.sh'), /^exec node \/opt\/monitor\/bin\/monitor\.js run$/m);
    // Every COPY source exists from the repository root, and package.json does not from addon/.
    for (const m of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm))
      for (const src of (m[1] as string).split(' ')) assert.ok(existsSync(join(ROOT, src)), `COPY ${src}`);
    assert.ok(!existsSync(join(ROOT, 'addon/package.json')));
  });

  test("serialport's musl prebuilt binding exists for every app architecture (Alpine base)", () => {
    const prebuilds = join(ROOT, 'node_modules/@serialport/bindings-cpp/prebuilds');
    const dirs: Record<string, string> = { amd64: 'linux-x64', aarch64: 'linux-arm64' };
    for (const arch of config.arch as string[]) {
      const dir = dirs[arch];
      assert.ok(dir, `no Node platform known for ${arch}`);
      const files = existsSync(join(prebuilds, dir)) ? readdirSync(join(prebuilds, dir)) : [];
      assert.ok(
        files.some((f) => f.endsWith('.musl.node')),
        `${arch}: no musl binding in ${dir}: ${files.join(', ')}`,
      );
      // The image's build stage runs rollup on Alpine: `npm ci` needs its musl binary in the lock.
      const rollup = `node_modules/@rollup/rollup-${dir}-musl`;
      assert.ok(read('package-lock.json').includes(`"${rollup}"`), `${rollup} is not in package-lock.json`);
    }
  });

  test('repository.yaml, icon 128x128, logo, DOCS.md, CHANGELOG.md with this version', () => {
    const repo = parse(read('repository.yaml')) as Record<string, string>;
    for (const k of ['name', 'url', 'maintainer']) assert.ok(repo[k], `repository.yaml: no ${k}`);
    const png = (p: string) => {
      const b = readFileSync(join(ROOT, p));
      assert.equal(b.subarray(1, 4).toString(), 'PNG', p);
      return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
    };
    assert.deepEqual(png('addon/icon.png'), { width: 128, height: 128 });
    const logo = png('addon/logo.png');
    assert.ok(logo.width >= 200 && logo.height <= logo.width, JSON.stringify(logo));
    assert.match(read('addon/DOCS.md'), /^# Monitor/);
    assert.match(
      read('addon/CHANGELOG.md'),
      new RegExp(`^## ${String(config.version).replaceAll('.', '\\.')}$`, 'm'),
    );
  });
});

describe('the options as the Supervisor validates and writes them', () => {
  const prefilled = config.options as Record<string, unknown>;

  test('the pre-filled options pass the Supervisor (no missing section or list)', () => {
    assert.deepEqual(supervisorProblems(appOptionSchema, prefilled), []);
  });

  test('pre-filled only: a valid Monitor config with no module; with a serial port: the sms module', () => {
    const none = appOptionsToConfig(structuredClone(prefilled));
    assert.deepEqual(none, {});
    const cfg = loadConfigObject(none, {});
    for (const m of ['sms', 'linky', 'printers'])
      assert.equal((cfg as unknown as Record<string, unknown>)[m], undefined, m);

    const form = structuredClone(prefilled) as Record<string, Record<string, unknown>>;
    form.sms = { ...form.sms, port: '/dev/serial/by-id/usb-HUAWEI-if00-port0' };
    form.language = 'fr' as never;
    assert.deepEqual(supervisorProblems(appOptionSchema, form), []);
    const withSms = loadConfigObject(appOptionsToConfig(form), {}) as unknown as Record<string, unknown>;
    assert.equal((withSms.sms as { port: string }).port, '/dev/serial/by-id/usb-HUAWEI-if00-port0');
    assert.equal(withSms.language, 'fr');
    for (const m of ['linky', 'printers']) assert.equal(withSms[m], undefined, m);
  });

  test('monitor run inside the app reads /data/options.json this way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'monitor-options-'));
    try {
      const file = join(dir, 'options.json');
      writeFileSync(file, JSON.stringify(prefilled));
      const loaded = loadConfigFile(undefined, {}, 'en', file);
      assert.equal(loaded.addon, true);
      assert.equal(loaded.config.data_dir, '/data');
      for (const m of ['sms', 'linky', 'printers'])
        assert.equal((loaded.config as unknown as Record<string, unknown>)[m], undefined, m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a list emptied in the form stays empty when its default is not', () => {
    const form = structuredClone(prefilled) as Record<string, Record<string, Record<string, unknown>>>;
    form.sms = { port: '/dev/ttyUSB0', commands: { keywords: [] } } as never;
    const cfg = loadConfigObject(appOptionsToConfig(form), {}) as unknown as {
      sms: { commands: { keywords: unknown[] } };
    };
    assert.deepEqual(cfg.sms.commands.keywords, []);
  });
});
