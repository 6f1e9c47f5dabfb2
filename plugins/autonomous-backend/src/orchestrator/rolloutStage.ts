import {
  ArgoCdApplication,
  ArgoRollout,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { GateOutcome } from '../gates/ReleaseGates';
import { RolloutPause } from '../gates/StepGateStore';
import { timedOut } from './buildStages';
import { gateFailure, gateStage } from './gateStage';
import { StageContext, StageResult } from './types';

type Target = { namespace: string; name: string };

/**
 * On a Rollout the release paused (`spec.paused`) so a timed canary pause waits for its health
 * gates: the id of that release. Only that release lifts the hold.
 */
export const GATE_HOLD_ANNOTATION = 'autonomous.dev/held-for-health-gates';

/** The label Argo Rollouts puts on the pods of each revision. */
const POD_HASH_LABEL = 'rollouts-pod-template-hash';

/** The weight in force at a canary step (Argo Rollouts' GetCurrentSetWeight). */
function weightAt(ro: ArgoRollout, index: number): number {
  const steps = ro.spec.strategy.canary?.steps ?? [];
  for (let i = Math.min(index, steps.length - 1); i >= 0; i--) {
    const weight = steps[i]?.setWeight;
    if (typeof weight === 'number') return weight;
  }
  return 0;
}

/** The pause the Rollout waits at, if any: its key, what it is, what it waits for. */
function pauseOf(
  ro: ArgoRollout,
):
  | { key: string; label: string; waitsFor: string; position: RolloutPause }
  | undefined {
  const status = ro.status ?? {};
  const reasons = (status.pauseConditions ?? []).map(c => c.reason);
  const canary = ro.spec.strategy.canary;
  const blueGreen = ro.spec.strategy.blueGreen;
  if (canary && reasons.includes('CanaryPauseStep')) {
    const steps = canary.steps ?? [];
    const index = status.currentStepIndex ?? 0;
    const duration = steps[index]?.pause?.duration;
    return {
      key: `canary-${index}`,
      label: `canary step ${index + 1} of ${
        steps.length
      } (pause at weight ${weightAt(ro, index)})`,
      waitsFor: duration
        ? `its pause of ${
            typeof duration === 'number' ? `${duration}s` : duration
          } to end, or a promote`
        : 'a promote',
      position: {
        kind: 'canary',
        index,
        count: steps.length,
        weight: weightAt(ro, index),
      },
    };
  }
  if (blueGreen && reasons.includes('BlueGreenPause')) {
    return {
      key: `preview-${status.currentPodHash ?? ''}`.slice(0, 32),
      label: `blue/green preview (revision ${
        status.currentPodHash ?? 'unknown'
      } behind ${blueGreen.previewService ?? 'the preview Service'}, ${
        blueGreen.activeService
      } still on ${status.blueGreen?.activeSelector ?? 'the old revision'})`,
      waitsFor: 'a promote to switch the active Service',
      position: { kind: 'preview', revision: status.currentPodHash },
    };
  }
  if (ro.spec.paused) {
    return {
      key: `paused-${status.currentStepIndex ?? 0}`,
      label: `a pause set by hand (spec.paused) at step ${
        (status.currentStepIndex ?? 0) + 1
      }`,
      waitsFor: 'someone to resume it',
      position: { kind: 'paused', index: status.currentStepIndex ?? 0 },
    };
  }
  return undefined;
}

function imagesOf(ro: ArgoRollout): string[] {
  const template = ro.spec.template as
    | { spec?: { containers?: Array<{ image?: string }> } }
    | undefined;
  return (template?.spec?.containers ?? [])
    .map(c => c.image ?? '')
    .filter(Boolean);
}

/** What the rollout card shows of a Rollout: its step, weight, pause, abort and phase. */
function rolloutState(ro: ArgoRollout | undefined): string {
  if (!ro) return 'rollout absent';
  const status = ro.status ?? {};
  const index = status.currentStepIndex ?? 0;
  return [
    `rollout ${status.currentPodHash ?? ''}`,
    `step ${index}`,
    `weight ${ro.spec.strategy.canary ? weightAt(ro, index) : '-'}`,
    `pause ${pauseOf(ro)?.key ?? '-'}`,
    `abort ${Boolean(status.abort)}`,
    `phase ${status.phase ?? '-'}`,
  ].join(' ');
}

/**
 * progressing, for an application whose chart renders an Argo Rollouts Rollout: follows it step
 * by step. A pause is waited at, not timed out; with health gates each pause is judged by them
 * and promoted when they pass or aborted when one fails. Healthy once the Rollout is Healthy
 * with the release's revision stable and its pods on the digest, and the gates passed after it.
 * What the Rollout and its gates look like goes with every result (`observed`): the page hears
 * of each step, weight, pause, abort, phase and gate sample once, not of every poll.
 */
export async function rolloutStage(
  ctx: StageContext,
  app: ArgoCdApplication,
  target: Target,
  digest: string,
): Promise<StageResult> {
  const ro = await ctx.clients
    .forEntity('kubernetes', ctx.entity)
    .rollouts.getRollout(target.namespace, target.name);
  const result = await followRollout(ctx, app, target, digest, ro);
  return {
    ...result,
    observed: [rolloutState(ro), result.observed].filter(Boolean).join(' | '),
  };
}

async function followRollout(
  ctx: StageContext,
  app: ArgoCdApplication,
  target: Target,
  digest: string,
  ro: ArgoRollout | undefined,
): Promise<StageResult> {
  const { release } = ctx.claimed;
  const what = `rollout ${target.name} in ${target.namespace}`;
  const where = {
    namespace: target.namespace,
    application: app.metadata.name,
  };
  const kubernetes = ctx.clients.forEntity('kubernetes', ctx.entity);
  /** The Rollout as this turn last saw or wrote it. */
  let latest = ro;
  const poll = Math.min(2_000, ctx.settings.pollIntervalMs);
  const hash = ro?.status?.currentPodHash ?? '';
  // The rollout finished and the gates' window after it runs: only they (and Degraded) decide.
  if (ro && (await ctx.gates?.started(release.id))) {
    return gateStage(ctx, { ...where, canary: hash });
  }
  // A gate failed at a pause and the Rollout was aborted: the same outcome, whatever crashed.
  const failedAt = await ctx.gates?.steps.failedAtAnyStep(release.id);
  if (failedAt) {
    await kubernetes.rollouts.abort(target.namespace, target.name);
    await liftHold();
    return gateFailure(ctx, stepFailure(failedAt.check, failedAt.step.label));
  }
  if (!ro || !imagesOf(ro).some(image => image.endsWith(digest))) {
    return (
      timedOut(
        ctx,
        ctx.settings.rolloutTimeoutMs,
        `${what} was not updated to ${digest}`,
      ) ?? { nextCheckInMs: poll }
    );
  }
  const status = ro.status ?? {};
  if (status.abort || status.phase === 'Degraded') {
    await liftHold();
    return {
      to: 'degraded',
      message: `${what} is ${status.abort ? 'aborted' : 'Degraded'}: ${
        status.message ?? 'Argo Rollouts gave no reason'
      }`,
    };
  }
  if (status.phase === 'Healthy' && hash && status.stableRS === hash) {
    const pods = await kubernetes.listPods(
      target.namespace,
      `${POD_HASH_LABEL}=${hash}`,
    );
    const onDigest = pods.filter(
      pod =>
        !pod.metadata?.deletionTimestamp &&
        (pod.spec?.containers ?? []).some(c => c.image?.endsWith(digest)) &&
        (pod.status?.conditions ?? []).some(
          c => c.type === 'Ready' && c.status === 'True',
        ),
    );
    const desired = ro.spec.replicas ?? 1;
    if (onDigest.length >= desired) {
      return gateStage(
        ctx,
        { ...where, canary: hash },
        `${what} is Healthy: revision ${hash} is stable, ${onDigest.length}/${desired} pods ready on ${digest}`,
      );
    }
    return { nextCheckInMs: poll };
  }
  const pause = pauseOf(ro);
  if (!pause) return { nextCheckInMs: poll };
  const reached = ctx.gates
    ? await ctx.gates.steps.reach(
        release.id,
        pause.key,
        pause.label,
        pause.position,
      )
    : false;
  const gated = ctx.gates ? await ctx.gates.configured(release) : false;
  if (!ctx.gates || !gated || pause.key.startsWith('paused-')) {
    return {
      note: reached
        ? `${what} waits at ${pause.label} for ${pause.waitsFor}`
        : undefined,
      nextCheckInMs: poll,
    };
  }
  const record = await ctx.gates.steps.stepOf(release.id, pause.key);
  if (record?.action === 'promoted') {
    // Promoted: the controller has not moved on yet.
    return {
      nextCheckInMs: poll,
      observed: `gates at ${pause.key} passed`,
    };
  }
  const held = await holdTimedPause(pause);
  const outcome: GateOutcome = await ctx.gates.evaluate(
    release,
    ctx.entity,
    { ...where, canary: hash },
    pause.key,
    ctx.assertLease,
  );
  switch (outcome.kind) {
    case 'none':
      return { note: held, nextCheckInMs: poll };
    case 'pending':
      return {
        note:
          [
            held,
            outcome.started &&
              `${what} waits at ${pause.label}; health gates judge it before it is promoted. ${outcome.started}`,
          ]
            .filter(Boolean)
            .join(' ') || undefined,
        nextCheckInMs: Math.min(outcome.nextCheckInMs, poll),
        observed: `gates at ${pause.key} ${outcome.observed}`,
      };
    case 'passed': {
      await ctx.assertLease();
      await ctx.gates.steps.act(release.id, pause.key, 'promoted');
      await kubernetes.rollouts.promote(target.namespace, target.name);
      return {
        note: `Every health gate passed at ${pause.label}: ${outcome.summary}. Release #${release.number} promoted ${what}`,
        nextCheckInMs: poll,
        observed: `gates at ${pause.key} passed`,
      };
    }
    default: {
      await ctx.assertLease();
      await ctx.gates.steps.act(release.id, pause.key, 'aborted');
      await kubernetes.rollouts.abort(target.namespace, target.name);
      await liftHold();
      return gateFailure(ctx, stepFailure(outcome.gate, pause.label));
    }
  }

  /**
   * A timed canary pause ends on its own, maybe before the gates have judged the step: the
   * release pauses the Rollout (`spec.paused`, as `kubectl argo rollouts pause`), which stops
   * the controller from completing the step; the promote after the gates pass lifts it.
   */
  async function holdTimedPause(
    at: NonNullable<ReturnType<typeof pauseOf>>,
  ): Promise<string | undefined> {
    if (!ro || ro.spec.paused || at.position.kind !== 'canary') {
      return undefined;
    }
    const duration =
      ro.spec.strategy.canary?.steps?.[at.position.index ?? 0]?.pause?.duration;
    if (duration === undefined) return undefined;
    await ctx.assertLease();
    latest = await kubernetes.rollouts.setPaused(
      target.namespace,
      target.name,
      true,
      { [GATE_HOLD_ANNOTATION]: release.id },
    );
    return `Release #${release.number} held ${what} at ${
      at.label
    } (spec.paused): its pause of ${
      typeof duration === 'number' ? `${duration}s` : duration
    } would end before the health gates judge the step; the release promotes it once they pass.`;
  }

  /** Unpauses a Rollout this release held, once it was aborted: the next release must not stop. */
  async function liftHold() {
    if (
      latest?.spec.paused &&
      latest.metadata.annotations?.[GATE_HOLD_ANNOTATION] === release.id
    ) {
      await kubernetes.rollouts.setPaused(target.namespace, target.name, false);
    }
  }

  function stepFailure(
    check: Extract<GateOutcome, { kind: 'failed' }>['gate'],
    label: string,
  ): Extract<GateOutcome, { kind: 'failed' }> {
    return {
      kind: 'failed',
      gate: check,
      reason: `Health gate ${check.name} failed at ${label}: ${
        check.reason
      }. Release #${
        release.number
      } aborted ${what}: traffic goes back to the stable revision ${
        ro?.status?.stableRS ?? ''
      }`.trim(),
      autoRollback: check.autoRollback,
    };
  }
}
