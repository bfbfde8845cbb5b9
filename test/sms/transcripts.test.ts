/**
 * The simulator replays real modems: each transcript (fixtures/transcripts/<profile>.txt) quotes
 * public logs and manuals, naming the source above each exchange, and is played against the
 * simulator of that profile.
 *
 * Fixture format, one directive per line:
 *   # …          comment (sources, and UNVERIFIED marks for lines no source backs)
 *   = echo on|off   set the simulator's echo first (ATE1/ATE0, answer discarded)
 *   = reference N   the next AT+CMGS answers +CMGS: N
 *   > CMD        the host sends CMD and CR
 *   >> PDU       the host sends the PDU and Ctrl-Z (after a prompt)
 *   ~ status-report   the network delivers a status report (for a message reference 78)
 *   < LINE       a line the modem answers; compared line by line (the source gives lines,
 *                not their CR/LF framing); the prompt is the line ">"
 *   << BYTES     the exact bytes answered (\r and \n escaped): the source gives a raw frame
 *   ! URC        an unsolicited line the source quotes: the profile must be able to emit it
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ModemSimulator } from '../../addon/src/modules/sms/simulator/modem-sim.js';
import { PROFILES } from '../../addon/src/modules/sms/simulator/profiles.js';

type Exchange = { kind: 'cmd' | 'pdu' | 'event'; text: string; lines: string[]; raw?: string; at: number };

function parse(text: string) {
  const steps: Array<Exchange | { kind: 'set'; key: string; value: string }> = [];
  const urcs: string[] = [];
  let current: Exchange | undefined;
  text.split('\n').forEach((line, i) => {
    const at = i + 1;
    if (line.startsWith('<< ')) {
      assert.ok(current, `line ${at}: an answer without a command`);
      current.raw = line.slice(3).replace(/\\r/g, '\r').replace(/\\n/g, '\n');
    } else if (line.startsWith('< ')) {
      assert.ok(current, `line ${at}: an answer without a command`);
      current.lines.push(line.slice(2));
    } else if (/^(>>|>|~) /.test(line)) {
      const mark = line.slice(0, line.indexOf(' '));
      const kind = mark === '>>' ? 'pdu' : mark === '>' ? 'cmd' : 'event';
      current = { kind, text: line.slice(mark.length + 1), lines: [], at };
      steps.push(current);
    } else if (line.startsWith('= ')) {
      const [key = '', value = ''] = line.slice(2).split(/\s+/);
      steps.push({ kind: 'set', key, value });
      current = undefined;
    } else if (line.startsWith('! ')) urcs.push(line.slice(2));
    else assert.ok(line === '' || line.startsWith('#'), `line ${at}: unknown directive "${line}"`);
  });
  return { steps, urcs };
}

/** Waits until the simulator has been quiet for a while (answers may come after a timer). */
async function settle(get: () => string): Promise<void> {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 15));
    if (get().length === last && last > 0) return;
    last = get().length;
  }
}

for (const id of ['sim800', 'e1752', 'quectel'] as const) {
  test(`${id}: the simulator answers as the published transcript`, async () => {
    const text = readFileSync(new URL(`./fixtures/transcripts/${id}.txt`, import.meta.url), 'utf8');
    assert.match(text, /Source: /, 'the fixture names its sources');
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
      { profile: id, sendDelayMs: 5, reportDelayMs: false },
    );
    const send = async (s: string) => {
      out = '';
      listener(Buffer.from(s, 'latin1'));
      await settle(() => out);
    };
    const { steps, urcs } = parse(text);
    let exchanges = 0;
    for (const step of steps) {
      if (step.kind === 'set') {
        if (step.key === 'echo') await send(step.value === 'on' ? 'ATE1\r' : 'ATE0\r');
        else if (step.key === 'reference') sim.setNextReference(Number(step.value));
        else assert.fail(`unknown setting ${step.key}`);
        continue;
      }
      if (step.kind === 'cmd') await send(`${step.text}\r`);
      else if (step.kind === 'pdu') await send(`${step.text}\x1a`);
      else {
        assert.equal(step.text, 'status-report');
        out = '';
        sim.statusReport(78, '+33612345678', 0);
        await settle(() => out);
      }
      exchanges++;
      const where = `${id}.txt line ${step.at}: ${step.text}`;
      if (step.raw !== undefined) assert.equal(JSON.stringify(out), JSON.stringify(step.raw), where);
      else {
        const got = out
          .split(/[\r\n]+/)
          .map((l) => l.trim())
          .filter((l) => l !== '');
        assert.deepEqual(got, step.lines, where);
      }
    }
    assert.ok(exchanges >= 5, 'the transcript replays real exchanges');
    const emits = [...PROFILES[id].noise, ...PROFILES[id].boot];
    for (const u of urcs) assert.ok(emits.includes(u), `${id}: the profile never emits "${u}"`);
    sim.stop();
  });
}
