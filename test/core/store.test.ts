/**
 * The core's durable store (issue 9, "State is persisted five different ways… a corrupt
 * Enedis store silently becomes an empty one"): atomic state files with a version and a
 * migration hook, fsynced journals replayed with their recorded time, retention by that time,
 * 0600 files in a 0700 directory, and a corrupt file reported, kept aside, never replaced.
 */
import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { EventBus } from '../../addon/src/core/bus.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { type CorruptFile, DurableStore } from '../../addon/src/core/store.js';
import { EntityRegistry } from '../../addon/src/entities/registry.js';
import { Gateway } from '../../addon/src/gateway/gateway.js';
import { FakeMqtt } from '../helpers/fake-mqtt.js';

const root = mkdtempSync(join(tmpdir(), 'monitor-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function store(now?: () => number) {
  const dir = join(root, `s${++n}`, 'sms');
  const reports: CorruptFile[] = [];
  const lines: string[] = [];
  const log = new LoggerRoot({ level: 'warn', timestamps: false, sink: { write: (l) => lines.push(l) } });
  const s = new DurableStore(dir, {
    log: log.logger('store'),
    onCorrupt: (c) => reports.push(c),
    ...(now ? { now } : {}),
  });
  return { s, dir, reports, lines };
}

const mode = (p: string) => statSync(p).mode & 0o777;

describe('state files', () => {
  test('missing, then saved atomically (0600 in 0700, no temp file left) and loaded back', async () => {
    const { s, dir } = store();
    const st = s.state<{ count: number }>('counters', { version: 1 });
    assert.deepEqual(await st.load(), { status: 'missing' });
    await st.save({ count: 3 });
    const r = await st.load();
    assert.equal(r.status, 'ok');
    assert.deepEqual(r.status === 'ok' && r.value, { count: 3 });
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(st.path), 0o600);
    assert.deepEqual(readdirSync(dir), ['counters.json']);
    const doc = JSON.parse(readFileSync(st.path, 'utf8'));
    assert.equal(doc.version, 1);
    assert.ok(Date.parse(doc.saved_at) > 0);
  });

  test('an older version goes through migrate(); a newer one is not guessed', async () => {
    const { s, reports } = store();
    writeFileSync(join(s.dir, 'tempo.json'), JSON.stringify({ version: 1, value: { colour: 'BLEU' } }));
    const st = s.state<{ colours: string[] }>('tempo', {
      version: 2,
      migrate: (old, from) => {
        assert.equal(from, 1);
        return { colours: [(old as { colour: string }).colour] };
      },
    });
    const r = await st.load();
    assert.deepEqual(r.status === 'ok' && r.value, { colours: ['BLEU'] });
    assert.equal(r.status === 'ok' && r.migratedFrom, 1);
    writeFileSync(join(s.dir, 'future.json'), JSON.stringify({ version: 9, value: {} }));
    const f = await s.state('future', { version: 2 }).load();
    assert.equal(f.status, 'corrupt');
    assert.match(f.status === 'corrupt' ? f.reason : '', /newer/);
    assert.equal(reports.length, 1);
  });

  test('a corrupt file is reported, kept aside as <name>.corrupt-<time>, never replaced silently', async () => {
    const { s, dir, reports, lines } = store(() => Date.parse('2026-12-06T10:00:00Z'));
    const garbage = '{"version":1,"value":{"half';
    writeFileSync(join(dir, 'enedis.json'), garbage);
    const st = s.state('enedis', { version: 1 });
    const r = await st.load();
    assert.equal(r.status, 'corrupt');
    const moved = r.status === 'corrupt' ? r.movedTo : '';
    assert.equal(moved, join(dir, 'enedis.json.corrupt-2026-12-06T10-00-00-000Z'));
    assert.equal(readFileSync(moved, 'utf8'), garbage);
    assert.deepEqual(reports, [{ file: join(dir, 'enedis.json'), movedTo: moved, reason: 'not JSON' }]);
    assert.ok(lines.some((l) => /enedis\.json is corrupt \(not JSON\): kept aside/.test(l)));
    // The module decides: the next load says missing, not "an empty store".
    assert.deepEqual(await st.load(), { status: 'missing' });
    // A shape check is corruption too.
    writeFileSync(join(dir, 'shape.json'), JSON.stringify({ version: 1, value: [1] }));
    const shaped = await s
      .state<{ a: number }>('shape', {
        version: 1,
        validate: (v): v is { a: number } => typeof v === 'object' && v !== null && !Array.isArray(v),
      })
      .load();
    assert.equal(shaped.status, 'corrupt');
  });

  test('the gateway shows a corrupt file (a diagnostic entity), in French too', () => {
    const mqtt = new FakeMqtt();
    const log = new LoggerRoot({ level: 'silent' });
    const node = {
      nodeId: 'n',
      baseTopic: 'monitor',
      discoveryPrefix: 'homeassistant',
      origin: { name: 'm', sw_version: '0' },
    };
    const registry = new EntityRegistry(
      node,
      mqtt,
      { coalesceMs: 0, refreshMinutes: 0, republishDelayMs: 0, birthTopic: 'homeassistant/status' },
      log.logger('e'),
    );
    const bus = new EventBus(log.logger('bus'));
    const gw = new Gateway({ registry, bus, mqtt, nodeId: 'n', version: '0', modules: ['sms'], lang: 'fr' });
    gw.start();
    try {
      assert.ok(mqtt.on('homeassistant/sensor/n_gateway/store_problem/config').length === 1);
      bus.emit('storeCorrupt', {
        module: 'sms',
        file: '/data/sms/outbox.jsonl',
        movedTo: '/data/sms/outbox.jsonl.corrupt-x',
        reason: 'not JSON',
      });
      const state = JSON.parse(mqtt.on('monitor/n/gateway/state').at(-1)?.payload ?? '{}');
      assert.equal(state.store_problem, 'sms : outbox.jsonl illisible (not JSON), mis de côté');
      assert.equal(state.store_problem_attributes.moved_to, '/data/sms/outbox.jsonl.corrupt-x');
    } finally {
      gw.stop();
    }
  });
});

describe('journals', () => {
  test('append (fsynced, 0600), replay with the recorded time, rewrite', async () => {
    let now = 1_000;
    const { s } = store(() => now);
    const j = s.journal<{ id: string }>('outbox');
    assert.deepEqual(await j.replay(), []);
    await j.append({ id: 'a' });
    now = 2_000;
    await j.append({ id: 'b' });
    assert.equal(mode(j.path), 0o600);
    assert.deepEqual(await j.replay(), [
      { at: 1_000, entry: { id: 'a' } },
      { at: 2_000, entry: { id: 'b' } },
    ]);
    await j.rewrite([{ at: 2_000, entry: { id: 'b' } }]);
    assert.deepEqual(await j.replay(), [{ at: 2_000, entry: { id: 'b' } }]);
  });

  test('appends in parallel are all kept, in order', async () => {
    const { s } = store();
    const j = s.journal<number>('burst');
    await Promise.all(Array.from({ length: 50 }, (_, i) => j.append(i)));
    assert.deepEqual(
      (await j.replay()).map((r) => r.entry),
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  test('retention by recorded time: a restart does not make old records new', async () => {
    let now = Date.parse('2026-11-01T00:00:00Z');
    const { s } = store(() => now);
    const j = s.journal<string>('inbox');
    await j.append('old');
    now += 10 * 86_400_000;
    await j.append('recent');
    // A new process (a new store object) long after: the times come from the file.
    now += 20 * 86_400_000;
    const again = new DurableStore(s.dir, {
      log: new LoggerRoot({ level: 'silent' }).logger('s'),
      now: () => now,
    });
    const dropped = await again.journal<string>('inbox').retain(25 * 86_400_000);
    assert.equal(dropped, 1);
    assert.deepEqual(
      (await again.journal<string>('inbox').replay()).map((r) => r.entry),
      ['recent'],
    );
  });

  test('a torn last line (crash during an append) is dropped and the next append is clean', async () => {
    const { s, reports } = store();
    const j = s.journal<string>('torn');
    await j.append('one');
    appendFileSync(j.path, '{"at":5,"entr');
    assert.deepEqual(
      (await j.replay()).map((r) => r.entry),
      ['one'],
    );
    await j.append('two');
    assert.deepEqual(
      (await j.replay()).map((r) => r.entry),
      ['one', 'two'],
    );
    assert.equal(reports.length, 0, 'an interrupted write is not corruption');
  });

  test('a bad line inside the journal: reported, the file kept aside, the valid records replayed', async () => {
    const { s, reports } = store();
    const j = s.journal<string>('mid');
    await j.append('one');
    appendFileSync(j.path, 'garbage\n');
    await j.append('two');
    const before = readFileSync(j.path, 'utf8');
    assert.deepEqual(
      (await j.replay()).map((r) => r.entry),
      ['one', 'two'],
    );
    assert.equal(reports.length, 1);
    assert.match(reports[0]?.reason ?? '', /1 unreadable record\(s\), first at line 2/);
    assert.equal(readFileSync(reports[0]?.movedTo ?? '', 'utf8'), before);
  });
});
