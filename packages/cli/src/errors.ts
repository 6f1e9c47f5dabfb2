/**
 * Exit codes: 0 done, 1 the portal said no or the release did not end healthy, 2 the command
 * line or configuration is wrong, 3 the portal could not be reached.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  unreachable: 3,
} as const;

/** A failure the user can act on: printed as `error: <message>` plus an optional hint. */
export class CliError extends Error {
  readonly exitCode: number;
  readonly hint?: string;

  constructor(message: string, exitCode: number, hint?: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** The command line is wrong: printed with the command's usage line. */
export class UsageError extends CliError {
  readonly usage?: string;

  constructor(message: string, usage?: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
    this.usage = usage;
  }
}

/** The portal answered with an HTTP error. */
export class HttpError extends CliError {
  readonly status: number;
  /** The portal's own message, without the status. */
  readonly detail: string;

  constructor(status: number, detail: string, hint?: string) {
    super(`${detail} (HTTP ${status})`, EXIT.failed, hint);
    this.name = 'HttpError';
    this.status = status;
    this.detail = detail;
  }
}

/** No answer at all: connection refused, DNS, TLS or a timeout. */
export class UnreachableError extends CliError {
  constructor(url: string, reason: string) {
    super(
      `cannot reach ${url}: ${reason}`,
      EXIT.unreachable,
      'check AUTONOMOUS_URL (or --url) and that the portal backend is running',
    );
    this.name = 'UnreachableError';
  }
}
