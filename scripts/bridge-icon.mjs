// Renders custom_components_bridge/monitor_bridge/brand/icon.png (256×256) from the SVG below
// with Chromium (playwright-core). Run again after changing the drawing: node scripts/bridge-icon.mjs
import { chromium } from 'playwright-core';

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256" width="256" height="256">
  <rect x="8" y="8" width="240" height="240" rx="48" fill="#1e88e5"/>
  <path d="M64 176V92l64 52 64-52v84" fill="none" stroke="#fff" stroke-width="22" stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="128" cy="60" r="14" fill="#ffca28"/>
</svg>`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 256, height: 256 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${SVG}</body></html>`);
await page.locator('svg').screenshot({
  path: 'custom_components_bridge/monitor_bridge/brand/icon.png',
  omitBackground: true,
});
await browser.close();
