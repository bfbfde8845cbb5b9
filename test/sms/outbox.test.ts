/**
 * The outbox's rate limit, with a fake modem, a fake clock and node:test's mocked timers (a
 * minute is not waited for): at most max_per_minute parts a minute, in order, and the limit
 * holds across a restart on the same journal.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, mock, test } from 'node:test';
import { DurableStore } from '../../addon/src/core/store.js';
import type { Modem } from '../../addon/src/modules/sms/modem/modem.js';
import { Outbox, type OutboxOptions } from '../../addon/src/modules/sms/outbox.js';
import { decodePdu } from '../../addon/src/modules/sms/pdu/index.js';
import { quietLog, waitUntil } from './helpers.js';

afterEach(() => mock.timers.reset());

function fakeModem(sent: string[]): Modem {
  return {
    send: async (hex: string, _len: number, beforeCommit?: () => void | Promise<void>) => {
      await beforeCommit?.();
      const d = decodePdu(hex);
      sent.push(d.ok ? d.value.address : '?');
      return sent.length;
    },
  } as unknown as Modem;
}

/** Outbox options on a fresh data directory (or `dataDir`), overridden by `extra`. */
function outboxOptions(
  extra: Partial<OutboxOptions> = {},
  dataDir = mkdtempSync(join(tmpdir(), 'sms-outbox-')),
): OutboxOptions {
  return {
    store: new DurableStore(dataDir, { log: quietLog }),
    statusReports: false,
    maxPerMinute: 10,
    maxAttempts: 3,
    retryInitialMs: 1000,
    retentionDays: 30,
    defaultCountry: 'FR',
    ...extra,
  };
}

/**
 * Lets due timers fire and the journal's file I/O (real, fsynced) complete: until `done` holds
 * (at most 5 s), or for 150 ms when there is nothing to wait for.
 */
async function flush(done?: () => boolean): Promise<void> {
  const until = Date.now() + (done ? 5000 : 150);
  while (Date.now() < until && !done?.()) {
    mock.timers.tick(0);
    await new Promise((r) => setImmediate(r));
  }
}

test('rate limit: at most max_per_minute parts a minute, in order, across a restart', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  let now = 1_700_000_000_000;
  const o: OutboxOptions = outboxOptions({ maxPerMinute: 2, retentionDays: 1, now: () => now });
  const sent: string[] = [];
  const modem = fakeModem(sent);
  const first = new Outbox(o, quietLog, () => {});
  await first.load();
  first.attach(modem);
  await first.enqueue({ to: ['0611111111', '0622222222', '0633333333'], text: 'a' });
  await flush(() => sent.length >= 2);
  await flush();
  assert.deepEqual(sent, ['+33611111111', '+33622222222'], 'two at once, the third waits');
  now += 59_000;
  mock.timers.tick(59_000);
  await flush();
  assert.equal(sent.length, 2, 'still waiting after 59 s');
  now += 1_001;
  mock.timers.tick(1_001);
  await flush(() => sent.length >= 3);
  assert.deepEqual(sent.at(-1), '+33633333333', 'sent once the minute has passed');
  first.close();

  // Restart 10 s later: the send of 10 s ago still counts, so only one more may leave now.
  now += 10_000;
  const second = new Outbox(o, quietLog, () => {});
  await second.load();
  second.attach(modem);
  await second.enqueue({ to: ['0644444444', '0655555555'], text: 'b' });
  await flush(() => sent.length >= 4);
  await flush();
  assert.equal(sent.length, 4);
  assert.equal(second.pendingCount, 1);
  now += 50_001;
  mock.timers.tick(50_001);
  await flush(() => sent.length >= 5 && second.pendingCount === 0);
  assert.deepEqual(sent.slice(3), ['+33644444444', '+33655555555']);
  assert.equal(second.pendingCount, 0);
  second.close();
});

test('a rate-limit wait neither sends after close nor holds the process', async () => {
  const sent: string[] = [];
  const ob = new Outbox(outboxOptions({ maxPerMinute: 1, retentionDays: 1 }), quietLog, () => {});
  await ob.load();
  ob.attach(fakeModem(sent));
  // Timers of a second or more created by the outbox (the rate-limit wait).
  const long: NodeJS.Timeout[] = [];
  const original = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    const t = original(fn, ms);
    if ((ms ?? 0) >= 1000) long.push(t);
    return t;
  }) as typeof setTimeout;
  try {
    await ob.enqueue({ to: ['0611111111', '0622222222'], text: 'c' });
    for (let i = 0; i < 1000 && long.length === 0; i++) await new Promise((r) => original(r, 5));
  } finally {
    globalThis.setTimeout = original;
  }
  assert.equal(sent.length, 1, 'the second waits for the next minute');
  assert.equal(long.length, 1, 'one rate-limit wait');
  // The minute-long wait must not keep Node alive (a stopping module would hang for a minute).
  assert.equal(long[0]?.hasRef(), false);
  ob.close();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(sent.length, 1, 'nothing leaves after close');
});

test('retention counts from the recorded times: finished messages go, the journal is compacted', async () => {
  // Issue 9: on load every finished message got finishedAt = now, so none ever aged out and
  // the journal grew for ever, replayed at every start.
  let now = Date.UTC(2026, 0, 1);
  const dataDir = mkdtempSync(join(tmpdir(), 'sms-outbox-'));
  const o: OutboxOptions = outboxOptions({ maxPerMinute: 100, now: () => now }, dataDir);
  const sent: string[] = [];
  const first = new Outbox(o, quietLog, () => {});
  await first.load();
  first.attach(fakeModem(sent));
  await first.enqueue({ to: ['0611111111'], text: 'old' });
  await waitUntil(() => first.pendingCount === 0, 2000, 'old sent');
  first.close();
  // Twenty days later another one; restarts in between.
  now += 20 * 86_400_000;
  const second = new Outbox(o, quietLog, () => {});
  await second.load();
  second.attach(fakeModem(sent));
  await second.enqueue({ to: ['0622222222'], text: 'recent' });
  await waitUntil(() => second.pendingCount === 0, 2000, 'recent sent');
  second.close();
  // Thirty-one days after the first: it is gone from memory and from the journal; the other stays.
  now += 11 * 86_400_000;
  const third = new Outbox(o, quietLog, () => {});
  await third.load();
  assert.deepEqual(
    [...third.messages.values()].map((m) => m.text),
    ['recent'],
  );
  const journal = readFileSync(join(dataDir, 'outbox.jsonl'), 'utf8');
  assert.ok(!journal.includes('"old"'), 'the journal was compacted');
  assert.equal(
    [...third.messages.values()][0]?.finishedAt,
    Date.UTC(2026, 0, 21),
    'finished when it was sent',
  );
  third.close();
});

test('urgent messages (command replies, alarm notifications) leave before bulk ones', async () => {
  const sent: string[] = [];
  const ob = new Outbox(outboxOptions({ maxPerMinute: 1000, retentionDays: 1 }), quietLog, () => {});
  await ob.load();
  await ob.enqueue({ to: ['0611111111', '0622222222', '0633333333'], text: 'bulk' });
  await ob.enqueue({ to: ['0644444444'], text: 'reply', urgent: true });
  ob.attach(fakeModem(sent));
  await waitUntil(() => sent.length === 4, 2000, 'all sent');
  assert.deepEqual(sent, ['+33644444444', '+33611111111', '+33622222222', '+33633333333']);
  ob.close();
});

test('a journal of the first release (bare records) is taken over by the store, nothing lost', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sms-outbox-'));
  const at = Date.now() - 1000;
  // What the first release wrote: one bare record per line, no store envelope.
  writeFileSync(
    join(dataDir, 'outbox.jsonl'),
    `${JSON.stringify({ t: 'acc', id: 'm1', batch: 'b1', to: '+33611111111', text: 'legacy', flash: false, sr: false, ref: 7, origin: 'rpc', at })}\n`,
  );
  const ob = new Outbox(outboxOptions({}, dataDir), quietLog, () => {});
  await ob.load();
  assert.deepEqual(
    [...ob.messages.values()].map((m) => [m.id, m.text, m.status]),
    [['m1', 'legacy', 'queued']],
  );
  const line = JSON.parse(readFileSync(join(dataDir, 'outbox.jsonl'), 'utf8').trim()) as {
    at: number;
    entry: unknown;
  };
  assert.equal(line.at, at, 'rewritten in the store format, with the recorded time');
  assert.equal((line.entry as { id: string }).id, 'm1');
  assert.equal(statSync(join(dataDir, 'outbox.jsonl')).mode & 0o777, 0o600);
  ob.close();
});
