/**
 * Standalone on a Raspberry Pi (or any Linux box): the npm package and the standalone archive
 * hold only what runs (no dev dependency, every `files` entry exists), `monitor` on the PATH
 * runs the service from the extracted archive (serialport's binding included) against a real
 * Mosquitto and a simulated modem, help fits 100 columns, and `monitor install-service` writes a
 * unit that systemd accepts, with the calls checked through fake systemctl/useradd/usermod/id
 * on the PATH (nothing on this machine's system is changed).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { systemdPath, systemdUnit } from '../../addon/src/cli/commands/service.js';
import { loadConfigFile } from '../../addon/src/config/load.js';
import { packStandalone } from '../../scripts/pack-standalone.js';
import { ensureBuilt, ROOT } from '../helpers/build.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { stopProcess } from '../helpers/process.js';
import { SimOnPty } from '../sms/helpers.js';

const DEV_ONLY = ['rollup', 'typescript', '@biomejs', 'tsx', 'playwright-core', 'esbuild', 'fast-check'];

describe('standalone install', () => {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-standalone-test-'));
  const opt = join(dir, 'opt');
  const pathDir = join(dir, 'bin');
  let env: NodeJS.ProcessEnv;

  before(async () => {
    await ensureBuilt();
    const archive = packStandalone(ROOT, dir);
    mkdirSync(opt);
    execFileSync('tar', ['-xzf', archive, '-C', opt]);
    // What the README says: a symlink puts `monitor` on the PATH.
    mkdirSync(pathDir);
    symlinkSync(join(opt, 'monitor/bin/monitor.js'), join(pathDir, 'monitor'));
    env = { PATH: `${pathDir}:${process.env.PATH}`, LANG: 'C.UTF-8', HOME: dir };
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const monitor = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnSync('monitor', args, { env: { ...env, ...extraEnv }, encoding: 'utf8', cwd: dir });

  test('the npm package lists only files that exist, and holds nothing else', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    for (const f of pkg.files) assert.ok(existsSync(join(ROOT, f)), `files: ${f} does not exist`);
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const packed = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map(
      (f) => f.path,
    );
    // A folder entry (dist/chunks/: the bundle's lazily loaded chunks) ships every file in it.
    const expected = pkg.files.flatMap((f) =>
      f.endsWith('/')
        ? readdirSync(join(ROOT, f), { recursive: true, withFileTypes: true })
            .filter((e) => e.isFile())
            .map((e) => relative(ROOT, join(e.parentPath, e.name)))
        : [f],
    );
    assert.deepEqual(packed?.sort(), [...expected, 'README.md', 'package.json'].sort());
  });

  test('the archive has the production dependencies only', () => {
    const modules = join(opt, 'monitor/node_modules');
    for (const dep of ['serialport', '@serialport/bindings-cpp', 'aedes'])
      assert.ok(existsSync(join(modules, dep)), `${dep} is missing`);
    for (const dep of DEV_ONLY) assert.ok(!existsSync(join(modules, dep)), `${dep} is a dev dependency`);
    assert.ok(!existsSync(join(opt, 'monitor/addon')), 'no sources');
  });

  test('`monitor` alone prints the help (exit 2), --help exits 0, every line within 100 columns', () => {
    const bare = monitor([]);
    assert.equal(bare.status, 2);
    assert.match(bare.stdout, /Commands:/);
    assert.match(bare.stdout, /monitor install-service/);
    for (const lang of ['C.UTF-8', 'fr_FR.UTF-8']) {
      const help = monitor(['--help'], { LANG: lang });
      assert.equal(help.status, 0);
      for (const line of help.stdout.split('\n'))
        assert.ok([...line].length <= 100, `${line.length}: ${line}`);
    }
    assert.equal(
      monitor(['--version']).stdout.trim(),
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    );
  });

  test('`monitor run` from the archive: broker, modem on a serial port, journals', async () => {
    const broker = new Mosquitto();
    await broker.start();
    const modem = await new SimOnPty({ profile: 'e1752' }).start();
    const rec = await Recorder.open(broker.url, ['monitor/pi/#']);
    const state = join(dir, 'state');
    const config = join(dir, 'pi.yaml');
    writeFileSync(config, `node_id: pi\nmqtt:\n  url: ${broker.url}\nsms:\n  port: ${modem.path}\n`);
    // As under systemd: StateDirectory= sets $STATE_DIRECTORY, Monitor keeps its data there.
    const proc = spawn('monitor', ['run', '--config', config], {
      env: { ...env, STATE_DIRECTORY: state, MONITOR_LOG_LEVEL: 'info' },
      stdio: 'ignore',
    });
    try {
      await rec.waitFor((m) => m.topic === 'monitor/pi/status' && m.payload === 'online', 15_000);
      const end = Date.now() + 10_000;
      while (!existsSync(join(state, 'sms/outbox.jsonl')) && Date.now() < end)
        await new Promise((r) => setTimeout(r, 50));
      assert.ok(existsSync(join(state, 'sms/outbox.jsonl')), 'the SMS journal is in $STATE_DIRECTORY');
      assert.equal((statSync(join(state, 'sms')).mode & 0o777).toString(8), '700');
    } finally {
      await stopProcess(proc);
      await rec.close();
      await modem.dispose();
      await broker.dispose();
    }
    assert.equal(proc.exitCode, 0);
  });

  test('STATE_DIRECTORY gives the data directory when the config has none', () => {
    const file = join(dir, 'plain.yaml');
    writeFileSync(file, 'node_id: x\n');
    assert.equal(
      loadConfigFile(file, { STATE_DIRECTORY: '/var/lib/monitor' }).config.data_dir,
      '/var/lib/monitor',
    );
    assert.equal(loadConfigFile(file, {}).config.data_dir, join(dir, 'monitor-data'));
  });

  test('the unit: restart, dedicated user in dialout, state directory, secrets file, hardening', () => {
    const unit = systemdUnit({
      node: '/usr/bin/node',
      entry: '/opt/monitor/bin/monitor.js',
      config: '/etc/monitor/monitor.yaml',
      envFile: '/etc/monitor/monitor.env',
      user: 'monitor',
    });
    for (const line of [
      'ExecStart=/usr/bin/node /opt/monitor/bin/monitor.js run --config /etc/monitor/monitor.yaml',
      'Restart=on-failure',
      'User=monitor',
      'SupplementaryGroups=dialout',
      'StateDirectory=monitor',
      'StateDirectoryMode=0700',
      'EnvironmentFile=-/etc/monitor/monitor.env',
      'UMask=0077',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'PrivateTmp=yes',
      'CapabilityBoundingSet=',
      'WantedBy=multi-user.target',
    ])
      assert.ok(unit.split('\n').includes(line), `missing: ${line}`);
    assert.doesNotMatch(
      unit,
      /MemoryDenyWriteExecute=yes|PrivateDevices=yes/,
      'Node and serial ports need these off',
    );
    assert.equal(systemdPath('/etc/100%/m.yaml'), '/etc/100%%/m.yaml');
    assert.throws(() => systemdPath('/etc/my monitor.yaml'), /without spaces/);
    assert.throws(() => systemdPath('/etc/x";rm -rf /;".yaml'));
  });

  test('install-service: --dry-run prints a unit systemd accepts; install and --uninstall make the calls', () => {
    const etc = join(dir, 'etc-monitor');
    const units = join(dir, 'units');
    const fakes = join(dir, 'fakes');
    const calls = join(dir, 'calls.log');
    for (const d of [etc, units, fakes]) mkdirSync(d, { recursive: true });
    // Fake system tools: record the call; `id` says the user does not exist yet.
    for (const tool of ['systemctl', 'useradd', 'usermod', 'id', 'chgrp']) {
      const exit = tool === 'id' ? 1 : 0;
      writeFileSync(join(fakes, tool), `#!/bin/sh\necho "${tool} $*" >> "${calls}"\nexit ${exit}\n`);
      chmodSync(join(fakes, tool), 0o755);
    }
    const config = join(etc, 'monitor.yaml');
    writeFileSync(
      config,
      'node_id: pi\nmqtt:\n  url: mqtt://homeassistant.local:1883\n  username: monitor\n  password: "${MQTT_PASSWORD}"\nhomeassistant:\n  url: http://homeassistant.local:8123\n  token: "${HA_TOKEN}"\n',
    );
    const fakeEnv = { PATH: `${fakes}:${env.PATH}` };
    const args = ['install-service', '--config', config, '--user', 'monitor', '--unit-dir', units];

    const spaced = monitor(
      ['install-service', '--config', join(dir, 'my monitor.yaml'), '--dry-run'],
      fakeEnv,
    );
    assert.equal(spaced.status, 2);
    assert.match(spaced.stderr, /my monitor\.yaml": the service needs a path without spaces/);
    assert.equal(monitor(['install-service', '--user', 'Bad User', '--dry-run'], fakeEnv).status, 2);

    const dry = monitor([...args, '--dry-run'], fakeEnv);
    assert.equal(dry.status, 0, dry.stderr);
    assert.ok(!existsSync(calls), 'a dry run calls nothing');
    assert.ok(!existsSync(join(units, 'monitor.service')), 'a dry run writes nothing');
    const entry = realpathSync(join(opt, 'monitor/bin/monitor.js'));
    assert.match(dry.stdout, new RegExp(`^ExecStart=\\S+ ${entry} run --config ${config}$`, 'm'));
    const unitCopy = join(dir, 'monitor.service');
    writeFileSync(unitCopy, dry.stdout);
    const verify = spawnSync('systemd-analyze', ['verify', unitCopy], { encoding: 'utf8' });
    assert.equal(verify.stderr.trim(), '', 'systemd-analyze verify has nothing to say');

    const install = monitor(args, fakeEnv);
    assert.equal(install.status, 0, install.stderr);
    assert.deepEqual(readFileSync(calls, 'utf8').trim().split('\n'), [
      'id -u monitor',
      'useradd --system --user-group --no-create-home --home-dir /var/lib/monitor --shell /usr/sbin/nologin monitor',
      'usermod --append --groups dialout monitor',
      `chgrp monitor ${config}`,
      'systemctl daemon-reload',
      'systemctl enable --now monitor.service',
    ]);
    assert.equal(readFileSync(join(units, 'monitor.service'), 'utf8'), dry.stdout);
    assert.equal((statSync(config).mode & 0o777).toString(8), '640', 'the config is readable by the service');
    const envFile = join(etc, 'monitor.env');
    assert.equal((statSync(envFile).mode & 0o777).toString(8), '600');
    assert.match(readFileSync(envFile, 'utf8'), /^MQTT_PASSWORD=$/m);
    assert.match(readFileSync(envFile, 'utf8'), /^HA_TOKEN=$/m);
    const said = install.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { done: string }).done);
    assert.ok(said.some((l) => l.includes('dialout')));
    assert.ok(said.some((l) => l.includes('journalctl -u monitor.service')));

    rmSync(calls);
    const uninstall = monitor([...args, '--uninstall'], fakeEnv);
    assert.equal(uninstall.status, 0, uninstall.stderr);
    assert.deepEqual(readFileSync(calls, 'utf8').trim().split('\n'), [
      'systemctl disable --now monitor.service',
      'systemctl daemon-reload',
    ]);
    assert.ok(!existsSync(join(units, 'monitor.service')));
    assert.ok(existsSync(config) && existsSync(envFile), 'config and secrets are kept');
    assert.equal(monitor([...args, '--uninstall'], fakeEnv).status, 1, 'nothing left to uninstall');
  });

  test('install-service refuses an invalid config before changing anything', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'node_id: Bad Id\nmqtt:\n  keepalive: 1\n');
    const calls = join(dir, 'calls-bad.log');
    const fakes = join(dir, 'fakes-bad');
    mkdirSync(fakes);
    for (const tool of ['systemctl', 'useradd', 'usermod', 'id']) {
      writeFileSync(join(fakes, tool), `#!/bin/sh\necho "${tool} $*" >> "${calls}"\n`);
      chmodSync(join(fakes, tool), 0o755);
    }
    const r = monitor(['install-service', '--config', bad, '--unit-dir', dir], {
      PATH: `${fakes}:${env.PATH}`,
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^ {2}mqtt\.keepalive: /m);
    assert.ok(!existsSync(calls));
  });
});
