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

/**
 * What the portal sends (reasons, event messages, error messages) is shown, never obeyed: a
 * terminal escape code or other control character in it is printed as `\x1b`. Line breaks and
 * tabs stay, for tables and multi-line messages. Build logs are the one raw output (`logs`).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function printable(text: string): string {
  return text.replace(
    CONTROL,
    c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

export function printLine(output: Output, line: string) {
  output.write(`${printable(line)}\n`);
}

export function printJson(output: Output, value: unknown) {
  output.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One `autonomous <name>` command: its spec (options, help) and what it does. */
export interface Command {
  spec: CommandSpec;
  run(ctx: CommandContext, args: ParsedArgs): Promise<number>;
}
