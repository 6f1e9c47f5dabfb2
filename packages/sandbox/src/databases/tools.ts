import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A command-line tool failed: its name, exit code and what it wrote to stderr. */
export class ToolError extends Error {
  readonly stderr: string;
  constructor(message: string, stderr: string) {
    super(message);
    this.stderr = stderr;
  }
}

/**
 * Runs a database client tool (pg_dump, mysql, …) without a shell, with `stdinFile` as its
 * standard input. Passwords go through the environment (PGPASSWORD, MYSQL_PWD), never argv.
 */
export function runTool(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; stdinFile?: string } = {},
): Promise<ToolResult> {
  return new Promise(resolve => {
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => {});
    if (options.stdinFile) {
      const input = createReadStream(options.stdinFile);
      input.on('error', e => {
        err.push(Buffer.from(`${e.message}\n`));
        child.stdin.end();
      });
      input.pipe(child.stdin);
    } else {
      child.stdin.end();
    }
    child.on('error', e =>
      resolve({ code: 127, stdout: '', stderr: `${command}: ${e.message}` }),
    );
    child.on('close', code =>
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

/** Runs a tool and throws a ToolError carrying its stderr when it exits non-zero. */
export async function mustRunTool(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; stdinFile?: string } = {},
): Promise<ToolResult> {
  const result = await runTool(command, args, options);
  if (result.code !== 0) {
    throw new ToolError(
      `${command} exited with status ${result.code}`,
      result.stderr.trim() || result.stdout.trim(),
    );
  }
  return result;
}
