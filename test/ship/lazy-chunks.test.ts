/**
 * The bundle loads a module's code only when its section is configured (modules/index.ts,
 * rollup.config.mjs): `monitor run` with `linky` alone must not parse the SMS, printer, alarm,
 * users or bridge modules, nor the demo's simulators, and a CLI tool must not load what only
 * the service needs. Which files a process loads is recorded by a module-loader hook
 * (`node --import`), and each loaded chunk is traced back to its sources by its source map.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BIN, ensureBuilt, ROOT } from '../helpers/build.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { stopProcess } from '../helpers/process.js';
import { PtyPair } from '../helpers/pty.js';

const OTHER_MODULES = /^addon\/src\/(modules\/(sms|printers|alarm|users|bridge)\/|demo\/)/;
// What the configuration needs of every section (validated before anything starts): its schema,
// its semantic checks and the small helpers they share with the module (printer device ids, SMS
// keyword folding); and `--help`'s printer summary. Not the module's runtime.
const CONFIG_PART =
  /\/(schema|schema\.fr|check)\.ts$|^addon\/src\/modules\/(printers\/(entities|model|i18n)|sms\/(commands|phone))\.ts$/;

describe('lazy loading of the bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-lazy-'));
  const hooks = join(dir, 'hooks.mjs');
  const register = join(dir, 'register.mjs');

  before(async () => {
    await ensureBuilt();
    // Runs in the loader thread: appends every file URL the process loads to $LOADED_FILE.
    writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.LOADED_FILE, url + '\\n');
  return next(url, context);
}
`,
    );
    // The loader hooks see ES modules only: a CommonJS file (an external package, one required
    // on demand) is recorded when Node compiles it, or reads it for a .json.
    writeFileSync(
      register,
      `import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
register(${JSON.stringify(`file://${hooks}`)});
const record = (f) => appendFileSync(process.env.LOADED_FILE, pathToFileURL(f).href + '\\n');
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) { record(filename); return compile.call(this, content, filename); };
const json = Module._extensions['.json'];
Module._extensions['.json'] = function (module, filename) { record(filename); return json.call(this, module, filename); };
`,
    );
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The sources (relative to the repository) of every bundle file the process loaded. */
  function loadedSources(listFile: string): { chunks: string[]; sources: Set<string> } {
    const chunks = [
      ...new Set(
        readFileSync(listFile, 'utf8')
          .split('\n')
          .filter((u) => u.startsWith(`file://${ROOT}/dist/`))
          .map((u) => fileURLToPath(u)),
      ),
    ];
    const sources = new Set<string>();
    for (const chunk of chunks) {
      const map = JSON.parse(readFileSync(`${chunk}.map`, 'utf8')) as { sources: string[] };
      for (const s of map.sources) sources.add(join(join(chunk, '..'), s).slice(ROOT.length + 1));
    }
    return { chunks, sources };
  }

  test('`monitor run` with linky alone loads the linky module and no other module', async () => {
    const broker = new Mosquitto();
    await broker.start();
    const pty = new PtyPair();
    await pty.open();
    const rec = await Recorder.open(broker.url, ['monitor/lazy/#']);
    const config = join(dir, 'linky.json');
    const loaded = join(dir, 'run-loaded.txt');
    writeFileSync(loaded, '');
    writeFileSync(
      config,
      JSON.stringify({
        node_id: 'lazy',
        data_dir: join(dir, 'data'),
        mqtt: { url: broker.url },
        linky: { meters: [{ port: pty.a, baud: '1200', mode: 'historic' }] },
      }),
    );
    const proc = spawn(process.execPath, ['--import', register, BIN, 'run', '--config', config], {
      env: { ...process.env, LOADED_FILE: loaded, MONITOR_LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    try {
      // The gateway lists the modules it runs once they started.
      await rec.waitFor(
        (m) => m.topic === 'monitor/lazy/gateway/state' && /"module_linky":"ok"/.test(m.payload),
        20_000,
      );
    } finally {
      await stopProcess(proc);
      await rec.close();
      await pty.close();
      await broker.dispose();
    }
    const { chunks, sources } = loadedSources(loaded);
    assert.ok(chunks.length > 1, 'the bundle is split into chunks');
    assert.ok(
      [...sources].some((s) => s.startsWith('addon/src/modules/linky/')),
      'the linky module was loaded',
    );
    const strays = [...sources].filter((s) => OTHER_MODULES.test(s) && !CONFIG_PART.test(s));
    assert.deepEqual(strays, [], 'no other module nor the demo is loaded');
    // The phone-number library (sms, users, alarm) is the largest dependency: required on first use.
    const files = readFileSync(loaded, 'utf8');
    // The record sees packages required at run time (serialport's binding is one)…
    assert.match(files, /node_modules\/@serialport\//);
    // …and neither the phone-number library (sms, users, alarm) nor the YAML parser (a JSON
    // config) is among them: both are required on first use.
    assert.doesNotMatch(files, /libphonenumber-js/);
    assert.doesNotMatch(files, /node_modules\/yaml\//);
    assert.deepEqual(
      [...sources].filter((s) => s.includes('node_modules/yaml/')),
      [],
      'the YAML parser is not in the chunks loaded',
    );
    assert.doesNotMatch(files, /node_modules\/aedes\//);
  });

  test('`monitor sms decode` loads neither the service nor the MQTT client', () => {
    const loaded = join(dir, 'decode-loaded.txt');
    writeFileSync(loaded, '');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        register,
        BIN,
        'sms',
        'decode',
        '07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07',
      ],
      { env: { ...process.env, LOADED_FILE: loaded }, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /How are you\?/);
    const { sources } = loadedSources(loaded);
    assert.ok(
      [...sources].some((s) => s.startsWith('addon/src/modules/sms/pdu/')),
      'the PDU codec was loaded',
    );
    const service = [...sources].filter(
      (s) =>
        s === 'addon/src/app.ts' ||
        s.includes('node_modules/mqtt/') ||
        (s.startsWith('addon/src/modules/linky/') && !CONFIG_PART.test(s)),
    );
    assert.deepEqual(service, []);
  });
});

// V8 keeps every loaded script's source for the process's life, one byte a character only if
// all of them are Latin-1: one "é" in a regex stored the 378 kB main chunk as 756 kB (a heap
// snapshot of `monitor run` with one meter). The service's bundle is kept ASCII.
test('every file of the service bundle is ASCII', async () => {
  await ensureBuilt();
  const files = [
    'dist/monitor.js',
    ...readdirSync(join(ROOT, 'dist/chunks'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => `dist/chunks/${f}`),
  ];
  const notAscii = files.filter((f) => /[^\x00-\x7f]/.test(readFileSync(join(ROOT, f), 'latin1')));
  assert.deepEqual(notAscii, []);
});
