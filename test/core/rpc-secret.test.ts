/**
 * The per-installation RPC secret (docs/rpc.md): generated on first start in
 * `<data_dir>/rpc.secret` (0600, 0700 directory) unless `rpc.secret` is configured; `monitor rpc
 * secret` prints it; the running service accepts a request signed with it and refuses an
 * unsigned one (a real Mosquitto, the real CLI).
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { signRequest } from '../../addon/src/mqtt/rpc-sign.js';
import { ensureBuilt } from '../helpers/build.js';
import { MonitorProcess, runConfig, tempConfig } from '../helpers/monitor-process.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const p = new MonitorProcess(args, env);
  const { code } = await p.exited;
  return { code, stdout: p.stdout, stderr: p.stderr };
}

describe('RPC secret', () => {
  const broker = new Mosquitto();
  before(async () => {
    await ensureBuilt();
    await broker.start();
  });
  after(() => broker.dispose());

  test('generated once (0600), printed by `monitor rpc secret`, used by the service', async () => {
    const cfg = tempConfig('');
    const dataDir = join(cfg.dir, 'data');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(cfg.file, runConfig({ url: broker.url, nodeId: 'sec1', dataDir }));
    try {
      const first = await cli(['rpc', 'secret', '--config', cfg.file]);
      assert.equal(first.code, 0, first.stderr);
      const out = JSON.parse(first.stdout.trim());
      assert.equal(out.source, 'generated');
      assert.match(out.secret, /^[0-9a-f]{64}$/);
      const file = join(dataDir, 'rpc.secret');
      assert.equal(readFileSync(file, 'utf8').trim(), out.secret);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(dataDir).mode & 0o777, 0o700);
      const again = JSON.parse((await cli(['rpc', 'secret', '--config', cfg.file])).stdout.trim());
      assert.deepEqual(again, { secret: out.secret, source: 'file', file });

      // The service uses it: a signed request is answered (code 2: no module offers it), an
      // unsigned one is refused with code 5; the secret never appears in the log.
      const p = new MonitorProcess(['run', '--config', cfg.file]);
      const rec = await Recorder.open(broker.url, ['monitor/sec1/rpc/#', 'monitor/sec1/status']);
      try {
        await rec.waitFor((m) => m.topic === 'monitor/sec1/status' && m.payload === 'online', 10_000);
        await new Promise((r) => setTimeout(r, 200));
        await rec.client.publishAsync(
          'monitor/sec1/rpc/nothing_here',
          signRequest(out.secret, { id: 'signed', method: 'nothing_here', params: {} }),
        );
        const signed = JSON.parse((await rec.waitFor((m) => m.payload.includes('"signed"'), 5000)).payload);
        assert.equal(signed.error.code, 2);
        await rec.client.publishAsync(
          'monitor/sec1/rpc/nothing_here',
          JSON.stringify({ id: 'plain', params: {} }),
        );
        const plain = JSON.parse(
          (await rec.waitFor((m) => m.topic.endsWith('/reply') && !m.payload.includes('"signed"'), 5000))
            .payload,
        );
        assert.equal(plain.error.code, 5);
      } finally {
        await rec.close();
        p.kill('SIGTERM');
        await p.exited;
      }
      assert.equal(p.stderr.includes(out.secret), false, 'the secret is not logged');
    } finally {
      cfg.cleanup();
    }
  });

  test('a configured rpc.secret ("${ENV}") wins and no file is written', async () => {
    const cfg = tempConfig('');
    const dataDir = join(cfg.dir, 'data');
    const { writeFileSync, existsSync } = await import('node:fs');
    writeFileSync(
      cfg.file,
      runConfig({ url: broker.url, nodeId: 'sec2', dataDir, extra: 'rpc:\n  secret: "${BRIDGE_SECRET}"' }),
    );
    try {
      const r = await cli(['rpc', 'secret', '--config', cfg.file], {
        BRIDGE_SECRET: 'from-the-environment-123',
      });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout.trim()), { secret: 'from-the-environment-123', source: 'config' });
      assert.equal(existsSync(join(dataDir, 'rpc.secret')), false);
    } finally {
      cfg.cleanup();
    }
  });
});
