/**
 * Found by the alarm scenario: with PINs checked by the users module (scrypt, asynchronous),
 * SMS commands from one sender arriving together were checked concurrently, so a fourth SMS
 * passed before the third wrong PIN had locked the sender out. Commands of one sender must be
 * handled one after the other.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EventBus } from '../../addon/src/core/bus.js';
import { translator } from '../../addon/src/core/i18n.js';
import { DurableStore } from '../../addon/src/core/store.js';
import { CommandProcessor, isSenderStates } from '../../addon/src/modules/sms/commands.js';
import { dict } from '../../addon/src/modules/sms/i18n.js';
import { quietLog } from '../sms/helpers.js';

test('three wrong PINs sent at once lock the sender before a fourth SMS is checked', async () => {
  const bus = new EventBus(quietLog);
  const ran: string[] = [];
  bus.registerAction('users.identify_phone', 'users', async () => ({
    ok: true,
    message: 'bob',
    data: { username: 'bob', rights: ['arm'], enabled: true },
  }));
  // Like scrypt: the answer comes later, on another turn of the event loop.
  bus.registerAction('users.verify_pin', 'users', async (a) => {
    await new Promise((r) => setTimeout(r, 30));
    return a.pin === '5678'
      ? { ok: true, message: 'ok', data: { duress: false } }
      : { ok: false, message: 'unknown' };
  });
  bus.registerAction('alarm.arm_away', 'alarm', async () => {
    ran.push('arm');
    return { ok: true, message: 'armed' };
  });
  const p = new CommandProcessor(
    {
      enabled: true,
      authorized_senders: [],
      pin: '',
      keywords: [{ keyword: 'Alon', action: 'alarm.arm_away', service: '', data: {}, require_pin: true }],
      max_pin_failures: 3,
      lockout_minutes: 30,
      max_per_hour: 20,
      reply: true,
    } as never,
    {
      bus,
      ha: undefined,
      log: quietLog,
      t: translator(dict, 'en'),
      defaultCountry: 'FR',
      state: new DurableStore(mkdtempSync(join(tmpdir(), 'race-')), { log: quietLog }).state(
        'commands-state',
        {
          version: 1,
          validate: isSenderStates,
        },
      ),
    },
  );
  await p.load();
  const outcomes = await Promise.all(
    ['Alon 0000', 'Alon 1111', 'Alon 2222', 'Alon 5678'].map((text) => p.handle('+33622222222', text)),
  );
  assert.deepEqual(
    outcomes.map((o) => (o.kind === 'rejected' ? o.reason : o.kind)),
    ['wrong_pin', 'wrong_pin', 'wrong_pin', 'locked_out'],
  );
  assert.deepEqual(ran, []);
});
