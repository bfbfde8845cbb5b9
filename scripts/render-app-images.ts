/**
 * Renders the app store's icon.png (128×128) and logo.png (250×100) from the SVG below, through
 * Chromium (playwright-core). Run after changing the drawing: `npx tsx scripts/render-app-images.ts`;
 * the PNGs are committed (the Supervisor reads them from addon/).
 */
import { chromium } from 'playwright-core';

/** A speech bubble (SMS) over a house outline, in Home Assistant's blue. */
const MARK = `
  <rect x="4" y="4" width="120" height="120" rx="26" fill="#18bcf2"/>
  <path d="M64 22 L104 56 V104 H24 V56 Z" fill="none" stroke="#fff" stroke-width="8" stroke-linejoin="round"/>
  <path d="M44 62 h40 a8 8 0 0 1 8 8 v14 a8 8 0 0 1 -8 8 h-24 l-12 10 v-10 h-4 a8 8 0 0 1 -8 -8 v-14 a8 8 0 0 1 8 -8 z"
        fill="#fff"/>
  <circle cx="54" cy="77" r="3.5" fill="#18bcf2"/><circle cx="64" cy="77" r="3.5" fill="#18bcf2"/>
  <circle cx="74" cy="77" r="3.5" fill="#18bcf2"/>`;

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">${MARK}</svg>`;
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="250" height="100" viewBox="0 0 250 100">
  <g transform="translate(4 6) scale(0.69)">${MARK}</g>
  <text x="100" y="62" font-family="DejaVu Sans, Arial, sans-serif" font-size="34" font-weight="bold"
        fill="#1c1c1c">Monitor</text></svg>`;

async function render(svg: string, width: number, height: number, file: string): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.screenshot({ path: file, omitBackground: true, clip: { x: 0, y: 0, width, height } });
  } finally {
    await browser.close();
  }
}

await render(ICON, 128, 128, 'addon/icon.png');
await render(LOGO, 250, 100, 'addon/logo.png');
console.log('wrote addon/icon.png, addon/logo.png');
