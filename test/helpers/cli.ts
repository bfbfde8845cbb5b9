/** `monitor <args>` run in process with its output lines kept: how every area's CLI tests run it. */
import { Readable } from 'node:stream';
import { main } from '../../addon/src/cli/main.js';

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
}

/** `stdin`: what is piped in (none when absent); `env`: the whole environment the CLI sees. */
export async function runCli(
  args: string[],
  io: { stdin?: string; env: NodeJS.ProcessEnv },
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    ...(io.stdin === undefined ? {} : { stdin: Readable.from([io.stdin]) }),
    env: io.env,
  });
  return { code, out, err };
}
