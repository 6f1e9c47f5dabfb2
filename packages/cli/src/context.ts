import type { CommandSpec, ParsedArgs } from './args.ts';
import type { ApiClient } from './client.ts';

/** Where the CLI writes; `process.stdout` or a test's collector. */
export interface Output {
  write(text: string): unknown;
}

/** What every command gets: the API, the two outputs and the clock for waiting. */
export interface CommandContext {
  api: ApiClient;
  stdout: Output;
  stderr: Output;
  /** How long to wait between two reads of a release being followed. */
  pollIntervalMs: number;
  sleep(ms: number): Promise<void>;
}

export function printLine(output: Output, line: string) {
  output.write(`${line}\n`);
}

export function printJson(output: Output, value: unknown) {
  output.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One `autonomous <name>` command: its spec (options, help) and what it does. */
export interface Command {
  spec: CommandSpec;
  run(ctx: CommandContext, args: ParsedArgs): Promise<number>;
}
