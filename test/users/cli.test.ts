/** `monitor users …` on a registry file: JSON lines, PINs from stdin only, clear errors. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { openRegistry, registryStore } from '../../addon/src/modules/users/files.js';
import type { Json } from '../alarm/harness.js';
import { runCli } from '../helpers/cli.js';
import { quietLog } from '../sms/helpers.js';

async function run(args: string[], stdin = '', env: NodeJS.ProcessEnv = { LANG: 'C' }) {
  const r = await runCli(args, { stdin, env });
  return { ...r, out: r.out.map((l) => JSON.parse(l) as Record<string, Json>) };
}

test('users add/list/rename/set-pin/add-badge/remove on a file; the PIN comes from stdin', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'users-cli-')), 'registry.json');
  const f = ['--file', file];
  const add = await run(
    [
      'users',
      'add',
      ...f,
      'alice',
      '--uid',
      '04:A3:2B:1C',
      '--phone',
      '06 12 34 56 78',
      '--pin',
      '--duress-pin',
    ],
    '2580\n9999\n',
  );
  assert.equal(add.code, 0, add.err.join('\n'));
  assert.equal(add.out[0]?.ok, true);
  assert.deepEqual(add.out[0]?.user.badges, ['04A32B1C']);
  assert.equal(add.out[0]?.user.has_duress_pin, true);
  assert.equal((await run(['users', 'add', ...f, 'bob', '--rights', 'arm'])).code, 0);
  assert.equal((await run(['users', 'rename', ...f, 'bob', 'robert'])).out[0]?.user.username, 'robert');
  assert.equal((await run(['users', 'set-pin', ...f, 'robert'], '1357\n')).out[0]?.user.has_pin, true);
  assert.deepEqual((await run(['users', 'add-badge', ...f, 'robert', '0x0102'])).out[0]?.user.badges, [
    '0102',
  ]);
  const list = await run(['users', 'list', ...f]);
  assert.deepEqual(
    list.out.map((u) => u.username),
    ['alice', 'robert'],
  );
  assert.deepEqual((await run(['users', 'remove', ...f, 'robert'])).out[0], { ok: true, removed: 'robert' });

  const text = readFileSync(file, 'utf8');
  assert.ok(!text.includes('2580') && !text.includes('9999'), 'hashes only');
  const reg = openRegistry(registryStore(file, quietLog), {
    minPinLength: 4,
    defaultCountry: 'FR',
    lang: 'en',
  });
  await reg.load();
  const alice = reg.find('alice');
  assert.ok(alice);
  assert.equal(await reg.checkPin(alice, '2580'), 'pin');
  assert.equal(await reg.checkPin(alice, '9999'), 'duress');
});

test('a PIN on the command line is refused; errors are JSON lines with a code, in French too', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'users-cli-')), 'registry.json');
  const f = ['--file', file];
  const inline = await run(['users', 'add', ...f, 'alice', '--pin=1234']);
  assert.equal(inline.code, 2);
  assert.match(inline.err.join('\n'), /--pin/);
  assert.equal((await run(['users', 'add', ...f, 'alice', '--pin'], '12\n')).out[0]?.code, 'pin_too_short');
  await run(['users', 'add', ...f, 'alice']);
  const dup = await run(['users', 'add', ...f, 'alice'], '', { LANG: 'fr_FR.UTF-8' });
  assert.equal(dup.code, 1);
  assert.deepEqual(dup.out[0], {
    ok: false,
    code: 'duplicate',
    error: 'Un utilisateur nommé « alice » existe déjà.',
  });
  assert.equal((await run(['users', 'remove', ...f, 'zoe'])).out[0]?.code, 'unknown_user');
  assert.equal((await run(['users', 'list'])).code, 1, 'no file given: error');
  writeFileSync(file, '{"version":1,"value":{"users":[');
  const corrupt = await run(['users', 'list', ...f]);
  assert.equal(corrupt.code, 1);
  assert.match(corrupt.out[0]?.error, /registry.json: not JSON; kept aside as .*registry.json.corrupt-/);
  const aside = readdirSync(dirname(file)).find((n) => n.startsWith('registry.json.corrupt-'));
  assert.equal(readFileSync(join(dirname(file), aside ?? ''), 'utf8'), '{"version":1,"value":{"users":[');
});
