/** A CLI command: machine-readable output is JSON, one object per line, on stdout. */
export interface CliIO {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  /** Words after `monitor`, e.g. ['sms', 'decode']. */
  path: string[];
  usage: string;
  summary: { en: string; fr: string };
  run(args: string[], io: CliIO): Promise<number>;
}

export function printJson(io: CliIO, obj: unknown): void {
  io.stdout(JSON.stringify(obj));
}

/** Reads all of stdin (for `-` arguments). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}
