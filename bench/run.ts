/**
 * `npm run bench`: prints figures (distributions, ratios) to stdout. Never pass/fail.
 * Each suite is a module exporting `run(): Promise<void>`; add yours to SUITES.
 * `npm run bench -- sms` runs only suites whose name contains "sms".
 */
export interface BenchSuite {
  name: string;
  load: () => Promise<{ run: () => Promise<void> }>;
}

const SUITES: BenchSuite[] = [
  { name: 'core', load: () => import('./core.js') },
  { name: 'sms', load: () => import('./sms.js') },
  { name: 'phone', load: () => import('./phone.js') },
  { name: 'linky', load: () => import('./linky.js') },
  { name: 'linky-live', load: () => import('./linky-live.js') },
  { name: 'printers', load: () => import('./printers.js') },
  { name: 'cards-bundle', load: () => import('./cards-bundle.js') },
  { name: 'cards', load: () => import('./cards.js') },
  { name: 'alarm', load: () => import('./alarm.js') },
  { name: 'cards-live', load: () => import('./cards-live.js') },
];

/**
 * The environment a service gets (PATH and LANG, as systemd's unit or the app's run script give
 * it) for the processes a bench measures: the bench's own environment may carry variables that
 * change the figures (this machine's NODE_EXTRA_CA_CERTS makes Node load a CA bundle, ~11 MB).
 */
export const SERVICE_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function distribution(samples: number[], unit: string, digits = 3): string {
  const s = [...samples].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(digits);
  return `n=${s.length} min=${f(s[0] ?? Number.NaN)} p50=${f(percentile(s, 50))} p90=${f(percentile(s, 90))} p99=${f(percentile(s, 99))} max=${f(s[s.length - 1] ?? Number.NaN)} ${unit}`;
}

export function figure(name: string, value: string, goal?: string): void {
  console.log(`${name.padEnd(58)} ${value}${goal ? `   (goal ${goal})` : ''}`);
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const chosen = SUITES.filter((s) => filters.length === 0 || filters.some((f) => s.name.includes(f)));
  for (const s of chosen) {
    console.log(`\n## ${s.name}`);
    const mod = await s.load();
    await mod.run();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
