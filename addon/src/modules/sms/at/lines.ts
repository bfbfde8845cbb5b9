/**
 * The AT line parser: bytes from the modem → lines, plus the `> ` prompt of AT+CMGS, which has
 * no line ending. Pure and incremental: `feed` never throws, whatever the bytes.
 */

export type LineEvent = { kind: 'line'; text: string } | { kind: 'prompt' };

/** Lines longer than this are cut (a modem in a bad state can stream garbage without CR/LF). */
export const MAX_LINE = 4096;

export class LineSplitter {
  private buf = '';

  /** Feeds bytes; returns the complete lines (empty ones dropped) and prompts found. */
  feed(chunk: Uint8Array | string): LineEvent[] {
    const out: LineEvent[] = [];
    // latin1 keeps every byte as one character: nothing is lost or replaced.
    this.buf += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1');
    for (;;) {
      const i = this.buf.search(/[\r\n]/);
      if (i < 0) break;
      const line = this.buf.slice(0, i).replace(/\0/g, '');
      this.buf = this.buf.slice(i + 1);
      // A prompt followed by a line end in the same read (a Huawei ^RSSI URC right after the
      // "> " of AT+CMGS) is still the prompt, not a line reading ">".
      if (line === '> ' || line === '>') out.push({ kind: 'prompt' });
      else if (line.trim().length > 0) out.push({ kind: 'line', text: line.trim() });
    }
    if (this.buf === '> ' || this.buf === '>') {
      // The prompt ends the modem's output until we send the PDU; `>` alone is seen on
      // modems that drop the space. A line cannot start with `>` otherwise.
      this.buf = '';
      out.push({ kind: 'prompt' });
    } else if (this.buf.length > MAX_LINE) {
      out.push({ kind: 'line', text: this.buf.slice(0, MAX_LINE).trim() });
      this.buf = '';
    }
    return out;
  }

  /** Bytes waiting for a line end. */
  get pending(): string {
    return this.buf;
  }

  reset(): void {
    this.buf = '';
  }
}

export type FinalResult =
  | { kind: 'ok' }
  | { kind: 'error' }
  | { kind: 'cme'; code: number; text: string }
  | { kind: 'cms'; code: number; text: string }
  | { kind: 'other'; text: string };

/** Final result codes of V.250 and TS 27.007/27.005; null when the line is not one. */
export function parseFinal(line: string): FinalResult | null {
  if (line === 'OK' || line === '0') return { kind: 'ok' };
  if (line === 'ERROR' || line === '4') return { kind: 'error' };
  const m = /^\+(CME|CMS) ERROR:\s*(.*)$/.exec(line);
  if (m) {
    const code = Number.parseInt(m[2] as string, 10);
    return {
      kind: m[1] === 'CME' ? 'cme' : 'cms',
      code: Number.isFinite(code) ? code : -1,
      text: (m[2] as string).trim(),
    };
  }
  if (
    line === 'NO CARRIER' ||
    line === 'NO DIALTONE' ||
    line === 'BUSY' ||
    line === 'NO ANSWER' ||
    line === 'ABORTED'
  )
    return { kind: 'other', text: line };
  return null;
}

/** `+CMD: a,"b",3` → name "+CMD", args ["a", "b", "3"] (quotes removed, commas inside quotes kept). */
export function parseInfo(line: string): { name: string; args: string[] } | null {
  const m = /^([+^][A-Z0-9_]+|[A-Z][A-Z ]*[A-Z]):\s?(.*)$/.exec(line);
  if (!m) return null;
  return { name: m[1] as string, args: splitArgs(m[2] as string) };
}

export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let wasQuoted = false;
  for (const ch of s) {
    if (ch === '"') {
      quoted = !quoted;
      wasQuoted = true;
    } else if (ch === ',' && !quoted) {
      out.push(wasQuoted ? cur : cur.trim());
      cur = '';
      wasQuoted = false;
    } else cur += ch;
  }
  if (s.length) out.push(wasQuoted ? cur : cur.trim());
  return out;
}

/** `(0-3),(0,1),("SM","ME")` → [[0,1,2,3],[0,1],["SM","ME"]] as strings. */
export function parseRanges(s: string): string[][] {
  const groups: string[][] = [];
  const re = /\(([^)]*)\)|([^,()]+)/g;
  for (const m of s.matchAll(re)) {
    const body = (m[1] ?? m[2] ?? '').trim();
    const vals: string[] = [];
    for (const part of splitArgs(body)) {
      const r = /^(\d+)-(\d+)$/.exec(part);
      if (r) {
        const a = Number(r[1]);
        const b = Math.min(Number(r[2]), a + 255);
        for (let i = a; i <= b; i++) vals.push(String(i));
      } else if (part !== '') vals.push(part);
    }
    groups.push(vals);
  }
  return groups;
}
