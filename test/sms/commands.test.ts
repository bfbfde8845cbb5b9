/** SMS commands: authorised vs unknown sender, PIN, lockout, rate limit, missing action; E.164. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EventBus } from '../../addon/src/core/bus.js';
import { translator } from '../../addon/src/core/i18n.js';
import { DurableStore } from '../../addon/src/core/store.js';
import {
  CommandProcessor,
  type CommandsConfig,
  isSenderStates,
} from '../../addon/src/modules/sms/commands.js';
import { dict } from '../../addon/src/modules/sms/i18n.js';
import { normalizeNumber } from '../../addon/src/modules/sms/phone.js';
import { quietLog } from './helpers.js';

async function setup(over: Partial<CommandsConfig> = {}, stateDir?: string) {
  const bus = new EventBus(quietLog);
  const calls: Array<{ args: Record<string, unknown>; origin: string }> = [];
  bus.registerAction('alarm.arm_away', 'alarm', async (args, ctx) => {
    calls.push({ args, origin: ctx.origin });
    return { ok: true, message: 'armed' };
  });
  let now = 1_000_000;
  const cfg: CommandsConfig = {
    enabled: true,
    authorized_senders: ['06 12 34 56 78'],
    pin: '4321',
    keywords: [
      { keyword: 'Alon', action: 'alarm.arm_away', service: '', data: { mode: 'away' }, require_pin: true },
      { keyword: 'Aloff', action: 'alarm.disarm', service: '', data: {}, require_pin: false },
    ],
    max_pin_failures: 3,
    lockout_minutes: 30,
    max_per_hour: 20,
    reply: true,
    action_timeout_seconds: 30,
    ...over,
  };
  const file = stateDir ?? mkdtempSync(join(tmpdir(), 'cmd-'));
  const p = new CommandProcessor(cfg, {
    bus,
    ha: undefined,
    log: quietLog,
    t: translator(dict, 'fr'),
    defaultCountry: 'FR',
    state: new DurableStore(file, { log: quietLog }).state('commands-state', {
      version: 1,
      validate: isSenderStates,
    }),
    now: () => now,
  });
  await p.load();
  return { p, calls, advance: (ms: number) => (now += ms), file, cfg, bus };
}

test('E.164 normalisation with FR as default country', () => {
  assert.equal(normalizeNumber('06 12 34 56 78'), '+33612345678');
  assert.equal(normalizeNumber('0033 6.12.34.56.78'), '+33612345678');
  assert.equal(normalizeNumber('+33612345678'), '+33612345678');
  assert.equal(normalizeNumber('33612345678'), '+33612345678');
  assert.equal(normalizeNumber('0470123456', 'BE'), '+32470123456');
  assert.equal(normalizeNumber('Orange'), 'Orange');
});

// Numbers the hand-written table of calling codes got wrong or did not know (libphonenumber-js
// metadata, from Google's PhoneNumberMetadata.xml, knows them).
test('E.164 normalisation beyond the old table: any country, trunk 0 after +cc, (0), extensions', () => {
  assert.equal(normalizeNumber('06 12 34 56 78', 'MA'), '+212612345678', 'Morocco, not in the old table');
  assert.equal(normalizeNumber('079 123 45 67', 'CH'), '+41791234567', 'Swiss mobile');
  assert.equal(normalizeNumber('+32 470 12 34 56'), '+32470123456', 'Belgian mobile, FR default');
  assert.equal(normalizeNumber('+33 06 12 34 56 78'), '+33612345678', 'trunk 0 written after +33');
  assert.equal(normalizeNumber('+44 (0)7400 123456'), '+447400123456', 'British (0) trunk prefix');
  assert.equal(normalizeNumber('06 12 34 56 78 ext. 12'), '+33612345678', 'an SMS cannot reach an extension');
  assert.equal(normalizeNumber('0692 12 34 56', 'RE'), '+262692123456', 'Réunion mobile');
  // Operator short codes and alphanumeric senders are not given a country code.
  assert.equal(normalizeNumber('36179'), '36179');
  assert.equal(normalizeNumber('SFR 0612345678'), 'SFR 0612345678');
  assert.equal(normalizeNumber('  Orange  '), 'Orange');
  const long = `06${' '.repeat(100)}12345678`;
  assert.equal(normalizeNumber(long), long, 'longer than any phone number: kept as text');
});

test('an authorised sender with the right PIN runs the action; the SMS text is never passed on', async () => {
  const { p, calls } = await setup();
  const o = await p.handle('+33612345678', 'alon 4321 ; rm -rf / $(reboot)');
  assert.equal(o.kind, 'command');
  assert.ok(o.kind === 'command' && o.ok && o.reply === 'OK : armed');
  assert.deepEqual(calls, [{ args: { mode: 'away' }, origin: 'sms:+33612345678' }]);
});

test('an unknown sender is rejected without reply and nothing runs', async () => {
  const { p, calls } = await setup();
  const o = await p.handle('+33699999999', 'Alon 4321');
  assert.deepEqual(o, { kind: 'rejected', keyword: 'Alon', reason: 'unknown_sender' });
  assert.equal(calls.length, 0);
  assert.deepEqual(await p.handle('+33699999999', 'Bonjour'), { kind: 'received' });
});

test('wrong PINs lock the sender out, even after a restart, then the lockout ends', async () => {
  const { p, calls, advance, file, cfg } = await setup();
  const r1 = await p.handle('0612345678', 'Alon 0000');
  assert.ok(r1.kind === 'rejected' && r1.reason === 'wrong_pin' && /2 essais/.test(r1.reply ?? ''));
  await p.handle('0612345678', 'Alon 1111');
  const r3 = await p.handle('0612345678', 'Alon');
  assert.ok(r3.kind === 'rejected' && r3.reason === 'wrong_pin' && /30 min/.test(r3.reply ?? ''));
  const r4 = await p.handle('0612345678', 'Alon 4321');
  assert.ok(r4.kind === 'rejected' && r4.reason === 'locked_out');
  assert.equal(calls.length, 0);
  // Restart: same state file.
  const again = await setup(cfg, file);
  const r5 = await again.p.handle('0612345678', 'Alon 4321');
  assert.ok(r5.kind === 'rejected' && r5.reason === 'locked_out');
  advance(31 * 60_000);
  const r6 = await p.handle('0612345678', 'Alon 4321');
  assert.equal(r6.kind, 'command');
});

test('a command whose action is missing replies with a clear message', async () => {
  const { p } = await setup();
  const o = await p.handle('+33612345678', 'ALOFF');
  assert.ok(o.kind === 'command' && !o.ok);
  assert.match(o.kind === 'command' ? o.message : '', /alarm\.disarm.*pas disponible/);
});

test('commands are rate-limited per sender', async () => {
  const { p } = await setup({ max_per_hour: 2 });
  await p.handle('+33612345678', 'Alon 4321');
  await p.handle('+33612345678', 'Alon 4321');
  const o = await p.handle('+33612345678', 'Alon 4321');
  assert.ok(o.kind === 'rejected' && o.reason === 'rate_limited');
});

test('default keywords: "État" (any case, accents ignored) asks the alarm for its state', async () => {
  const { loadConfigObject } = await import('../../addon/src/config/load.js');
  const defaults = loadConfigObject({ sms: { port: '/dev/ttyUSB0' } }, {}, 'en').sms?.commands.keywords ?? [];
  const { p, bus } = await setup({ keywords: defaults });
  const asked: string[] = [];
  bus.registerAction('alarm.status', 'alarm', async (_args, ctx) => {
    asked.push(ctx.origin);
    return { ok: true, message: 'Désarmée' };
  });
  const o = await p.handle('+33612345678', 'État');
  assert.equal(o.kind, 'command');
  assert.deepEqual(asked, ['sms:+33612345678']);
});
