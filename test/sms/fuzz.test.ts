/** Fuzzing: the PDU decoder and the AT line parser never throw, whatever the bytes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  type LineEvent,
  LineSplitter,
  parseFinal,
  parseInfo,
  parseRanges,
} from '../../addon/src/modules/sms/at/lines.js';
import { decodePdu, PduError } from '../../addon/src/modules/sms/pdu/index.js';

test('PDU decoder: random bytes give a result or a typed PduError, never an exception', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 200 }),
      fc.constantFrom(true, false, 'auto' as const),
      (bytes, prefix) => {
        const r = decodePdu(Buffer.from(bytes).toString('hex'), { smscPrefix: prefix });
        return r.ok
          ? typeof r.value.text === 'string'
          : r.error instanceof PduError && r.error.message.length > 0;
      },
    ),
    { numRuns: 5000 },
  );
});

test('PDU decoder: mutated valid PDUs never throw', () => {
  const valid = Buffer.from(
    '0591721891F1400781721881F800003160526104848059050003C30101916536FB1DCABEEB2074D85E064941B19CAB06',
    'hex',
  );
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.nat(valid.length),
      (muts, cut) => {
        const b = Buffer.from(valid);
        for (const [i, v] of muts) b[i] = v;
        const r = decodePdu(b.subarray(0, cut));
        return r.ok || r.error instanceof PduError;
      },
    ),
    { numRuns: 3000 },
  );
  assert.equal(decodePdu('zz').ok, false);
  assert.equal(decodePdu('').ok, false);
});

/** What a line keeps of a byte stream once framing is set aside: no CR/LF, NUL, blank or ">". */
const content = (s: string) => s.replace(/[\r\n\0\s>]/g, '');

test('AT line parser: any byte stream, cut anywhere, never throws and loses no line', () => {
  fc.assert(
    fc.property(
      // Bytes biased toward line ends, prompts and NULs, so that lines and edge cases occur.
      fc.array(
        fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x0d, 0x0a, 0x3e, 0x20, 0x00, 0x4f, 0x4b)),
        { maxLength: 400 },
      ),
      fc.array(fc.nat(400), { maxLength: 10 }),
      (arr, cuts) => {
        const bytes = Uint8Array.from(arr);
        const s = new LineSplitter();
        const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
        let prev = 0;
        const got: LineEvent[] = [];
        for (const p of [...points, bytes.length]) {
          for (const ev of s.feed(bytes.subarray(prev, p))) {
            got.push(ev);
            if (ev.kind === 'line') {
              parseFinal(ev.text);
              parseInfo(ev.text);
              parseRanges(ev.text);
            }
          }
          prev = p;
        }
        // A last line without its line end comes out once the line end arrives.
        got.push(...s.feed('\r'));
        const lines = got.flatMap((e) => (e.kind === 'line' ? [e.text] : []));
        const prompts = got.length - lines.length;
        const stream = Buffer.from(bytes).toString('latin1');
        // Loses no line: every character a line can hold reaches a line, in order, whatever
        // the cuts (only the ">" of a prompt is consumed as such); and no line holds a line end.
        assert.equal(content(lines.join('')), content(stream));
        assert.ok(lines.every((l) => !/[\r\n]/.test(l) && l.length > 0));
        assert.ok(prompts <= (stream.match(/>/g)?.length ?? 0));
        return true;
      },
    ),
    { numRuns: 3000 },
  );
});

test('AT line parser: lines split across chunks come out whole, the prompt is seen', () => {
  const s = new LineSplitter();
  const out = [...s.feed('\r\n+CMT'), ...s.feed('I: "SM",3\r'), ...s.feed('\n\r\nOK\r\n\r\n> ')];
  assert.deepEqual(out, [
    { kind: 'line', text: '+CMTI: "SM",3' },
    { kind: 'line', text: 'OK' },
    { kind: 'prompt' },
  ]);
  assert.deepEqual(parseFinal('+CMS ERROR: 500'), { kind: 'cms', code: 500, text: '500' });
  assert.deepEqual(parseRanges('(0-2),(1),("SM","ME")'), [['0', '1', '2'], ['1'], ['SM', 'ME']]);
});
