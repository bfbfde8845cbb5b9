/**
 * Devices the linky module declares late (a meter with its first frame, the Enedis progress
 * device at the first sync) are kept through the cleanup of earlier runs' leftovers
 * (addon/src/entities/orphans.ts), so that HA does not lose them and their customisations.
 */
import assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EnedisSync } from '../../addon/src/modules/linky/enedis/sync.js';
import { create } from '../../addon/src/modules/linky/module.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { linkyContext } from './context.js';

describe('linky devices kept through the leftovers cleanup', () => {
  const tempDir = tempDirs('linky-keep-');

  it('keeps a meter seen in the last 30 days, not one seen 40 days ago', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'meter-021861348497.json'), '{}');
    writeFileSync(join(dir, 'meter-000000000001.json'), '{}');
    const old = (Date.now() - 40 * 86_400_000) / 1000;
    utimesSync(join(dir, 'meter-000000000001.json'), old, old);
    const t = linkyContext({ dir, linky: { meters: [] } });
    const mod = create(t.ctx);
    await mod.start();
    try {
      assert.equal(t.registry.keepsDevice('linky_021861348497'), true);
      assert.equal(t.registry.keepsDevice('linky_000000000001'), false);
    } finally {
      await mod.stop();
    }
  });

  it('keeps the Enedis progress device of every PRM from the start', async () => {
    const dir = tempDir();
    const t = linkyContext({
      dir,
      linky: { enedis: { token: 'tok3n-for-tests', prms: ['09876543210987'] } },
    });
    const sync = new EnedisSync(t.ctx, { now: () => Date.now(), setTimer: () => () => {} });
    await sync.start();
    try {
      assert.equal(t.registry.keepsDevice('enedis_09876543210987'), true);
    } finally {
      await sync.stop();
    }
  });
});
