// One rollup config for both bundles:
// - dist/monitor.js: the add-on (Node), a minified entry with its pure-JavaScript dependencies
//   bundled in (mqtt, ajv, ws, home-assistant-js-websocket…): measured with the gateway
//   alone, the process takes ~11 MB less resident memory than when Node loads those ~400 modules
//   one by one (bench/core.ts). What is imported dynamically (each feature module, each CLI
//   command's work, the HA websocket client) is a chunk of its own in dist/chunks/, loaded only
//   when used: a process with `linky` alone does not parse the SMS, printer or alarm code
//   (bench/linky-live.ts). Still a few dozen bundled files, not hundreds of node_modules ones.
//   Packages with a native binding (serialport, ws's optional helpers) and the demo's broker
//   (aedes, loaded on demand) stay external: npm installs them beside it. A module that adds a
//   dependency with a native binding lists it in KEEP_EXTERNAL.
// - dist/monitor-cards.js: the Lovelace cards (browser), one minified ES file for HACS.
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild, { minify } from 'rollup-plugin-esbuild';
import { compactIcons } from './scripts/compact-icons.mjs';
import { minifyTemplates } from './scripts/minify-templates.mjs';
import { packTranslations } from './scripts/pack-translations.mjs';

const KEEP_EXTERNAL = ['serialport', '@serialport/', 'aedes', 'bufferutil', 'utf-8-validate'];
// Required synchronously on first use, so that processes that never need them never load them
// (a chunk can only be loaded asynchronously): libphonenumber-js (modules/sms/phone.ts), yaml
// (config/load.ts: JSON configs and the app's options never need it).
const LOAD_ON_DEMAND = ['libphonenumber-js', 'yaml'];
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const isExternal = (id) =>
  builtins.has(id) ||
  id.startsWith('node:') ||
  [...KEEP_EXTERNAL, ...LOAD_ON_DEMAND].some((e) =>
    e.endsWith('/') ? id.startsWith(e) : id === e || id.startsWith(`${e}/`),
  );

// The monitor_bridge integration serves the cards to app users without HACS: it ships the
// bundle built from the same commit (custom_components_bridge/monitor_bridge/www/, not in git).
function shipInBridge() {
  return {
    name: 'ship-cards-in-bridge',
    writeBundle(options) {
      const dir = 'custom_components_bridge/monitor_bridge/www';
      mkdirSync(dir, { recursive: true });
      copyFileSync(options.file, `${dir}/monitor-cards.js`);
    },
  };
}

/**
 * terser for the cards (bench/cards-bundle.ts measures each step without it). Private members
 * are named `_member` in cards/src (never `_$`: Lit's own) and get short names; nothing outside
 * the bundle reads them (HA calls only public members).
 */
export const CARDS_TERSER = {
  ecma: 2021,
  module: true,
  compress: { passes: 2 },
  mangle: { properties: { regex: /^_[a-z]/ } },
  format: { comments: false },
};

// Chunks of an earlier build would pile up beside the new ones (and ship): start from none.
function cleanChunks() {
  return {
    name: 'clean-chunks',
    generateBundle() {
      rmSync('dist/chunks', { recursive: true, force: true });
    },
  };
}

const configs = [
  {
    input: 'addon/src/cli/main.ts',
    output: {
      dir: 'dist',
      entryFileNames: 'monitor.js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      format: 'es',
      sourcemap: true,
    },
    external: isExternal,
    plugins: [
      nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
      // ws and others `require` optional helpers inside try/catch: leave those calls alone.
      commonjs({ ignoreDynamicRequires: true }),
      json(),
      esbuild({ target: 'node20', tsconfig: 'tsconfig.json' }),
      // ASCII only: V8 keeps a script's source in memory for its life, two bytes a character as
      // soon as one character is not Latin-1 (two regexes with French quotes doubled the main
      // chunk: 0.4 MB of heap, bench/linky-live.ts).
      minify({ target: 'node20', keepNames: true, charset: 'ascii' }),
      cleanChunks(),
    ],
    onwarn(warning, warn) {
      // Circular imports inside readable-stream, `this` at the top of transpiled CJS: harmless.
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      warn(warning);
    },
  },
];

if (existsSync('cards/src/index.ts')) {
  configs.push({
    input: 'cards/src/index.ts',
    output: { file: 'dist/monitor-cards.js', format: 'es', sourcemap: false },
    plugins: [
      nodeResolve({ browser: true }),
      json(),
      esbuild({ target: 'es2021', tsconfig: 'tsconfig.json' }),
      // Lit's css`` and html`` templates are strings terser leaves alone: their indentation and
      // comments were a fifth of the bundle (bench/cards-bundle.ts reports the breakdown).
      minifyTemplates(),
      // The French texts ship as a list in English key order: the keys once, not twice.
      packTranslations(),
      // The bundled icons' SVG paths, re-encoded shorter (same points).
      compactIcons(),
      terser(CARDS_TERSER),
      shipInBridge(),
    ],
  });
}

export default configs;
