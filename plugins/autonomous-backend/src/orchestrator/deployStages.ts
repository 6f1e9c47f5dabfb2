import {
  ArgoCdApplication,
  isUpstreamError,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { noArgoCdApplication } from '../service/deployableEnvironment';
import { rolloutOf, splitImageRef, workloadOf } from '../upstreamObjects';
import { timedOut } from './buildStages';
import { gateStage } from './gateStage';
import { rolloutStage } from './rolloutStage';
import { StageContext, StageResult } from './types';

/** ArgoCD is already running an operation (often the automated sync of the same change). */
function isOperationInProgress(e: unknown): boolean {
  return isUpstreamError(e) && (e.isOperationInProgress || e.status === 409);
}

/**
 * built: pin the application to the digest and ask for a sync. Works with automated sync on
 * (where ArgoCD's own rollback endpoint refuses): the desired state itself changes.
 */
export async function builtStage(ctx: StageContext): Promise<StageResult> {
  const { release } = ctx.claimed;
  const app = release.argocdApplication;
  if (!app) {
    return {
      to: 'failed',
      message: noArgoCdApplication(release.entityRef, release.environment),
    };
  }
  const image = splitImageRef(release.imageRef ?? '');
  if (!image) {
    return {
      to: 'failed',
      message: `The release has no image pinned to a digest (${release.imageRef}); deploy a new build instead`,
    };
  }
  const argocd = ctx.clients.forEntity('argocd', ctx.entity);
  // Only an application that claims the entity (or that config maps to its owner) is changed.
  const refusal = ctx.bindings.applicationRefusal(
    ctx.entity,
    await argocd.getApplication(app),
  );
  if (refusal) return { to: 'failed', message: refusal };
  await argocd.setHelmParameters(app, [
    { name: 'image.repository', value: image.repository },
    { name: 'image.digest', value: image.digest },
  ]);
  const requestedAt = ctx.now().toISOString();
  try {
    await argocd.sync(app, { prune: true });
  } catch (e) {
    // Automated sync may already be applying the change we just made.
    if (!isOperationInProgress(e)) throw e;
  }
  return {
    to: 'syncing',
    message: `ArgoCD application ${app} set to ${image.digest}; sync requested`,
    progress: { syncRequestedAt: requestedAt },
    nextCheckInMs: Math.min(1_000, ctx.settings.pollIntervalMs),
  };
}

function runs(app: ArgoCdApplication, imageRef: string): boolean {
  return (app.status?.summary?.images ?? []).some(
    image => image === imageRef || imageRef.endsWith(image),
  );
}

/** syncing: wait until ArgoCD applied the digest, or report why the sync failed. */
export async function syncingStage(ctx: StageContext): Promise<StageResult> {
  const { release, progress } = ctx.claimed;
  const argocd = ctx.clients.forEntity('argocd', ctx.entity);
  const app = await argocd.getApplication(release.argocdApplication!);
  const op = app.status?.operationState;
  const requested = Date.parse(progress.syncRequestedAt ?? '') || 0;
  const opStarted = Date.parse(op?.startedAt ?? '') || 0;
  // An operation that started before the request (minus clock skew) is not ours.
  const ours = opStarted >= requested - 5_000;
  if (ours && (op?.phase === 'Failed' || op?.phase === 'Error')) {
    return {
      to: 'failed',
      message: `ArgoCD could not sync ${app.metadata.name}: ${
        op.message ?? op.phase
      }`,
    };
  }
  const synced =
    app.status?.sync?.status === 'Synced' && op?.phase !== 'Running';
  if (synced && runs(app, release.imageRef!)) {
    return {
      to: 'progressing',
      message: `ArgoCD synced ${app.metadata.name}${
        app.status?.sync?.revision ? ` at ${app.status.sync.revision}` : ''
      }; rolling out`,
      continue: true,
    };
  }
  if (!op || (!ours && op.phase !== 'Running')) {
    // Nothing is applying our change (a sync refused while another ran): ask again.
    const since = ctx.now().getTime() - requested;
    if (since > 10_000) {
      const refusal = ctx.bindings.applicationRefusal(ctx.entity, app);
      if (refusal) return { to: 'failed', message: refusal };
      try {
        await argocd.sync(app.metadata.name, { prune: true });
      } catch (e) {
        if (!isOperationInProgress(e)) throw e;
      }
      return {
        progress: { syncRequestedAt: ctx.now().toISOString() },
        note: `Asked ArgoCD to sync ${app.metadata.name} again`,
        nextCheckInMs: ctx.settings.pollIntervalMs,
      };
    }
  }
  return (
    timedOut(
      ctx,
      ctx.settings.syncTimeoutMs,
      `ArgoCD did not sync ${app.metadata.name}`,
    ) ?? {
      nextCheckInMs: Math.min(2_000, ctx.settings.pollIntervalMs),
    }
  );
}

/**
 * progressing: healthy when ArgoCD says so, every replica runs the release's digest and the
 * environment's health gates passed over their window after that. An application whose chart
 * renders an Argo Rollouts Rollout is followed through its steps instead (rolloutStage).
 */
export async function progressingStage(
  ctx: StageContext,
): Promise<StageResult> {
  const { release } = ctx.claimed;
  const argocd = ctx.clients.forEntity('argocd', ctx.entity);
  const app = await argocd.getApplication(release.argocdApplication!);
  const health = app.status?.health?.status;
  const digest = splitImageRef(release.imageRef!)!.digest;
  if (health === 'Degraded') {
    return {
      to: 'degraded',
      message: `${app.metadata.name} is Degraded after the rollout: ${
        app.status?.health?.message ?? 'ArgoCD gave no reason'
      }`,
    };
  }
  // A chart that renders an Argo Rollouts Rollout has no Deployment: follow the Rollout.
  const rolloutTarget = rolloutOf(app);
  if (rolloutTarget) return rolloutStage(ctx, app, rolloutTarget, digest);
  const { namespace, name } = workloadOf(app);
  const where = { namespace, application: app.metadata.name };
  // The rollout finished and the gates' window runs: only they (and ArgoCD's Degraded) decide.
  if (await ctx.gates?.started(release.id)) return gateStage(ctx, where);
  const kubernetes = ctx.clients.forEntity('kubernetes', ctx.entity);
  const rollout = await kubernetes.getRolloutStatus(namespace, name);
  const onDigest =
    rollout.liveImageDigests.includes(digest) &&
    rollout.images.some(image => image.endsWith(digest));
  if (health === 'Healthy' && rollout.complete && onDigest) {
    return gateStage(
      ctx,
      where,
      `${rollout.readyReplicas}/${rollout.desiredReplicas} replicas of ${namespace}/${name} ready on ${digest}`,
    );
  }
  if (rollout.failed) {
    return {
      to: 'failed',
      message: `The rollout of ${namespace}/${name} failed: ${
        rollout.message ?? 'progress deadline exceeded'
      }`,
    };
  }
  return (
    timedOut(
      ctx,
      ctx.settings.rolloutTimeoutMs,
      `${namespace}/${name} did not become healthy (${rollout.readyReplicas}/${
        rollout.desiredReplicas
      } ready, ArgoCD ${health ?? 'unknown'})`,
    ) ?? { nextCheckInMs: Math.min(2_000, ctx.settings.pollIntervalMs) }
  );
}
