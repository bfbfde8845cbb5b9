/**
 * Configuration: one JSON Schema, every problem at once as `path: problem`, YAML and JSON
 * files, `${ENV}` secrets, defaults; `monitor config check`; the generated type and docs are
 * current; a process given a wrong config exits before touching the broker.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { JsonSchema } from '../../addon/src/config/json-schema.js';
import { ConfigError, loadConfigFile, loadConfigObject, substituteEnv } from '../../addon/src/config/load.js';
import { configSchema } from '../../addon/src/config/schema.js';
import { closest, validateConfig } from '../../addon/src/config/validate.js';
import { RESERVED_SECTIONS } from '../../addon/src/modules/index.js';
import { validatorSource } from '../../scripts/gen-config.js';
import { ensureBuilt, ROOT } from '../helpers/build.js';
import { runCli } from '../helpers/cli.js';
import { MonitorProcess, tempConfig } from '../helpers/monitor-process.js';
import { Mosquitto } from '../helpers/mosquitto.js';

const WRONG = {
  nodeid: 'x', // wrong key
  mqtt: {
    keepalive: 'often', // wrong type
    protocol_version: 3, // bad enum
    tls: { cafile: '/x' }, // nested wrong key
  },
  log: { level: 'loud' }, // bad enum
  sms: {}, // missing required
};

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  assert.fail('expected a ConfigError');
}

describe('validation', () => {
  test('every problem is reported at once, each as "path: problem"', () => {
    const problems = problemsOf(() => loadConfigObject(WRONG, {}));
    assert.deepEqual(problems.sort(), [
      '(root): unknown key "nodeid" (did you mean "node_id"?)',
      'log.level: must be one of "debug", "info", "warn", "error", "silent"',
      'mqtt.keepalive: must be of type integer',
      'mqtt.protocol_version: must be one of 4, 5',
      'mqtt.tls: unknown key "cafile" (did you mean "ca"?)',
      'sms.port: is required',
    ]);
  });

  test('array items are addressed with their index; numbers are range-checked', () => {
    const r = validateConfig({
      printers: { list: [{ name: 'a', url: 'u' }, { name: 2 }] },
      mqtt: { keepalive: 1 },
    });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.ok(r.problems.includes('printers.list[1].url: is required'), r.problems.join('\n'));
    assert.ok(r.problems.includes('printers.list[1].name: must be of type string'));
    assert.ok(r.problems.includes('mqtt.keepalive: must be >= 5'));
  });

  test('problems in French when asked', () => {
    const r = validateConfig({ mqtt: { keepalive: 'x', urll: 1 } }, 'fr');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.ok(r.problems.includes('mqtt.keepalive: doit être de type integer'));
    assert.ok(r.problems.some((p) => p.startsWith('mqtt: clé inconnue « urll »')));
  });

  test('defaults are applied at every depth; an empty file is a valid config', () => {
    const c = loadConfigObject(null, {});
    assert.equal(c.node_id, 'monitor');
    assert.equal(c.mqtt.url, 'mqtt://localhost:1883');
    assert.equal(c.mqtt.tls.reject_unauthorized, true);
    assert.equal(c.discovery.coalesce_ms, 50);
    assert.equal(c.discovery.birth_topic, 'homeassistant/status');
    assert.equal(c.log.level, 'info');
    assert.equal(c.homeassistant.url, '');
    assert.equal(c.sms, undefined, 'a module section has no default: absent means the module does not run');
    const partial = loadConfigObject({ mqtt: { url: 'mqtt://b:1883' } }, {});
    assert.equal(partial.mqtt.url, 'mqtt://b:1883');
    assert.equal(partial.mqtt.keepalive, 30);
  });

  test('every key of the schema has a title, a description and a default (unless required or a module section)', () => {
    const missing: string[] = [];
    const walk = (s: JsonSchema, path: string, required: string[], moduleLevel: boolean) => {
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        const p = path ? `${path}.${k}` : k;
        const isModule = moduleLevel && (RESERVED_SECTIONS as readonly string[]).includes(k);
        if (!isModule) {
          if (!v.title) missing.push(`${p}: title`);
          if (!v.description) missing.push(`${p}: description`);
          if (v.default === undefined && !required.includes(k)) missing.push(`${p}: default`);
        }
        // Module sections belong to their helpers; only the core's own keys are checked here.
        if (!isModule && v.properties) walk(v, p, v.required ?? [], false);
      }
    };
    walk(configSchema, '', configSchema.required ?? [], true);
    assert.deepEqual(missing, []);
  });

  test('"did you mean" finds the nearest known key, and nothing when none is near', () => {
    assert.equal(closest('urll', ['url', 'username']), 'url');
    assert.equal(closest('pasword', ['password', 'url']), 'password');
    assert.equal(closest('zzzzzz', ['url', 'username']), undefined);
  });
});

describe('environment variables', () => {
  test('a value written exactly ${NAME} is replaced; anything else is left as data', () => {
    const missing: string[] = [];
    const out = substituteEnv(
      { a: '${SECRET}', b: 'x${SECRET}', c: ['${SECRET}'], d: 5, e: '$(echo hi)' },
      { SECRET: 's3cr3t' },
      '',
      missing,
    );
    assert.deepEqual(out, { a: 's3cr3t', b: 'x${SECRET}', c: ['s3cr3t'], d: 5, e: '$(echo hi)' });
    assert.deepEqual(missing, []);
  });

  test('a missing variable is reported with its path, together with the schema problems', () => {
    const problems = problemsOf(() =>
      loadConfigObject({ mqtt: { password: '${MQTT_PASS}', keepalive: 'x' } }, {}),
    );
    assert.deepEqual(problems.sort(), [
      'mqtt.keepalive: must be of type integer',
      'mqtt.password: environment variable MQTT_PASS is not set',
    ]);
  });
});

describe('configuration files', () => {
  test('YAML file: values, ${ENV} and defaults; data_dir beside the file by default', () => {
    const t = tempConfig(
      'node_id: attic\nmqtt:\n  url: mqtt://broker:1883\n  username: monitor\n  password: ${PW}\n',
    );
    try {
      const { config, file, addon } = loadConfigFile(t.file, { PW: 'pw-from-env' });
      assert.equal(config.node_id, 'attic');
      assert.equal(config.mqtt.password, 'pw-from-env');
      assert.equal(config.mqtt.keepalive, 30);
      assert.equal(config.data_dir, join(t.dir, 'monitor-data'));
      assert.equal(file, t.file);
      assert.equal(addon, false);
    } finally {
      t.cleanup();
    }
  });

  test('without --config, the add-on options file is read and data_dir is /data', () => {
    const t = tempConfig(JSON.stringify({ node_id: 'addon', language: 'fr' }), 'options.json');
    try {
      const { config, file, addon } = loadConfigFile(undefined, {}, 'en', t.file);
      assert.equal(addon, true);
      assert.equal(file, t.file);
      assert.equal(config.node_id, 'addon');
      assert.equal(config.data_dir, '/data');
      const none = problemsOf(() => loadConfigFile(undefined, {}, 'en', join(t.dir, 'absent.json')));
      assert.deepEqual(none, ['(root): no configuration file (--config FILE)']);
    } finally {
      t.cleanup();
    }
  });

  test('JSON file (as /data/options.json inside the add-on) with every problem reported', () => {
    const t = tempConfig(JSON.stringify(WRONG), 'options.json');
    try {
      const problems = problemsOf(() => loadConfigFile(t.file, {}));
      assert.equal(problems.length, 6);
    } finally {
      t.cleanup();
    }
  });

  test('an unreadable file or broken YAML is one clear problem naming the file', () => {
    const t = tempConfig('mqtt: [unclosed\n');
    try {
      const problems = problemsOf(() => loadConfigFile(t.file, {}));
      assert.equal(problems.length, 1);
      assert.match(problems[0] ?? '', new RegExp(`^${t.file}: cannot be read: `));
      const none = problemsOf(() => loadConfigFile(join(t.dir, 'nope.yaml'), {}));
      assert.match(none[0] ?? '', /nope\.yaml: cannot be read: ENOENT/);
    } finally {
      t.cleanup();
    }
  });
});

describe('issue 15: config points', () => {
  test('a password without a user name is a config error with a clear message (not "broker not reachable")', () => {
    const problems = problemsOf(() => loadConfigObject({ mqtt: { password: 'secret-pw' } }, {}));
    assert.deepEqual(problems, [
      'mqtt.username: required when mqtt.password is set (a broker does not accept a password without a user name)',
    ]);
    const fr = problemsOf(() => loadConfigObject({ mqtt: { password: 'secret-pw' } }, {}, 'fr'));
    assert.match(fr[0] ?? '', /^mqtt\.username : obligatoire/);
    assert.doesNotThrow(() => loadConfigObject({ mqtt: { username: 'u', password: 'secret-pw' } }, {}));
  });

  test('__proto__, constructor and prototype keys are refused anywhere (YAML and JSON)', () => {
    const yaml = tempConfig(
      'mqtt:\n  __proto__:\n    admin: true\nsms:\n  port: /dev/x\n  commands:\n    constructor: x\n',
    );
    const json = tempConfig(
      '{"printers": {"list": [{"name": "a", "url": "http://p", "prototype": {}}]}}',
      'c.json',
    );
    try {
      assert.deepEqual(
        problemsOf(() => loadConfigFile(yaml.file, {})),
        ['mqtt: key "__proto__" is not allowed', 'sms.commands: key "constructor" is not allowed'],
      );
      assert.deepEqual(
        problemsOf(() => loadConfigFile(json.file, {})),
        ['printers.list[0]: key "prototype" is not allowed'],
      );
      assert.deepEqual(
        problemsOf(() => loadConfigObject(JSON.parse('{"__proto__": {"x": 1}}'), {}, 'fr')),
        ['(racine) : clé « __proto__ » interdite'],
      );
      assert.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype was touched');
    } finally {
      yaml.cleanup();
      json.cleanup();
    }
  });

  test('YAML merge keys (<<) are resolved as YAML 1.1 merges, not refused as unknown keys', () => {
    const t = tempConfig(
      [
        'x-printer: &printer',
        '  type: octoprint',
        '  api_key: ${KEY}',
        'printers:',
        '  list:',
        '    - <<: *printer',
        '      name: mk4',
        '      url: http://mk4.local',
        '    - <<: *printer',
        '      name: mini',
        '      url: http://mini.local',
        '',
      ].join('\n'),
    );
    try {
      // The anchor's own top-level key is unknown (as it would be in HA): only that is reported.
      assert.deepEqual(
        problemsOf(() => loadConfigFile(t.file, { KEY: 'k-123456789' })),
        ['(root): unknown key "x-printer"'],
      );
      const ok = tempConfig(
        'mqtt: &m\n  url: mqtt://b:1883\n  keepalive: 20\nprinters:\n  list:\n    - &p\n      name: a\n      url: http://a\n      type: octoprint\n    - <<: *p\n      name: b\n',
      );
      try {
        const { config } = loadConfigFile(ok.file, {});
        const list = (config.printers as { list: Array<{ name: string; url: string; type: string }> }).list;
        assert.deepEqual(
          list.map((p) => [p.name, p.url, p.type]),
          [
            ['a', 'http://a', 'octoprint'],
            ['b', 'http://a', 'octoprint'],
          ],
        );
      } finally {
        ok.cleanup();
      }
    } finally {
      t.cleanup();
    }
  });
});

describe('monitor config check', () => {
  function check(args: string[], env: NodeJS.ProcessEnv = {}) {
    return runCli(['config', 'check', ...args], { env: { LANG: 'C', ...env } });
  }

  test('exit 0 and one JSON line for a valid file', async () => {
    const t = tempConfig('node_id: garage\n');
    try {
      const r = await check([t.file, '--offline']);
      assert.equal(r.code, 0);
      assert.deepEqual(JSON.parse(r.out[0] ?? ''), {
        ok: true,
        node_id: 'garage',
        modules: [],
        unavailable: [],
        warnings: [],
      });
    } finally {
      t.cleanup();
    }
  });

  test('exit 1 with every problem on stderr and in the JSON line', async () => {
    const t = tempConfig(JSON.stringify(WRONG), 'c.json');
    try {
      const r = await check([t.file]);
      assert.equal(r.code, 1);
      assert.equal(r.err.length, 6);
      const json = JSON.parse(r.out[0] ?? '');
      assert.equal(json.ok, false);
      assert.deepEqual(json.problems, r.err);
    } finally {
      t.cleanup();
    }
  });

  test('warns when the broker accepts anonymous clients, not when it refuses them (issue 15)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-anon-'));
    const pwfile = join(dir, 'passwd');
    writeFileSync(pwfile, 'monitor:secret-password\n');
    execFileSync('mosquitto_passwd', ['-U', pwfile]);
    const open = new Mosquitto();
    const closed = new Mosquitto({ anonymous: false, extraConfig: `password_file ${pwfile}\nuser root` });
    await Promise.all([open.start(), closed.start()]);
    try {
      for (const [broker, expected] of [
        [open, 1],
        [closed, 0],
      ] as const) {
        const t = tempConfig(
          `node_id: garage\nmqtt:\n  url: ${broker.url}\n  username: monitor\n  password: secret-password\n`,
        );
        try {
          const r = await check([t.file]);
          assert.equal(r.code, 0, r.err.join('\n'));
          const json = JSON.parse(r.out[0] ?? '');
          assert.equal(json.warnings.length, expected, r.err.join('\n'));
          if (expected)
            assert.match(r.err[0] ?? '', /^warning: mqtt\.url: the broker accepts anonymous clients/);
        } finally {
          t.cleanup();
        }
      }
    } finally {
      await Promise.all([open.dispose(), closed.dispose()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('exit 2 without a file argument', async () => {
    const r = await check([]);
    assert.equal(r.code, 2);
    assert.match(r.err[0] ?? '', /usage: monitor config check FILE/);
  });
});

describe('generated files', () => {
  test('types.generated.ts and docs/configuration.md are current (scripts/gen-config.ts --check exits 0)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-config.ts', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
  });
});

describe('validator compiled ahead of time', () => {
  test('keywords that need Ajv runtime helpers (minLength, uniqueItems) work in the generated module', async () => {
    const src = validatorSource('/* test */', {
      type: 'object',
      additionalProperties: false,
      properties: {
        pin: { type: 'string', minLength: 4, default: '0000' },
        phones: { type: 'array', items: { type: 'string' }, uniqueItems: true, default: [] },
      },
    });
    assert.match(src, /require\("ajv\/dist\/runtime\//, 'this schema needs the runtime helpers');
    const dir = join(ROOT, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `validator-${process.pid}.mjs`);
    writeFileSync(file, src);
    try {
      const { validate } = (await import(pathToFileURL(file).href)) as {
        validate: ((d: unknown) => boolean) & { errors?: Array<{ instancePath: string; keyword: string }> };
      };
      const ok = {};
      assert.equal(validate(ok), true);
      assert.deepEqual(ok, { pin: '0000', phones: [] }, 'defaults applied');
      assert.equal(validate({ pin: '12', phones: ['+33', '+33'] }), false);
      assert.deepEqual(validate.errors?.map((e) => `${e.instancePath} ${e.keyword}`).sort(), [
        '/phones uniqueItems',
        '/pin minLength',
      ]);
    } finally {
      rmSync(file, { force: true });
    }
  });
});

describe('monitor run with a wrong config', () => {
  const broker = new Mosquitto();
  before(async () => {
    await Promise.all([ensureBuilt(), broker.start()]);
  });
  after(() => broker.dispose());

  test('exits non-zero with every problem, before connecting to the broker', async () => {
    const connectionsBefore = broker.clientConnections().length;
    const t = tempConfig(
      `node_id: Bad-Id\nmqtt:\n  url: ${broker.url}\n  keepalive: often\n  password: \${MONITOR_TEST_UNSET}\nsms: {}\n`,
    );
    const p = new MonitorProcess(['run', '--config', t.file]);
    try {
      const { code } = await p.exited;
      assert.equal(code, 1);
      const lines = p.stderr.trim().split('\n');
      assert.deepEqual(lines.sort(), [
        'mqtt.keepalive: must be of type integer',
        'mqtt.password: environment variable MONITOR_TEST_UNSET is not set',
        'node_id: does not match the pattern ^[a-z0-9_]{1,32}$',
        'sms.port: is required',
      ]);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(broker.clientConnections().length, connectionsBefore, 'the broker saw no connection');
      assert.doesNotMatch(broker.log.slice(-2000), /monitor_/);
    } finally {
      await p.dispose();
      t.cleanup();
    }
  });
});
