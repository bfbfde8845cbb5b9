#!/usr/bin/env node
// Entry point of the `monitor` command: runs the bundled add-on (built by `npm run build`).
import { main } from '../dist/monitor.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
