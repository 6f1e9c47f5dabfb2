import { GateOutcome } from '../gates/ReleaseGates';
import { StageContext, StageResult } from './types';

/**
 * progressing, once the rollout is complete: the environment's health gates decide. Without
 * gates the release is healthy at once (`ready` is why); with them it stays progressing while
 * their window runs, turns healthy when all pass, and on a failed gate turns degraded (and is
 * rolled back) or failed, as the environment's auto-rollback switch says.
 */
export async function gateStage(
  ctx: StageContext,
  where: { namespace: string; application: string; canary?: string },
  ready?: string,
): Promise<StageResult> {
  const { release } = ctx.claimed;
  const outcome = ctx.gates
    ? await ctx.gates.evaluate(
        release,
        ctx.entity,
        where,
        undefined,
        ctx.assertLease,
      )
    : ({ kind: 'none' } as const);
  switch (outcome.kind) {
    case 'none':
      return { to: 'healthy', message: ready ?? 'The rollout is complete' };
    case 'passed':
      return {
        to: 'healthy',
        message: `Every health gate passed: ${outcome.summary}`,
      };
    case 'pending':
      return {
        note: outcome.started
          ? `${ready ? `${ready}. ` : ''}${outcome.started}`
          : undefined,
        nextCheckInMs: outcome.nextCheckInMs,
        observed: `gates ${outcome.observed}`,
      };
    default:
      return gateFailure(ctx, outcome);
  }
}

/** A failed gate ends the release degraded (and rolled back) or failed, as its environment says. */
export function gateFailure(
  ctx: StageContext,
  outcome: Extract<GateOutcome, { kind: 'failed' }>,
): StageResult {
  const { release } = ctx.claimed;
  if (outcome.autoRollback) {
    return {
      to: 'degraded',
      message: outcome.reason,
      autoRollback: true,
      rollbackReason: `#${release.number} (${release.version}) failed health gate ${outcome.gate.name}`,
      notify: {
        title: `Release #${release.number} of ${ctx.entity.metadata.name} failed health gate ${outcome.gate.name} in ${release.environment}`,
        description: outcome.reason,
      },
    };
  }
  const message = `${outcome.reason}. Automatic rollback is off for ${release.environment}: roll back or deploy a fix by hand`;
  return {
    to: 'failed',
    message,
    notify: {
      title: `Release #${release.number} of ${ctx.entity.metadata.name} failed health gate ${outcome.gate.name} in ${release.environment}`,
      description: message,
    },
  };
}
