/**
 * Docs that are tested (issue 12, point 1). Every YAML and shell block of README.md and
 * docs/*.md carries a marker saying what it is, and is checked as such:
 * - `<!-- config -->`: a whole monitor.yaml; validated by the real schema and semantic pass, then
 *   started in-process with every device pointed at the demo's simulators and a real Mosquitto;
 * - `<!-- fragment: PATH -->`: part of a config, validated inside a minimal one at PATH (`.`:
 *   whole sections that need a peer the test does not start, such as Home Assistant);
 * - `<!-- lovelace: CARD -->`: a card's YAML (not a Monitor config), parsed and its type checked;
 * - `<!-- cli -->`: each `monitor …` line runs through the real CLI (bin/monitor.js);
 * - `<!-- not-run: why -->`: shown for people (installs, the whole suite), with the reason.
 * A block without a marker fails the test: nothing is skipped silently.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml, stringify } from 'yaml';
import { App } from '../../addon/src/app.js';
import { COMMANDS } from '../../addon/src/cli/commands/index.js';
import { findCommand } from '../../addon/src/cli/main.js';
import { loadConfigObject } from '../../addon/src/config/load.js';
import type { ModuleState } from '../../addon/src/core/bus.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { DEMO_PROVIDERS, type DemoHandle } from '../../addon/src/demo/providers.js';
import { ensureBuilt, ROOT } from '../helpers/build.js';
import { MonitorProcess } from '../helpers/monitor-process.js';
import { freePort, Mosquitto } from '../helpers/mosquitto.js';
import { allBlocks, type DocBlock, shellLines } from './markdown.js';

const BLOCKS = allBlocks(ROOT);
const where = (b: DocBlock) => `${b.file}:${b.line}`;
const MARKED_LANGS = new Set(['yaml', 'yml', 'sh', 'bash', 'shell', 'console']);
/** Values for the `${NAME}` references of the examples. */
const EXAMPLE_ENV = {
  MQTT_PASSWORD: 'example-password',
  HA_TOKEN: 'example-token',
  SIM_PIN: '0000',
  SMS_COMMAND_PIN: '1234',
  CONSO_API_TOKEN: 'example-conso-token',
  PRUSA_API_KEY: 'example-key',
  ALARMO_CODE: 'example-alarmo-code',
};
/** What a fragment is completed with: the required keys of its section. */
const MINIMAL: Record<string, Record<string, unknown>> = {
  sms: { port: '/dev/ttyUSB0' },
};
/**
 * npm lines of the docs: installing and building is what the test environment did before
 * this test (ensureBuilt() rebuilds a stale dist/), and `npm test` is the suite this test is in.
 * `npm start` is run as its package.json script says.
 */
const DONE_BY_THE_TEST_ENVIRONMENT = new Set([
  'npm ci',
  'npm ci && npm run build',
  'npm run build',
  'npm test',
]);
const NPM_START = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start;

const kind = (b: DocBlock) => b.marker?.split(':')[0]?.trim();
const arg = (b: DocBlock) => b.marker?.split(':').slice(1).join(':').trim() ?? '';

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = target;
  for (const k of keys.slice(0, -1)) {
    o[k] ??= {};
    o = o[k] as Record<string, unknown>;
  }
  o[keys.at(-1) as string] = value;
}

describe('docs: every example is marked', () => {
  test('each YAML and shell block says what it is', () => {
    const unmarked = BLOCKS.filter((b) => MARKED_LANGS.has(b.lang))
      .filter((b) => !['config', 'fragment', 'lovelace', 'cli', 'not-run'].includes(kind(b) ?? ''))
      .map(where);
    assert.deepEqual(unmarked, [], 'add <!-- config -->, <!-- fragment: PATH -->, <!-- cli -->, …');
  });

  test('not-run blocks say why, and hold no monitor line', () => {
    for (const b of BLOCKS.filter((x) => kind(x) === 'not-run')) {
      assert.ok(arg(b).length > 3, `${where(b)}: give the reason`);
      for (const l of shellLines(b.body))
        assert.ok(
          !/^(monitor|node bin\/monitor\.js)\b/.test(l),
          `${where(b)}: "${l}" must be run: <!-- cli -->`,
        );
    }
  });
});

describe('docs: config examples are valid', () => {
  const configs = BLOCKS.filter((b) => kind(b) === 'config');
  test('there are whole configs to check (README and one per module page)', () => {
    assert.ok(configs.some((b) => b.file === 'README.md'));
    for (const page of ['docs/sms.md', 'docs/linky.md', 'docs/printers.md'])
      assert.ok(
        configs.some((b) => b.file === page),
        page,
      );
  });

  for (const b of configs) {
    test(`${where(b)}: whole config passes the schema and the semantic check`, () => {
      assert.doesNotThrow(() => loadConfigObject(parseYaml(b.body), EXAMPLE_ENV, 'en'), where(b));
    });
  }

  for (const b of BLOCKS.filter((x) => kind(x) === 'fragment')) {
    test(`${where(b)}: fragment at ${arg(b)} passes inside a minimal config`, () => {
      const path = arg(b);
      // `fragment: .`: top-level sections that need a peer the test has not (Home Assistant).
      const body = parseYaml(b.body) as Record<string, unknown>;
      const section = (path === '.' ? Object.keys(body)[0] : path.split('.')[0]) as string;
      const config: Record<string, unknown> = { [section]: structuredClone(MINIMAL[section] ?? {}) };
      if (path === '.') Object.assign(config, body);
      else setAt(config, path, body);
      assert.doesNotThrow(() => loadConfigObject(config, EXAMPLE_ENV, 'en'), where(b));
    });
  }

  for (const b of BLOCKS.filter((x) => kind(x) === 'lovelace')) {
    test(`${where(b)}: Lovelace ${arg(b)} YAML`, () => {
      const card = parseYaml(b.body) as { type?: string };
      assert.equal(card.type, `custom:${arg(b)}`);
    });
  }
});

describe('docs: whole configs start against the simulators', () => {
  let broker: Mosquitto;
  const dataDir = mkdtempSync(join(tmpdir(), 'monitor-docs-'));
  const handles: DemoHandle[] = [];
  const demo: Record<string, Record<string, unknown>> = {};
  before(async () => {
    broker = new Mosquitto();
    await broker.start();
    const root = new LoggerRoot({ level: 'silent' });
    for (const p of DEMO_PROVIDERS.filter((x) => x.name !== 'cards')) {
      const h = await p.start({
        dataDir,
        log: root.logger('demo'),
        lang: 'en',
        mqttUrl: broker.url,
        baseTopic: 'monitor',
        nodeId: 'docs',
      });
      handles.push(h);
      if (h.section) demo[h.section.name] = h.section.value;
    }
  });
  after(async () => {
    for (const h of handles) await h.stop();
    await broker.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The example with its devices replaced by the simulators and its hosts by the test's peers. */
  function onSimulators(raw: Record<string, unknown>): Record<string, unknown> {
    const c = structuredClone(raw) as Record<string, Record<string, unknown>>;
    c.mqtt = { ...(c.mqtt ?? {}), url: broker.url, username: '', password: '' };
    c.homeassistant = { url: '', token: '' };
    c.data_dir = dataDir as never;
    c.discovery = { orphan_grace_seconds: 0 };
    if (c.sms) c.sms.port = demo.sms?.port;
    const meters = (demo.linky?.meters ?? []) as Array<{ port: string }>;
    if (c.linky)
      c.linky.meters = ((c.linky.meters ?? []) as Array<Record<string, unknown>>).map((m, i) => ({
        ...m,
        port: meters[i % meters.length]?.port,
        baud: 'auto',
      }));
    if (c.linky?.enedis) c.linky.enedis = { token: '' };
    const printers = (demo.printers?.list ?? []) as Array<Record<string, unknown>>;
    if (c.printers)
      c.printers.list = ((c.printers.list ?? []) as Array<Record<string, unknown>>).map((p, i) => ({
        ...printers[i % printers.length],
        name: p.name,
      }));
    return c;
  }

  for (const b of BLOCKS.filter((x) => kind(x) === 'config')) {
    test(`${where(b)}: every module of the example starts and reports ok`, async () => {
      const config = loadConfigObject(onSimulators(parseYaml(b.body)), EXAMPLE_ENV, 'en');
      const app = new App(config, { logRoot: new LoggerRoot({ level: 'silent' }), env: {} });
      const states = new Map<string, ModuleState>();
      app.bus.on('moduleStatus', ({ module, state }) => {
        states.set(module, state);
      });
      await app.start();
      try {
        const modules = app.activeModules();
        assert.ok(modules.length > 0, 'the example enables a module');
        const end = Date.now() + 15_000;
        while (modules.some((m) => states.get(m) !== 'ok') && Date.now() < end)
          await new Promise((r) => setTimeout(r, 100));
        assert.deepEqual(
          Object.fromEntries(modules.map((m) => [m, states.get(m)])),
          Object.fromEntries(modules.map((m) => [m, 'ok'])),
        );
      } finally {
        await app.stop();
      }
    });
  }
});

/** Splits a documented command line into words (quotes only: nothing is given to a shell). */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? (m[3] as string));
}

describe('docs: CLI lines run', () => {
  let broker: Mosquitto;
  let dir: string;
  /** The demo the mosquitto_pub/sub lines talk to (its port replaces the documented 1883). */
  let demo: MonitorProcess;
  let demoPort: number;
  before(async () => {
    await ensureBuilt();
    broker = new Mosquitto();
    await broker.start();
    demoPort = await freePort();
    demo = new MonitorProcess(['demo', '--port', String(demoPort), '--duration', '600'], {
      MONITOR_LOG_LEVEL: 'info',
    });
    await demo.waitForLog(/Ctrl-C/, 30_000);
    dir = mkdtempSync(join(tmpdir(), 'monitor-docs-cli-'));
    // Files the lines name: the README's monitor.yaml, its hosts pointed at the test's broker.
    for (const b of BLOCKS.filter((x) => kind(x) === 'config')) {
      const name = /^#\s*(\S+\.ya?ml)\b/.exec(b.body)?.[1];
      if (!name) continue;
      const c = parseYaml(b.body) as Record<string, Record<string, unknown>>;
      c.mqtt = { ...c.mqtt, url: broker.url, username: '', password: '' };
      c.homeassistant = { url: '', token: '' };
      writeFileSync(join(dir, name), stringify(c));
    }
  });
  after(async () => {
    demo.proc.kill('SIGTERM');
    await demo.exited;
    await broker.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const lines = BLOCKS.filter((b) => kind(b) === 'cli').flatMap((b) =>
    shellLines(b.body).map((l) => ({ b, l })),
  );
  test('the docs show CLI lines', () => assert.ok(lines.length >= 2));

  for (const { b, l } of lines) {
    test(`${where(b)}: ${l}`, async () => {
      if (DONE_BY_THE_TEST_ENVIRONMENT.has(l)) return;
      const w = words(l === 'npm start' ? NPM_START : l);
      if (w[0] === 'mosquitto_pub') {
        const args = w.slice(1).map((x, i, all) => (all[i - 1] === '-p' ? String(demoPort) : x));
        const r = spawnSync('mosquitto_pub', args, { encoding: 'utf8', timeout: 10_000 });
        assert.equal(r.status, 0, r.stderr);
        const topic = args[args.indexOf('-t') + 1] as string;
        // The documented incoming topic reaches the simulated modem.
        if (topic.endsWith('/demo/modem/incoming'))
          await demo.waitForLog(/simulated network: SMS from/, 10_000);
        return;
      }
      const args =
        w[0] === 'monitor'
          ? w.slice(1)
          : w[0] === 'node' && w[1] === 'bin/monitor.js'
            ? w.slice(2)
            : undefined;
      assert.ok(args, `${where(b)}: "${l}" is neither a monitor, mosquitto_pub nor a known npm line`);
      assert.ok(findCommand(args), `${where(b)}: "${l}" names no command`);
      const p = new MonitorProcess(args, { ...EXAMPLE_ENV, MONITOR_LOG_LEVEL: 'info' }, dir);
      if (args[0] === 'run' || args[0] === 'demo') {
        // Services: started, then stopped as systemd or Ctrl-C would.
        await p.waitForLog(/running as node|Monitor demo/, 20_000);
        p.proc.kill('SIGTERM');
      }
      const { code } = await p.exited;
      assert.equal(code, 0, `${l}\n${p.stderr}`);
    });
  }
});

describe("docs: README's CLI table is the CLI", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `monitor ([^`]+)`(?: \/ `([^`]+)`)? \|/gm)];
  test('every command is in the table, every row is a command', () => {
    const documented = new Set<string>();
    for (const r of rows) {
      const first = words(r[1] as string);
      const found = findCommand(first);
      assert.ok(found, `README row "monitor ${r[1]}" names no command`);
      documented.add(found.cmd.path.join(' '));
      if (r[2]) {
        // "sms encode --to NUM TEXT" after "sms decode …": same first word unless given in full.
        const second = words(r[2]);
        const full = findCommand(second) ?? findCommand([first[0] as string, ...second]);
        assert.ok(full, `README row "${r[2]}" names no command`);
        documented.add(full.cmd.path.join(' '));
      }
    }
    assert.deepEqual(
      COMMANDS.map((c) => c.path.join(' ')).filter((p) => !documented.has(p)),
      [],
      'commands missing from the README CLI table',
    );
  });
});
