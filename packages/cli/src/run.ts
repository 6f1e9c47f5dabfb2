import { helpText, parseCommandArgs } from './args.ts';
import { createApiClient } from './client.ts';
import { cancelCommand } from './commands/cancel.ts';
import { deployCommand } from './commands/deploy.ts';
import { logsCommand } from './commands/logs.ts';
import { redeployCommand } from './commands/redeploy.ts';
import { releasesCommand } from './commands/releases.ts';
import { rollbackCommand } from './commands/rollback.ts';
import { statusCommand } from './commands/status.ts';
import type { Command, Output } from './context.ts';
import { printLine } from './context.ts';
import { CliError, EXIT, UsageError } from './errors.ts';

export const COMMANDS: Command[] = [
  deployCommand,
  releasesCommand,
  rollbackCommand,
  redeployCommand,
  cancelCommand,
  statusCommand,
  logsCommand,
];

const POLL_INTERVAL_MS = 2_000;

export interface RunOptions {
  /** The arguments after the program name. */
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  fetch?: typeof fetch;
  /** Between two reads of a release being followed; 2 s unless a test says otherwise. */
  pollIntervalMs?: number;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map(c => c.spec.name.length));
  return [
    'usage: autonomous <command> [options]',
    '',
    'Deploy, follow, roll back and inspect releases of an Autonomous portal.',
    '',
    ...COMMANDS.map(
      c =>
        `  ${c.spec.name.padEnd(width)}  ${c.spec.summary
          .split('. ')[0]
          .replace(/\.$/, '')}`,
    ),
    '',
    'Configuration: AUTONOMOUS_URL (the portal backend, e.g. http://localhost:7007) and',
    'AUTONOMOUS_TOKEN (a Backstage token), or --url and --token.',
    'Exit codes: 0 done, 1 refused or the release did not end healthy, 2 bad command line or',
    'configuration, 3 the portal could not be reached.',
    'Run "autonomous <command> --help" for a command\'s options.',
    '',
  ].join('\n');
}

function readConfig(
  strings: Record<string, string | undefined>,
  env: Record<string, string | undefined>,
): { url: string; token: string } {
  const url = strings.url ?? env.AUTONOMOUS_URL;
  const token = strings.token ?? env.AUTONOMOUS_TOKEN;
  if (!url) {
    throw new CliError(
      "AUTONOMOUS_URL is not set: export AUTONOMOUS_URL=http://localhost:7007 (the portal backend's base URL) or pass --url",
      EXIT.usage,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = new URL('invalid:');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(
      `"${url}" is not an http(s) URL: set AUTONOMOUS_URL (or --url) to the portal backend's base URL, e.g. http://localhost:7007`,
      EXIT.usage,
    );
  }
  if (!token) {
    throw new CliError(
      "AUTONOMOUS_TOKEN is not set: export AUTONOMOUS_TOKEN=<token> (a static token from backend.auth.externalAccess in app-config, or a user's Backstage token) or pass --token",
      EXIT.usage,
    );
  }
  return { url, token };
}

function reportError(stderr: Output, error: unknown): number {
  if (error instanceof CliError) {
    printLine(stderr, `error: ${error.message}`);
    if (error.hint) printLine(stderr, `hint: ${error.hint}`);
    if (error instanceof UsageError && error.usage) {
      printLine(stderr, error.usage);
    }
    return error.exitCode;
  }
  printLine(
    stderr,
    `error: ${error instanceof Error ? error.stack ?? error.message : error}`,
  );
  return EXIT.failed;
}

/** The whole CLI: reads the arguments, calls the portal, returns the exit code. */
export async function run(options: RunOptions): Promise<number> {
  const { argv, stdout, stderr } = options;
  const [name, ...rest] = argv;
  if (
    name === undefined ||
    name === 'help' ||
    name === '--help' ||
    name === '-h'
  ) {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = COMMANDS.find(c => c.spec.name === topic);
    if (name === undefined) {
      stderr.write(overview());
      return EXIT.usage;
    }
    stdout.write(command ? helpText(command.spec) : overview());
    return EXIT.ok;
  }
  const command = COMMANDS.find(c => c.spec.name === name);
  if (!command) {
    printLine(
      stderr,
      `error: unknown command "${name}": use one of ${COMMANDS.map(
        c => c.spec.name,
      ).join(', ')}`,
    );
    printLine(stderr, 'usage: autonomous <command> [options]');
    return EXIT.usage;
  }
  try {
    const args = parseCommandArgs(command.spec, rest);
    if (args === 'help') {
      stdout.write(helpText(command.spec));
      return EXIT.ok;
    }
    const config = readConfig(args.strings, options.env);
    const api = createApiClient({ ...config, fetch: options.fetch });
    return await command.run(
      {
        api,
        stdout,
        stderr,
        pollIntervalMs: options.pollIntervalMs ?? POLL_INTERVAL_MS,
        sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
      },
      args,
    );
  } catch (error) {
    return reportError(stderr, error);
  }
}
