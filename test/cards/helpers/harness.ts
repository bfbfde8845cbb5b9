/**
 * Browser harness of the cards' tests and bench: builds `dist/monitor-cards.js` when it is
 * missing or older than a source file, serves the repository's card files over a local HTTP
 * server, and drives Debian's Chromium through playwright-core.
 */

import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { after, before } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const BUNDLE = join(ROOT, 'dist/monitor-cards.js');
export const ARTIFACTS = join(ROOT, 'test-artifacts/cards');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/** Rebuilds the cards bundle (only the cards config of rollup.config.mjs) when it is stale. */
export async function ensureBundle(): Promise<void> {
  let bundleTime = 0;
  try {
    bundleTime = statSync(BUNDLE).mtimeMs;
  } catch {}
  // The build's own plugins (scripts/*.mjs: template minifier, translation and icon packing)
  // change the bundle as much as a source does.
  const plugins = readdirSync(join(ROOT, 'scripts'))
    .filter((n) => n.endsWith('.mjs'))
    .map((n) => statSync(join(ROOT, 'scripts', n)).mtimeMs);
  const sources = Math.max(
    newestMtime(join(ROOT, 'cards/src')),
    statSync(join(ROOT, 'rollup.config.mjs')).mtimeMs,
    ...plugins,
  );
  if (bundleTime >= sources) return;
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const { rollup } = await import('rollup');
    const configs = (await import(pathToFileURL(join(ROOT, 'rollup.config.mjs')).href)).default as {
      input: string;
      plugins: unknown[];
      output: { file: string };
    }[];
    const cfg = configs.find((c) => c.output.file === 'dist/monitor-cards.js');
    if (!cfg) throw new Error('rollup.config.mjs has no cards bundle');
    const bundle = await rollup(cfg as Parameters<typeof rollup>[0]);
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    // Write then rename: two test files may build at the same time.
    const tmp = `${BUNDLE}.${process.pid}.tmp`;
    writeFileSync(tmp, (output[0] as { code: string }).code);
    renameSync(tmp, BUNDLE);
  } finally {
    process.chdir(cwd);
  }
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};
const SERVED = ['dist/', 'cards/preview/', 'test/cards/fixtures/'];

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the bundle, the preview assets and the fixtures; cross-origin isolated for fine timers. */
export async function startServer(): Promise<TestServer> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^[/\\]+/,
      '',
    );
    const file = join(ROOT, path);
    if (!file.startsWith(ROOT + sep) || !SERVED.some((p) => path.startsWith(p))) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 900, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A page with the test harness loaded (bundle, theme, fake hass), failing on any page error. */
export async function openHarness(
  browser: Browser,
  server: TestServer,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${server.url}/test/cards/fixtures/page.html`);
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
  return { page, errors };
}

export async function screenshot(page: Page, selector: string, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  await page.locator(selector).first().screenshot({ path: file });
  return file;
}

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, 'test/cards/fixtures', name), 'utf8'));
}

export interface HarnessSession {
  browser: Browser;
  server: TestServer;
  page: Page;
  errors: string[];
}

/**
 * Registers the hooks of a suite: bundle built if stale, the test server, a fresh Chromium with
 * the harness page open; all closed after the suite. Fields are set once `before` has run.
 */
export function useHarness(): HarnessSession {
  const s = {} as HarnessSession;
  before(async () => {
    await ensureBundle();
    s.server = await startServer();
    s.browser = await launchBrowser();
    Object.assign(s, await openHarness(s.browser, s.server));
  });
  after(async () => {
    await s.browser?.close();
    await s.server?.close();
  });
  return s;
}
