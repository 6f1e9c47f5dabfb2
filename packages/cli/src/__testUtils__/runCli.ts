import { run } from '../run.ts';
import type { FakePortal } from './portalServer.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process against the portal, as `autonomous <argv>` would. */
export async function runCli(
  argv: string[],
  options: {
    portal?: FakePortal;
    env?: Record<string, string | undefined>;
  } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const env =
    options.env ??
    (options.portal
      ? {
          AUTONOMOUS_URL: options.portal.url,
          AUTONOMOUS_TOKEN: options.portal.token,
        }
      : {});
  const code = await run({
    argv,
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    pollIntervalMs: 5,
  });
  return { code, stdout, stderr };
}
