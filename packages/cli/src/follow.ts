import type {
  Release,
  ReleaseStatus,
  ReleaseWithEvents,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import type { CommandContext } from './context.ts';
import { printJson, printLine } from './context.ts';
import { releasePath } from './entity.ts';
import { EXIT, HttpError, UnreachableError } from './errors.ts';
import { eventLine, releaseDuration } from './format.ts';

/**
 * When following stops. Degraded is not terminal (an automatic rollback may follow, or it may
 * recover) but nothing moves it forward on its own, so following ends there as a failure.
 * A full record, so a new status cannot be added without deciding this for it.
 */
const FOLLOW_ENDS: Record<ReleaseStatus, boolean> = {
  queued: false,
  building: false,
  built: false,
  syncing: false,
  progressing: false,
  healthy: true,
  degraded: true,
  'rolling-back': false,
  'rolled-back': true,
  failed: true,
  cancelled: true,
};

/** A backend restarting or a proxy hiccup should not end a long wait. */
const MAX_CONSECUTIVE_READ_FAILURES = 5;

function isTransient(error: unknown): boolean {
  return (
    error instanceof UnreachableError ||
    (error instanceof HttpError && [502, 503, 504].includes(error.status))
  );
}

/**
 * Reads the release every `pollIntervalMs` and prints each new event as it appears, until the
 * release is healthy or has ended otherwise.
 */
export async function followRelease(
  ctx: CommandContext,
  id: string,
  options: { quiet: boolean },
): Promise<ReleaseWithEvents> {
  const printed = new Set<string>();
  let failures = 0;
  for (;;) {
    let release: ReleaseWithEvents;
    try {
      release = await ctx.api.get<ReleaseWithEvents>(releasePath(id));
      failures = 0;
    } catch (error) {
      failures += 1;
      if (!isTransient(error) || failures > MAX_CONSECUTIVE_READ_FAILURES) {
        throw error;
      }
      printLine(
        ctx.stderr,
        `warning: ${
          (error as Error).message
        }; trying again (${failures}/${MAX_CONSECUTIVE_READ_FAILURES})`,
      );
      await ctx.sleep(ctx.pollIntervalMs);
      continue;
    }
    const events = [...(release.events ?? [])].sort(
      (a, b) => Date.parse(a.at) - Date.parse(b.at),
    );
    for (const event of events) {
      if (printed.has(event.id)) continue;
      printed.add(event.id);
      if (!options.quiet) printLine(ctx.stdout, eventLine(event));
    }
    if (FOLLOW_ENDS[release.status] ?? true) return release;
    await ctx.sleep(ctx.pollIntervalMs);
  }
}

function lastMessage(release: ReleaseWithEvents): string | undefined {
  const events = release.events ?? [];
  const matching = events.filter(e => e.to === release.status);
  return (matching[matching.length - 1] ?? events[events.length - 1])?.message;
}

/** Says how the release ended and turns that into the exit code. */
export function reportOutcome(
  ctx: CommandContext,
  release: ReleaseWithEvents,
  json: boolean,
): number {
  if (json) {
    printJson(ctx.stdout, release);
    return release.status === 'healthy' ? EXIT.ok : EXIT.failed;
  }
  const name = `Release ${release.version}`;
  const why = lastMessage(release);
  const because = why ? `: ${why}` : '';
  switch (release.status) {
    case 'healthy':
      printLine(
        ctx.stdout,
        `${name} is healthy in ${release.environment} (took ${releaseDuration(
          release,
        )})`,
      );
      return EXIT.ok;
    case 'degraded':
      printLine(
        ctx.stderr,
        `${name} is degraded in ${release.environment}${because}. An automatic rollback may follow if the project asks for one; see "autonomous status".`,
      );
      return EXIT.failed;
    case 'rolled-back':
      printLine(ctx.stderr, `${name} was rolled back${because}`);
      return EXIT.failed;
    case 'cancelled':
      printLine(ctx.stderr, `${name} was cancelled${because}`);
      return EXIT.failed;
    default:
      printLine(ctx.stderr, `${name} ${release.status}${because}`);
      return EXIT.failed;
  }
}

/** Prints a release just created, then follows it when asked. */
export async function announceAndMaybeFollow(
  ctx: CommandContext,
  release: Release,
  options: { wait: boolean; json: boolean; what: string },
): Promise<number> {
  if (!options.wait) {
    if (options.json) printJson(ctx.stdout, release);
    else
      printLine(
        ctx.stdout,
        `${options.what}: release ${release.version} (${release.id}) is ${release.status}`,
      );
    return EXIT.ok;
  }
  if (!options.json) {
    printLine(
      ctx.stdout,
      `${options.what}: release ${release.version} (${release.id}); following it`,
    );
  }
  const final = await followRelease(ctx, release.id, { quiet: options.json });
  return reportOutcome(ctx, final, options.json);
}
