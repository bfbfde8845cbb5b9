/**
 * Turns a fixture of published TIC frames (one group per line, blank line between frames) back
 * into the bytes on the wire: STX, then LF group CR for each line, then ETX. `!nostx` marks a
 * capture that started mid-frame, `!noetx` one that stopped mid-frame. `#` lines at the top
 * name the source.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'latin1');
}

export function ticBytes(name: string): Buffer {
  const lines = fixtureText(name).split('\n');
  while (lines.length && lines[0]!.startsWith('#')) lines.shift();
  const blocks: string[][] = [];
  let cur: string[] = [];
  for (const l of lines) {
    if (l === '') {
      if (cur.length) blocks.push(cur);
      cur = [];
    } else cur.push(l);
  }
  if (cur.length) blocks.push(cur);
  const parts: Buffer[] = [];
  for (const b of blocks) {
    const noStx = b[0] === '!nostx';
    const noEtx = b.includes('!noetx');
    const groups = b.filter((l) => l !== '!nostx' && l !== '!noetx');
    if (!noStx) parts.push(Buffer.from([0x02]));
    for (const g of groups) parts.push(Buffer.from(`\n${g}\r`, 'latin1'));
    if (!noEtx) parts.push(Buffer.from([0x03]));
  }
  return Buffer.concat(parts);
}

/** The group lines of a fixture (for oracles), without directives. */
export function fixtureGroups(name: string): string[] {
  return fixtureText(name)
    .split('\n')
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
}
