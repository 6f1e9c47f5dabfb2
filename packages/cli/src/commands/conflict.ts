import type { ReleaseConflictPolicy } from '@autonomous-dev/backstage-plugin-autonomous-common';
import type { OptionSpec, ParsedArgs } from '../args.ts';
import { HttpError, UsageError } from '../errors.ts';

export const CONFLICT_OPTIONS: Record<string, OptionSpec> = {
  queue: {
    type: 'boolean',
    description:
      'if a release is in flight for the environment, run after it instead of failing',
  },
  supersede: {
    type: 'boolean',
    description:
      'if a release is in flight for the environment, cancel it and run this one',
  },
};

export function conflictPolicy(
  args: ParsedArgs,
): ReleaseConflictPolicy | undefined {
  if (args.flags.queue && args.flags.supersede) {
    throw new UsageError(
      '--queue and --supersede cannot be used together: --queue waits for the release in flight, --supersede cancels it',
    );
  }
  if (args.flags.queue) return 'queue';
  if (args.flags.supersede) return 'supersede';
  return undefined;
}

/** A 409 names the release in flight; say how to go ahead anyway. */
export async function withConflictHint<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof HttpError && error.status === 409) {
      throw new HttpError(
        409,
        error.detail,
        'add --queue to run after the release in flight, or --supersede to cancel it and run this one',
      );
    }
    throw error;
  }
}
