/**
 * Fuzzing the TIC decoder with fast-check: it never throws, and a corrupted group never yields
 * a value. Real frames (fixtures) are mutated the way a noisy line does it: a byte replaced,
 * inserted or lost, the stream cut into random chunks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  decodeAll,
  decodeTic,
  initialDecoderState,
  type TicFrame,
} from '../../addon/src/modules/linky/tic/decoder.js';
import { ticBytes } from './load-fixture.js';

const REAL = [
  ticBytes('historic-mono-hc.tic.txt'),
  ticBytes('historic-tri-tempo.tic.txt'),
  ticBytes('standard-mono-producer.tic.txt'),
  ticBytes('standard-tri-producer-tempo.tic.txt'),
];

/** Checksum oracle: recomputes a valid group's checksum from its published text. */
function groupChecks(g: {
  label: string;
  value: string;
  date?: { raw: string };
  mode: string;
  convention?: string;
}) {
  const sep = g.mode === 'standard' ? '\t' : ' ';
  const body = [g.label, ...(g.date ? [g.date.raw] : []), g.value].join(sep);
  let s = 0;
  for (const c of body) s += c.charCodeAt(0);
  if (g.mode === 'standard' || g.convention === 'with_separator') s += sep.charCodeAt(0);
  return String.fromCharCode((s & 0x3f) + 0x20);
}

function decodeChunked(bytes: Uint8Array, cuts: number[]): TicFrame[] {
  let state = initialDecoderState();
  const frames: TicFrame[] = [];
  let prev = 0;
  for (const c of [...cuts.map((x) => x % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
    const r = decodeTic(state, bytes.subarray(prev, Math.max(prev, c)));
    state = r.state;
    frames.push(...r.frames);
    prev = Math.max(prev, c);
  }
  return frames;
}

/** Every group the capture holds, the partial first and last frames included. */
function sentValues(real: Buffer): Set<string> {
  const sent = new Set<string>();
  for (const f of decodeAll(Buffer.concat([Buffer.from([2]), real, Buffer.from([3])])).frames)
    for (const [l, v] of Object.entries(f.values)) sent.add(key(l, v));
  return sent;
}

const key = (label: string, v: { value: string; date?: { raw: string } }) =>
  `${label}=${v.value}@${v.date?.raw ?? ''}`;

describe('TIC decoder fuzzing', () => {
  it('never throws on arbitrary bytes in arbitrary chunks; valid groups are printable and check', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (bytes, cuts) => {
          const frames = decodeChunked(bytes, cuts);
          for (const f of frames) {
            for (const g of f.groups) {
              if (!g.valid) continue;
              assert.equal(groupChecks(g), g.checksum);
              assert.match(g.value, /^[\x20-\x7e]*$/);
              assert.match(g.label, /^[A-Z0-9+-]+$/);
            }
            for (const [l, v] of Object.entries(f.values))
              assert.ok(f.groups.some((g) => g.valid && g.label === l && g.value === v.value));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('arbitrary bytes around real frames do not change what the real frames give', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REAL),
        fc.uint8Array({ maxLength: 200 }).map((a) => a.filter((b) => (b & 0x7f) !== 0x02)),
        (real, noise) => {
          const clean = decodeAll(real).frames.map((f) => f.values);
          const noisy = decodeAll(Buffer.concat([noise, real])).frames.map((f) => f.values);
          assert.deepEqual(noisy.slice(-clean.length), clean);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('one corrupted byte (a change the 6-bit checksum can see) never gives a value that was not sent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REAL),
        fc.nat(),
        fc.integer({ min: 0, max: 0x7f }),
        fc.constantFrom('replace', 'insert', 'delete'),
        fc.array(fc.nat(), { maxLength: 8 }),
        (real, at, byte, kind, cuts) => {
          const sent = sentValues(real);
          const i = at % real.length;
          const orig = real[i]! & 0x7f;
          // Deltas of 64 are the 6-bit checksum's blind spot (covered by the next test).
          if (kind === 'replace' && ((byte - orig) & 0x3f) === 0) return;
          if (kind === 'insert' && (byte & 0x3f) === 0) return;
          if (kind === 'delete' && (orig & 0x3f) === 0) return;
          const mutated =
            kind === 'replace'
              ? Buffer.concat([real.subarray(0, i), Buffer.from([byte]), real.subarray(i + 1)])
              : kind === 'insert'
                ? Buffer.concat([real.subarray(0, i), Buffer.from([byte]), real.subarray(i)])
                : Buffer.concat([real.subarray(0, i), real.subarray(i + 1)]);
          for (const f of decodeChunked(mutated, cuts)) {
            for (const g of f.groups) if (g.valid) assert.equal(groupChecks(g), g.checksum);
            for (const [l, v] of Object.entries(f.values))
              assert.ok(sent.has(key(l, v)), `invented ${key(l, v)} (${kind} ${byte} at ${i})`);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('a digit changed by 64 (same checksum) is caught by the label format', () => {
    const real = ticBytes('historic-tri-tempo.tic.txt');
    const digits = [...real.keys()].filter((i) => real[i]! >= 0x30 && real[i]! <= 0x39);
    fc.assert(
      fc.property(fc.constantFrom(...digits), (i) => {
        const m = Buffer.from(real);
        m[i] = m[i]! + 64;
        const sent = sentValues(real);
        for (const f of decodeAll(m).frames)
          for (const [l, v] of Object.entries(f.values)) assert.ok(sent.has(key(l, v)), key(l, v));
      }),
      { numRuns: 300 },
    );
  });
});
