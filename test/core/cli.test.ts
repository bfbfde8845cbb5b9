/** The `monitor` command as a user runs it: --version, --help, demo. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ensureBuilt, ROOT } from '../helpers/build.js';
import { MonitorProcess } from '../helpers/monitor-process.js';
import { Recorder } from '../helpers/mosquitto.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
};

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const p = new MonitorProcess(args, env);
  const { code } = await p.exited;
  return { code, stdout: p.stdout, stderr: p.stderr };
}

describe('monitor CLI', () => {
  before(() => ensureBuilt());

  test('the package exposes the `monitor` bin and `npm start` runs the demo', () => {
    assert.equal(pkg.bin.monitor, 'bin/monitor.js');
    assert.equal(pkg.scripts.start, 'node bin/monitor.js demo');
  });

  test('--version prints the package version', async () => {
    const r = await run(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  test('--help lists every command, in English or French', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    for (const c of ['monitor run --config FILE', 'monitor demo', 'monitor config check FILE'])
      assert.ok(r.stdout.includes(c), `${c} in:\n${r.stdout}`);
    const fr = await run(['--help'], { MONITOR_LANG: 'fr' });
    assert.match(fr.stdout, /Commandes :/);
    assert.match(fr.stdout, /Vérifie un fichier de configuration/);
  });

  test('a command asked with --help prints its usage', async () => {
    const r = await run(['config', 'check', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^usage: monitor config check FILE/);
  });

  test('no command, or an unknown one, is a usage error (exit 2)', async () => {
    assert.equal((await run([])).code, 2);
    const r = await run(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command: frobnicate/);
  });

  test('monitor demo --duration 3 starts its own broker and publishes the gateway, then exits 0', async () => {
    const p = new MonitorProcess(['demo', '--duration', '3'], { MONITOR_LOG_LEVEL: 'info' });
    try {
      const deadline = Date.now() + 10_000;
      while (!p.stdout.includes('\n')) {
        if (!p.running || Date.now() > deadline) throw new Error(`no demo_ready line:\n${p.stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const ready = JSON.parse(p.stdout.split('\n')[0] ?? '{}');
      assert.equal(ready.event, 'demo_ready');
      assert.match(ready.mqtt_url, /^mqtt:\/\/127\.0\.0\.1:\d+$/);
      assert.match(ready.watch, /^mosquitto_sub -h 127\.0\.0\.1 -p \d+ -t '#' -v$/);
      await p.waitForLog(/Watch it: mosquitto_sub/, 3000);
      const rec = await Recorder.open(ready.mqtt_url, ['homeassistant/#', 'monitor/#']);
      try {
        const disc = await rec.topic('homeassistant/sensor/demo_gateway/version/config', 3000);
        assert.equal(disc.retain, true);
        assert.equal(JSON.parse(disc.payload).unique_id, 'demo_gateway_version');
        const state = await rec.topic('monitor/demo/gateway/state', 3000);
        assert.equal(JSON.parse(state.payload).version, pkg.version);
        assert.equal((await rec.topic('monitor/demo/status', 3000)).payload, 'online');
      } finally {
        await rec.close();
      }
      const { code } = await p.exited;
      assert.equal(code, 0);
    } finally {
      await p.dispose();
    }
  });
});
