import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { randomUUID } from 'node:crypto';
import { StageContext, StageResult } from './types';

/** The newest healthy release of the environment before this one, on another image. */
export function previousHealthy(
  history: Release[],
  release: Release,
): Release | undefined {
  return history.find(
    r =>
      r.id !== release.id &&
      r.status === 'healthy' &&
      r.imageRef &&
      r.imageRef !== release.imageRef &&
      Date.parse(r.createdAt) <= Date.parse(release.createdAt),
  );
}

/**
 * degraded with auto-rollback on: what to write with the move to degraded, in the same
 * transaction — the move on to rolling-back and the rollback release — or, when there is
 * nothing to go back to, why the release stays degraded.
 */
export async function planAutomaticRollback(
  ctx: StageContext,
  reason?: string,
): Promise<Pick<StageResult, 'then' | 'note'> & { target?: Release }> {
  const { release } = ctx.claimed;
  const history = await ctx.findReleases({ environment: release.environment });
  const target = previousHealthy(history, release);
  if (!target) {
    return {
      note: 'Automatic rollback is on, but no earlier healthy release exists to go back to',
    };
  }
  const id = randomUUID();
  return {
    target,
    then: {
      to: 'rolling-back',
      message: `Rolling back to #${target.number} (${target.version}, ${target.imageRef}) with a new release`,
      create: {
        id,
        entityRef: release.entityRef,
        environment: release.environment,
        version: target.version,
        ref: target.ref,
        commitSha: target.commitSha,
        commitMessage: target.commitMessage,
        committedAt: target.committedAt,
        trigger: 'rollback',
        requestedBy: 'autonomous (automatic rollback)',
        reason:
          reason ?? `#${release.number} (${release.version}) turned Degraded`,
        imageRef: target.imageRef,
        sourceReleaseId: target.id,
        buildJob: release.buildJob,
        argocdApplication: release.argocdApplication,
      },
    },
  };
}

/** rolling-back: finished when the rollback release created after this one is. */
export async function rollingBackStage(
  ctx: StageContext,
): Promise<StageResult> {
  const { release } = ctx.claimed;
  const later = await ctx.findReleases({
    environment: release.environment,
    after: release.id,
  });
  const rollback = later
    .filter(r => r.trigger === 'rollback')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  if (!rollback) {
    return {
      to: 'failed',
      message: 'The rollback release is gone; deploy or roll back by hand',
    };
  }
  if (rollback.status === 'healthy') {
    return {
      to: 'rolled-back',
      message: `Rolled back: ${rollback.version} is healthy again (release ${rollback.id})`,
    };
  }
  if (['failed', 'cancelled', 'degraded'].includes(rollback.status)) {
    return {
      to: 'failed',
      message: `The rollback to ${rollback.version} ended ${rollback.status}; the environment needs a manual fix`,
    };
  }
  return { nextCheckInMs: ctx.settings.pollIntervalMs };
}
