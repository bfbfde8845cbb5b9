/**
 * The Lovelace cards' preview page for `monitor demo`: a small HTTP server that serves the
 * built bundle (`dist/monitor-cards.js`) and `cards/preview/` (a page with a fake `hass`), so
 * the cards can be tried without Home Assistant. Only the listed files are served.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoProvider } from './providers.js';

export interface PreviewServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The package root: the nearest folder above this file (source or bundle) with cards/preview. */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'cards/preview/index.html')))
      return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cards/preview not found above ' + from);
    dir = up;
  }
}

const ROUTES: Record<string, [string, string]> = {
  '/': ['cards/preview/index.html', 'text/html; charset=utf-8'],
  '/index.html': ['cards/preview/index.html', 'text/html; charset=utf-8'],
  '/preview.js': ['cards/preview/preview.js', 'text/javascript; charset=utf-8'],
  '/fake-hass.js': ['cards/preview/fake-hass.js', 'text/javascript; charset=utf-8'],
  '/ha-texts.js': ['cards/preview/ha-texts.js', 'text/javascript; charset=utf-8'],
  '/ha-icons.js': ['cards/preview/ha-icons.js', 'text/javascript; charset=utf-8'],
  '/ha-icon-data.js': ['cards/preview/ha-icon-data.js', 'text/javascript; charset=utf-8'],
  '/form-editor.js': ['cards/preview/form-editor.js', 'text/javascript; charset=utf-8'],
  '/theme.css': ['cards/preview/theme.css', 'text/css; charset=utf-8'],
  '/plan.svg': ['cards/preview/plan.svg', 'image/svg+xml'],
  '/monitor-cards.js': ['dist/monitor-cards.js', 'text/javascript; charset=utf-8'],
};

export async function startPreviewServer(
  port = 0,
  host = '127.0.0.1',
  root = packageRoot(),
): Promise<PreviewServer> {
  const server = createServer((req, res) => {
    const route = ROUTES[new URL(req.url ?? '/', 'http://preview').pathname];
    if (!route || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    try {
      // Read on each request: a rebuilt bundle shows on reload.
      const body = readFileSync(join(root, route[0]));
      res
        .writeHead(200, { 'content-type': route[1], 'cache-control': 'no-store' })
        .end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`${route[0]} is missing (npm run build)`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}/`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `monitor demo` prints the preview's address (port from MONITOR_CARDS_PREVIEW_PORT, else a free one). */
export const cardsPreviewDemo: DemoProvider = {
  name: 'cards',
  async start(ctx) {
    const preview = await startPreviewServer(Number(process.env.MONITOR_CARDS_PREVIEW_PORT ?? 0));
    return {
      lines: [
        ctx.lang === 'fr'
          ? `Aperçu des cartes Lovelace : ${preview.url}`
          : `Lovelace cards preview: ${preview.url}`,
      ],
      stop: () => preview.close(),
    };
  },
};
