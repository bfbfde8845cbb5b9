#!/usr/bin/env node
// Entry point of the `monitor` command: runs the bundled add-on (built by `npm run build`).
import { main } from '../dist/monitor.js';

// `monitor tic parse capture.bin | head`: a closed pipe ends the output, it is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
