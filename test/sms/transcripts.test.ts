/**
 * The simulator replays real modems: each transcript (fixtures/transcripts, with its public
 * source) is played against the simulator of that profile; answers must match byte for byte,
 * and the URCs quoted (`!` lines) must be part of the profile.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ModemSimulator } from '../../addon/src/modules/sms/simulator/modem-sim.js';
import { PROFILES } from '../../addon/src/modules/sms/simulator/profiles.js';

for (const id of ['sim800', 'e173', 'quectel'] as const) {
  test(`${id}: the simulator answers as the published transcript`, async () => {
    const text = readFileSync(new URL(`./fixtures/transcripts/${id}.txt`, import.meta.url), 'utf8');
    let listener: (c: Buffer) => void = () => {};
    let out = '';
    const sim = new ModemSimulator(
      {
        write: (d) => {
          out += Buffer.from(d).toString('latin1');
        },
        onData: (l) => {
          listener = l;
        },
      },
      { profile: id },
    );
    listener(Buffer.from('ATE0\r'));
    await new Promise((r) => setImmediate(r));
    let pending: string | undefined;
    const expected: string[] = [];
    const flush = async () => {
      if (pending === undefined) return;
      out = '';
      listener(Buffer.from(`${pending}\r`));
      await new Promise((r) => setImmediate(r));
      const got = out.split('\r\n').filter((l) => l !== '');
      assert.deepEqual(got, expected.splice(0), `${id}: ${pending}`);
      pending = undefined;
    };
    for (const line of text.split('\n')) {
      if (line.startsWith('> ')) {
        await flush();
        pending = line.slice(2);
      } else if (line.startsWith('< ')) expected.push(line.slice(2));
      else if (line.startsWith('! '))
        assert.ok([...PROFILES[id].noise, ...PROFILES[id].boot].includes(line.slice(2)), line);
    }
    await flush();
    assert.match(PROFILES[id].source, /\w/);
    sim.stop();
  });
}
