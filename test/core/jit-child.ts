/**
 * Child of jit.test.ts (run with --allow-natives-syntax): applies the JIT mode given as argv[2],
 * calls a small function until V8 optimises it (or 20 million times), prints whether it did.
 */
import { applyJitMode, type JitMode } from '../../addon/src/core/jit.js';

applyJitMode(process.argv[2] as JitMode);
// V8's intrinsic, parsed by V8 at run time (the TypeScript transform would refuse `%`).
const status = new Function('f', 'return %GetOptimizationStatus(f)') as (f: unknown) => number;
const OPTIMIZED = 1 << 4; // V8's OptimizationStatus::kOptimized
const hot = (x: number) => (x * 31 + 7) % 1009;
let sum = 0;
let optimized = false;
for (let round = 0; round < 200 && !optimized; round++) {
  for (let i = 0; i < 100_000; i++) sum += hot(i);
  // Concurrent recompilation finishes on another thread: let it land.
  await new Promise((r) => setTimeout(r, 1));
  optimized = (status(hot) & OPTIMIZED) !== 0;
}
process.stdout.write(`${JSON.stringify({ optimized, sum: sum > 0 })}\n`);
