/** The user registry: every operation and every error, the file on disk, concurrency. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { normalizeBadge } from '../../addon/src/modules/users/badge.js';
import { openRegistry, registryStore } from '../../addon/src/modules/users/files.js';
import { hashPin, pinProblem, verifyPin } from '../../addon/src/modules/users/pin.js';
import { RegistryError } from '../../addon/src/modules/users/registry.js';
import { quietLog } from '../sms/helpers.js';

function setup(lang: 'en' | 'fr' = 'en', now?: () => number) {
  const dir = mkdtempSync(join(tmpdir(), 'users-'));
  const path = join(dir, 'sub', 'registry.json');
  const reg = openRegistry(registryStore(path, quietLog), {
    minPinLength: 4,
    defaultCountry: 'FR',
    lang,
    now,
  });
  return { reg, path, dir };
}

async function rejects(p: Promise<unknown>, code: string, text?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof RegistryError, String(err));
    assert.equal(err.code, code);
    if (text) assert.match(err.message, text);
    return true;
  });
}

test('PIN hashes: salted scrypt, verified in constant time, never the PIN itself', async () => {
  const a = await hashPin('1234');
  const b = await hashPin('1234');
  assert.notEqual(a, b, 'a random salt per hash');
  assert.ok(!a.includes('1234'));
  assert.match(a, /^scrypt\$16384\$8\$1\$/);
  assert.equal(await verifyPin('1234', a), true);
  assert.equal(await verifyPin('1235', a), false);
  assert.equal(await verifyPin('1234', 'garbage'), false);
  assert.equal(await verifyPin('1234', 'scrypt$99999999$8$1$AAAA$BBBB'), false);
  assert.equal(pinProblem('12', 4), 'too_short');
  assert.equal(pinProblem('12a4', 4), 'not_digits');
  assert.equal(pinProblem('1234567890123', 4), 'too_long');
  assert.equal(pinProblem('1234', 4), undefined);
});

test('badge uids: hex with separators, 0x, lower case, decimal, UUID tag ids → one form', () => {
  const same = ['04:A3:2B:1C', '04-a3-2b-1c', '04 A3 2B 1C', '0x04a32b1c', '04a32b1c', '77802268'];
  for (const s of same) assert.deepEqual(normalizeBadge(s), { ok: true, uid: '04A32B1C' }, s);
  assert.deepEqual(normalizeBadge('0004718362'), { ok: true, uid: '47FF1A' });
  assert.deepEqual(normalizeBadge('ABC'), { ok: true, uid: '0ABC' });
  assert.equal(normalizeBadge('3f2504e0-4f89-11d3-9a0c-0305e82c3301').ok, true);
  assert.equal(normalizeBadge('not a badge').ok, false);
  assert.equal(normalizeBadge('').ok, false);
  assert.equal(normalizeBadge(undefined).ok, false);
});

test('add_user with the old registry fields (username, uid), then every operation', async () => {
  const { reg, path } = setup();
  const alice = await reg.add({
    username: 'alice',
    uid: '04:a3:2b:1c',
    pin: '1234',
    phones: ['06 12 34 56 78'],
  });
  assert.deepEqual(alice, {
    username: 'alice',
    phones: ['+33612345678'],
    badges: ['04A32B1C'],
    rights: ['arm', 'disarm'],
    enabled: true,
    valid_from: null,
    valid_until: null,
    has_pin: true,
    has_duress_pin: false,
  });
  await reg.add({ username: 'bob', rights: ['arm'] });
  assert.equal(reg.list().length, 2);

  const renamed = await reg.rename('alice', 'Alice Martin');
  assert.equal(renamed.username, 'Alice Martin');
  assert.equal(reg.find('alice'), undefined);
  assert.equal(reg.byBadge('04A32B1C')?.username, 'Alice Martin', 'the badge follows the rename');

  await reg.setPin('Alice Martin', '5678', '9999');
  const u = reg.find('alice martin');
  assert.ok(u);
  assert.equal(await reg.checkPin(u, '5678'), 'pin');
  assert.equal(await reg.checkPin(u, '9999'), 'duress');
  assert.equal(await reg.checkPin(u, '1234'), false, 'the old PIN no longer works');
  assert.equal((await reg.byPin('9999'))?.match, 'duress');

  assert.deepEqual((await reg.setPhones('Alice Martin', ['+33 6 11 11 11 11', '0033611111111'])).phones, [
    '+33611111111',
  ]);
  // Parsed by libphonenumber-js: the trunk 0 after +33 is dropped; a digit short is refused.
  assert.deepEqual((await reg.setPhones('Alice Martin', ['+33 06 11 11 11 11'])).phones, ['+33611111111']);
  await rejects(reg.setPhones('Alice Martin', ['06 11 11 11 1']), 'invalid_phone');
  await rejects(reg.setPhones('Alice Martin', ['hello']), 'invalid_phone');
  assert.deepEqual((await reg.addBadge('Alice Martin', '0x0102')).badges, ['04A32B1C', '0102']);
  assert.deepEqual((await reg.removeBadge('Alice Martin', '01:02')).badges, ['04A32B1C']);
  assert.equal((await reg.setEnabled('bob', false)).enabled, false);
  assert.equal((await reg.setEnabled('bob', true)).enabled, true);
  assert.equal(await reg.remove('bob'), 'bob');
  assert.equal(reg.list().length, 1);

  // Persisted: a fresh registry reads the same users; the file holds hashes only.
  const text = readFileSync(path, 'utf8');
  assert.ok(!text.includes('5678') && !text.includes('9999'), 'no PIN in the file');
  assert.equal(JSON.parse(text).version, 1);
  assert.equal(JSON.parse(text).value.users.length, 1);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(join(path, '..')).mode & 0o777, 0o700);
  const again = openRegistry(registryStore(path, quietLog), {
    minPinLength: 4,
    defaultCountry: 'FR',
    lang: 'en',
  });
  assert.equal((await again.load()).status, 'ok');
  assert.deepEqual(again.list(), reg.list());
});

test('every error is clear, translated, and leaves the registry unchanged', async () => {
  const { reg, path } = setup('fr');
  await reg.add({ username: 'alice', uid: '0A0B', pin: '1234', phones: ['0612345678'] });
  const before = readFileSync(path, 'utf8');
  await rejects(reg.add({ username: 'ALICE' }), 'duplicate', /existe déjà/);
  await rejects(reg.add({ username: 'bob', uid: '0a:0b' }), 'badge_owned');
  await rejects(reg.add({ username: 'bob', phones: ['+33612345678'] }), 'phone_owned');
  await rejects(reg.add({ username: 'bob', pin: '12' }), 'pin_too_short', /au moins 4 chiffres/);
  await rejects(reg.add({ username: 'bob', pin: '12ab' }), 'pin_not_digits');
  await rejects(reg.add({ username: 'bob', pin: '1234', duress_pin: '1234' }), 'duress_same');
  await rejects(reg.add({ username: '' }), 'invalid_username');
  await rejects(reg.add({ username: 'a\nb' }), 'invalid_username');
  await rejects(reg.add({ username: 'bob', phones: ['Orange'] }), 'invalid_phone');
  await rejects(reg.add({ username: 'bob', uid: 'zz-top' }), 'invalid_badge');
  await rejects(reg.add({ username: 'bob', rights: ['arm', 'root'] }), 'invalid_right');
  await rejects(reg.add({ username: 'bob', valid_until: 'tomorrow' }), 'invalid_date');
  await rejects(reg.remove('carol'), 'unknown_user', /Aucun utilisateur nommé « carol »/);
  await rejects(reg.rename('carol', 'dave'), 'unknown_user');
  await rejects(reg.setPin('carol', '1234'), 'unknown_user');
  await rejects(reg.setPhones('carol', []), 'unknown_user');
  await rejects(reg.addBadge('carol', '01'), 'unknown_user');
  await rejects(reg.removeBadge('alice', '0102'), 'badge_not_owned');
  await rejects(reg.setEnabled('carol', false), 'unknown_user');
  await reg.add({ username: 'bob' });
  await rejects(reg.rename('bob', 'Alice'), 'duplicate');
  await rejects(reg.setPin('bob', '123'), 'pin_too_short');
  await rejects(reg.addBadge('bob', '0A0B'), 'badge_owned');
  assert.equal(reg.list().length, 2);
  assert.notEqual(readFileSync(path, 'utf8'), before, 'bob was added');
  for (const e of ['1234']) assert.ok(!readFileSync(path, 'utf8').includes(`"${e}"`));
});

test('a disabled user or one outside its validity window is not active', async () => {
  let now = Date.parse('2026-06-01T12:00:00Z');
  const { reg } = setup('en', () => now);
  await reg.add({
    username: 'guest',
    valid_from: '2026-06-01T00:00:00Z',
    valid_until: '2026-06-08T00:00:00Z',
  });
  const g = reg.find('guest');
  assert.ok(g && reg.isActive(g));
  now = Date.parse('2026-06-09T00:00:00Z');
  assert.equal(reg.isActive(g), false);
  now = Date.parse('2026-05-31T00:00:00Z');
  assert.equal(reg.isActive(g), false);
  await reg.add({ username: 'off', enabled: false });
  const off = reg.find('off');
  assert.ok(off);
  assert.equal(reg.isActive(off), false);
});

test('a missing file is an empty registry; a corrupt or truncated one is reported and kept aside, never replaced', async () => {
  const { reg, path } = setup();
  assert.equal((await reg.load()).status, 'missing');
  await reg.add({ username: 'alice', pin: '1234' });
  const good = readFileSync(path, 'utf8');
  const fresh = () =>
    openRegistry(registryStore(path, quietLog), { minPinLength: 4, defaultCountry: 'FR', lang: 'en' });
  const asideOf = (r: { status: string; movedTo?: string }) => readFileSync(r.movedTo ?? '', 'utf8');

  writeFileSync(path, good.slice(0, good.length / 2));
  const truncated = fresh();
  const r = await truncated.load();
  assert.equal(r.status, 'corrupt');
  assert.equal(r.status === 'corrupt' ? r.reason : '', 'not JSON');
  assert.equal(
    asideOf(r as { status: string; movedTo: string }),
    good.slice(0, good.length / 2),
    'kept aside as it was',
  );
  assert.deepEqual(truncated.list(), [], 'nothing guessed');

  writeFileSync(path, JSON.stringify({ version: 7, value: { users: [] } }));
  const future = await fresh().load();
  assert.match(future.status === 'corrupt' ? future.reason : '', /version 7 written by a newer Monitor/);

  writeFileSync(path, JSON.stringify({ version: 1, value: { users: [{ username: 3 }] } }));
  assert.equal((await fresh().load()).status, 'corrupt');
});

test('concurrent operations: no lost update, no duplicate passes the check', async () => {
  const { reg, path } = setup();
  const adds = Array.from({ length: 12 }, (_, i) => reg.add({ username: `user${i}`, pin: `${1000 + i}` }));
  const dup = Array.from({ length: 5 }, () => reg.add({ username: 'same', pin: '4321' }));
  const results = await Promise.allSettled([...adds, ...dup]);
  assert.equal(results.slice(0, 12).filter((r) => r.status === 'fulfilled').length, 12);
  assert.equal(results.slice(12).filter((r) => r.status === 'fulfilled').length, 1, 'one "same" only');
  assert.equal(reg.list().length, 13);
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).value.users.length, 13, 'the file has every user');
});
