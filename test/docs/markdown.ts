/**
 * The examples of README.md and docs/*.md, as the docs test reads them: every fenced block with
 * its language, its line and the marker written just before it (an HTML comment such as
 * `<!-- config -->`, `<!-- fragment: sms -->`, `<!-- lovelace: monitor-plan-card -->`,
 * `<!-- cli -->` or `<!-- not-run: why -->`). A block without a marker is reported by the test:
 * nothing is skipped silently.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DocBlock {
  file: string;
  line: number;
  lang: string;
  body: string;
  /** The marker comment's content (`config`, `fragment: sms`, …), if any. */
  marker?: string;
}

/** README.md and every docs/*.md except the generated configuration reference. */
export function docFiles(root: string): string[] {
  return [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
}

export function blocksOf(file: string, text: string): DocBlock[] {
  const lines = text.split('\n');
  const out: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] as string); i++) body.push(lines[i] as string);
    let j = start - 1;
    while (j >= 0 && (lines[j] as string).trim() === '') j--;
    const marker = /^<!--\s*(.+?)\s*-->$/.exec((lines[j] ?? '').trim())?.[1];
    out.push({
      file,
      line: start + 1,
      lang: open[1] ?? '',
      body: body.join('\n'),
      ...(marker ? { marker } : {}),
    });
  }
  return out;
}

export function allBlocks(root: string): DocBlock[] {
  return docFiles(root).flatMap((f) => blocksOf(f, readFileSync(join(root, f), 'utf8')));
}

/** The commands of a shell block, one per line, without comments and prompts. */
export function shellLines(body: string): string[] {
  return body
    .split('\n')
    .map((l) =>
      l
        .replace(/^\$\s+/, '')
        .replace(/\s+#.*$/, '')
        .trim(),
    )
    .filter((l) => l !== '' && !l.startsWith('#'));
}
