/**
 * How much V8 compiles for the long-running service (`monitor run`).
 *
 * By default the optimising compilers are off: V8 still interprets (Ignition) and compiles hot
 * functions to baseline machine code (Sparkplug), but never runs TurboFan (nor Maglev, on by
 * default in the V8 of Node >= 22): `--max-opt=1`, Sparkplug being the highest tier allowed.
 * Measured with one Linky meter streaming (bench/linky-live.ts): TurboFan compiling a few hot
 * functions touched ~4.4 MB of the node binary's compiler code (file pages, counted in RSS) plus
 * its work memory, ~9 MB in all, for a service whose every job (a frame, an SMS, a printer
 * update) takes microseconds to milliseconds either way. What it costs on heavy work is in
 * docs/linky.md (memory pass): decoding ~5x slower, still thousands of frames a second.
 *
 * `MONITOR_JIT=optimizing` keeps V8's default (a host decoding many meters or running a large
 * printer fleet). Set at run time with v8.setFlagsFromString because NODE_OPTIONS refuses V8's
 * tiering flags; it takes effect for every function not optimised yet, i.e. all of them when
 * called first thing in `run`.
 */
import { setFlagsFromString } from 'node:v8';

export type JitMode = 'lean' | 'optimizing';

export function jitMode(env: NodeJS.ProcessEnv): JitMode {
  return env.MONITOR_JIT === 'optimizing' ? 'optimizing' : 'lean';
}

export function applyJitMode(mode: JitMode): void {
  if (mode === 'lean') setFlagsFromString('--max-opt=1');
}
