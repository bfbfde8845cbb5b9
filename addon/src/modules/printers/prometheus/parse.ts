/**
 * Prometheus text exposition format (version 0.0.4,
 * https://prometheus.io/docs/instrumenting/exposition_formats/) → samples.
 *
 * Written here rather than taken from npm: the one package for it (parse-prometheus-text-format)
 * has no types and throws on the first bad line, whereas a printer's exporter may emit a line we
 * do not understand and we want the other samples plus a list of what was skipped. The format
 * is line-based and small: `# HELP`/`# TYPE` comments, then `name{label="value",…} value [ts]`.
 * Pure function: never throws.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedMetrics {
  samples: Sample[];
  /** `# TYPE` declarations: metric family → counter, gauge, info, … */
  types: Record<string, string>;
  /** Lines that could not be read, with their line number (1-based). */
  invalid: Array<{ line: number; reason: string }>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

function parseValue(s: string): number | undefined {
  switch (s) {
    case '+Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    case 'NaN':
      return Number.NaN;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** Reads `{a="x",b="y\"z"}` from `text` at `i` (on the `{`); returns labels and the index after `}`. */
function parseLabels(text: string, start: number): { labels: Record<string, string>; end: number } | string {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, end: i + 1 };
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
    if (!m) return 'bad label name';
    const name = m[0];
    i += name.length;
    while (text[i] === ' ') i++;
    if (text[i] !== '=') return 'expected = after label name';
    i++;
    while (text[i] === ' ') i++;
    if (text[i] !== '"') return 'expected a quoted label value';
    i++;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) return 'unterminated label value';
      if (c === '"') break;
      if (c === '\\') {
        const n = text[i + 1];
        value += n === 'n' ? '\n' : (n ?? '');
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    labels[name] = value;
    i++;
  }
}

export function parsePrometheusText(text: string): ParsedMetrics {
  const out: ParsedMetrics = { samples: [], types: {}, invalid: [] };
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] ?? '').trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s*TYPE\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s+(\w+)/.exec(line);
      if (m) out.types[m[1] as string] = m[2] as string;
      continue;
    }
    const name = NAME.exec(line)?.[0];
    if (!name) {
      out.invalid.push({ line: n + 1, reason: 'no metric name' });
      continue;
    }
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') {
      const l = parseLabels(line, i);
      if (typeof l === 'string') {
        out.invalid.push({ line: n + 1, reason: l });
        continue;
      }
      labels = l.labels;
      i = l.end;
    }
    const rest = line.slice(i).trim().split(/\s+/);
    const value = parseValue(rest[0] ?? '');
    if (value === undefined || rest.length > 2) {
      out.invalid.push({ line: n + 1, reason: 'bad value' });
      continue;
    }
    out.samples.push({ name, labels, value });
  }
  return out;
}

/** Samples of one metric name (optionally matching some labels). */
export function samplesOf(m: ParsedMetrics, name: string, labels: Record<string, string> = {}): Sample[] {
  return m.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

/** The value of a metric, if exactly one sample of it matches (or the first one). */
export function metricValue(
  m: ParsedMetrics,
  name: string,
  labels: Record<string, string> = {},
): number | null {
  const s = samplesOf(m, name, labels)[0];
  return s && Number.isFinite(s.value) ? s.value : null;
}
