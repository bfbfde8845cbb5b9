// One rollup config for both bundles:
// - dist/monitor.js: the add-on (Node). Dependencies stay external: serialport carries a native
//   binding and the others are installed next to it by npm.
// - dist/monitor-cards.js: the Lovelace cards (browser), one minified ES file for HACS.
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

const pkg = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync('package.json', 'utf8')));
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies ?? {}),
];
const isExternal = (id) => external.some((e) => id === e || id.startsWith(`${e}/`));

const configs = [
  {
    input: 'addon/src/cli/main.ts',
    output: { file: 'dist/monitor.js', format: 'es', sourcemap: true },
    external: isExternal,
    plugins: [json(), esbuild({ target: 'node20', tsconfig: 'tsconfig.json' })],
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
      terser({ ecma: 2021, module: true, format: { comments: false } }),
    ],
  });
}

export default configs;
