import type { SandboxContext } from '../context.ts';
import { recordEvent } from '../kubernetes/events.ts';
import { podTemplateHash } from '../kubernetes/owners.ts';
import type { KubeStore } from '../kubernetes/store.ts';
import { clone, isoSeconds } from '../util.ts';
import { rolloutPhase } from './phase.ts';
import {
  HASH_LABEL,
  availableOf,
  ownedReplicaSets,
  refreshReplicaSetStatus,
  scaleReplicaSets,
  steerService,
} from './replicaSets.ts';
import {
  pauseDurationMs,
  setWeightAt,
  stepIndexOf,
  stepString,
  stepsOf,
} from './steps.ts';

const REVISION = 'rollout.argoproj.io/revision';

/**
 * The Argo Rollouts controller for the sandbox's cluster: a Rollout's pod template goes out
 * through ReplicaSets it owns, step by step for a canary (setWeight, pause with and without a
 * duration, analysis), through a preview then the active Service for blue/green. It honours what
 * `kubectl argo rollouts` writes: cleared `status.pauseConditions` (promote), a raised
 * `status.currentStepIndex`, `status.promoteFull` and `status.abort`.
 */
export class RolloutController {
  /**
   * Each Rollout's revision by uid: also written to its annotation, which an Argo CD sync in
   * the sandbox replaces with the chart's annotations.
   */
  private readonly revisions = new Map<string, number>();
  /** When each AnalysisRun started (the CRD's run status has no such field). */
  private readonly analysisStarted = new Map<string, number>();
  /** Why the controller aborted a Rollout itself (a failed analysis), by uid. */
  private readonly abortReasons = new Map<string, string>();

  private readonly ctx: SandboxContext;
  private readonly store: KubeStore;
  /** The replicaset controller: creates and deletes pods to match each ReplicaSet. */
  private readonly syncPods: (ns: string) => void;

  // No parameter properties: the sandbox also runs on Node's type stripping, which refuses them.
  constructor(
    ctx: SandboxContext,
    store: KubeStore,
    syncPods: (ns: string) => void,
  ) {
    this.ctx = ctx;
    this.store = store;
    this.syncPods = syncPods;
  }

  reconcile(ro: any) {
    this.step(ro);
  }

  advance() {
    for (const ro of this.store.list('rollouts')) this.step(ro);
  }

  private step(ro: any) {
    refreshReplicaSetStatus(this.store, ro);
    const before = JSON.stringify(ro.status ?? {});
    // Not the Deployment controller's hash: a chart switching between the two must not meet
    // a ReplicaSet of the other's name (Argo Rollouts hashes its own way too).
    const hash = podTemplateHash({ rollout: ro.spec.template });
    const status = clone(ro.status ?? {});
    if (status.currentPodHash !== hash) this.newRevision(ro, status, hash);
    // A few passes: a step that completes lets the next one start in the same reconcile, as
    // the controller's immediate requeue does.
    for (let pass = 0; pass < 4; pass++) {
      const wanted = ro.spec.strategy?.blueGreen
        ? this.blueGreen(ro, status, hash)
        : this.canary(ro, status, hash);
      const scaled = scaleReplicaSets(
        this.store,
        ro,
        hash,
        wanted,
        this.revisionOf(ro),
      );
      if (scaled) this.syncPods(ro.metadata.namespace);
      if (!scaled) break;
      refreshReplicaSetStatus(this.store, ro);
    }
    this.counts(ro, status, hash);
    this.conditions(ro, status);
    const { phase, message } = rolloutPhase(ro.spec, status);
    status.phase = phase;
    status.message = message;
    status.observedGeneration = String(ro.metadata.generation ?? 1);
    if (JSON.stringify(status) !== before) {
      ro.status = status;
      ro.metadata.resourceVersion = this.store.nextVersion();
    }
  }

  /** A new pod template: a new revision, its steps from the start (resetRolloutStatus). */
  private newRevision(ro: any, status: any, hash: string) {
    const revision = this.revisionOf(ro) + 1;
    this.revisions.set(ro.metadata.uid, revision);
    ro.metadata.annotations = {
      ...(ro.metadata.annotations ?? {}),
      [REVISION]: String(revision),
    };
    status.currentPodHash = hash;
    const steps = stepsOf(ro).length;
    // The first revision, and a return to the stable one, skip the steps.
    status.currentStepIndex =
      !status.stableRS || status.stableRS === hash ? steps : 0;
    if (!status.stableRS && !ro.spec.strategy?.blueGreen) {
      status.stableRS = hash;
    }
    delete status.pauseConditions;
    delete status.abort;
    delete status.abortedAt;
    delete status.promoteFull;
    status.controllerPause = false;
    if (status.canary) delete status.canary.currentStepAnalysisRunStatus;
    status.conditions = (status.conditions ?? []).filter(
      (c: any) => c.reason !== 'RolloutAborted',
    );
    if (ro.spec.strategy?.canary) {
      status.currentStepIndex = Math.min(status.currentStepIndex, steps);
    } else {
      delete status.currentStepIndex;
    }
  }

  private canary(ro: any, status: any, hash: string): Map<string, number> {
    const canary = ro.spec.strategy?.canary ?? {};
    const steps = stepsOf(ro);
    const replicas = ro.spec.replicas ?? 1;
    const now = this.ctx.now();
    if (status.promoteFull) {
      delete status.pauseConditions;
      delete status.abort;
      delete status.abortedAt;
      status.currentStepIndex = steps.length;
    }
    if (status.abort) {
      status.abortedAt = status.abortedAt ?? isoSeconds(now);
      delete status.pauseConditions;
      status.controllerPause = false;
      status.currentStepIndex = status.stableRS === hash ? steps.length : 0;
    } else if (!ro.spec.paused && status.stableRS !== hash) {
      this.canaryStep(ro, status, hash, now);
    }
    let index = stepIndexOf({ status });
    const promoted = status.stableRS === hash;
    if (!promoted && !status.abort && index >= steps.length) {
      // Every step done: the canary becomes stable once it has every replica (promoteStable).
      if (availableOf(this.store, ro, hash) >= replicas) {
        status.stableRS = hash;
        delete status.promoteFull;
        recordEvent(
          this.store,
          ro,
          'RolloutCompleted',
          `Rollout completed update to revision ${this.revisionOf(
            ro,
          )} (${hash}): Rollout is now stable`,
          'Normal',
          'rollouts-controller',
        );
      }
      index = steps.length;
    }
    const stable = status.stableRS as string;
    const weight =
      status.abort || stable === hash ? 0 : setWeightAt(steps, index);
    const canaryReplicas = Math.ceil((replicas * weight) / 100);
    const wanted = new Map<string, number>();
    if (stable === hash) {
      wanted.set(hash, replicas);
    } else {
      wanted.set(hash, canaryReplicas);
      wanted.set(
        stable,
        canary.trafficRouting ? replicas : replicas - canaryReplicas,
      );
    }
    if (canary.trafficRouting) {
      status.canary = {
        ...(status.canary ?? {}),
        weights: {
          canary: { weight, podTemplateHash: hash },
          stable: { weight: 100 - weight, podTemplateHash: stable },
        },
      };
    } else {
      status.canary = { ...(status.canary ?? {}) };
    }
    steerService(this.store, ro, canary.canaryService, hash);
    steerService(this.store, ro, canary.stableService, stable);
    return wanted;
  }

  /** Completes the current step when it is done (completedCurrentCanaryStep). */
  private canaryStep(ro: any, status: any, hash: string, now: number) {
    const steps = stepsOf(ro);
    const replicas = ro.spec.replicas ?? 1;
    for (let guard = 0; guard <= steps.length; guard++) {
      const index = stepIndexOf({ status });
      const step = steps[index];
      if (!step) return;
      let done = false;
      if (typeof step.setWeight === 'number') {
        const want = Math.ceil((replicas * step.setWeight) / 100);
        done = availableOf(this.store, ro, hash) >= want;
      } else if (step.pause) {
        const cond = (status.pauseConditions ?? []).find(
          (c: any) => c.reason === 'CanaryPauseStep',
        );
        const duration = pauseDurationMs(step.pause.duration);
        if (status.controllerPause && !cond) {
          done = true; // promoted: someone cleared the pause condition
        } else if (!cond) {
          status.pauseConditions = [
            ...(status.pauseConditions ?? []),
            { reason: 'CanaryPauseStep', startTime: isoSeconds(now) },
          ];
          status.controllerPause = true;
        } else if (
          duration !== undefined &&
          now >= Date.parse(cond.startTime) + duration
        ) {
          done = true;
        }
      } else if (step.analysis) {
        done = this.analysisStep(ro, status, hash, index, now);
      } else {
        done = true; // a step the sandbox does not model (experiment, setCanaryScale…)
      }
      if (!done) return;
      status.currentStepIndex = index + 1;
      if (status.canary) delete status.canary.currentStepAnalysisRunStatus;
      status.pauseConditions = (status.pauseConditions ?? []).filter(
        (c: any) => c.reason !== 'CanaryPauseStep',
      );
      if (!status.pauseConditions.length) delete status.pauseConditions;
      status.controllerPause = false;
      recordEvent(
        this.store,
        ro,
        'RolloutStepCompleted',
        `Rollout step ${index + 1}/${steps.length} completed (${stepString(
          step,
        )})`,
        'Normal',
        'rollouts-controller',
      );
    }
  }

  /**
   * An inline analysis step: an AnalysisRun named after the revision and step, Successful after
   * a Job's run time (the sandbox's analysis always passes; abort is how a test fails a step).
   */
  private analysisStep(
    ro: any,
    status: any,
    hash: string,
    index: number,
    now: number,
  ): boolean {
    const name = `${ro.metadata.name}-${hash}-${this.revisionOf(ro)}-${index}`;
    status.canary = status.canary ?? {};
    const run = status.canary.currentStepAnalysisRunStatus;
    if (!run || run.name !== name) {
      status.canary.currentStepAnalysisRunStatus = { name, status: 'Running' };
      this.analysisStarted.set(name, now);
      return false;
    }
    const started = this.analysisStarted.get(name) ?? now;
    if (now < started + this.ctx.timings.jobDurationMs) return false;
    // A template named always-fail fails its run, as Argo Rollouts' own example does: the
    // controller then aborts the rollout (reconcileStepBasedAnalysisRun).
    const templates: string[] = (
      stepsOf(ro)[index]?.analysis?.templates ?? []
    ).map((t: any) => t.templateName);
    if (templates.includes('always-fail')) {
      run.status = 'Failed';
      run.message =
        'Metric "always-fail" assessed Failed due to failed (1) > failureLimit (0)';
      status.abort = true;
      this.abortReasons.set(
        ro.metadata.uid,
        `Step-based analysis phase error/failed: ${run.message}`,
      );
      return false;
    }
    run.status = 'Successful';
    return true;
  }

  private blueGreen(ro: any, status: any, hash: string): Map<string, number> {
    const bg = ro.spec.strategy.blueGreen;
    const replicas = ro.spec.replicas ?? 1;
    const now = this.ctx.now();
    status.blueGreen = { ...(status.blueGreen ?? {}) };
    const ready = availableOf(this.store, ro, hash) >= replicas;
    const wanted = new Map<string, number>();
    if (!status.stableRS) {
      // The first revision goes straight to active.
      wanted.set(hash, replicas);
      if (ready) {
        status.stableRS = hash;
        status.blueGreen.activeSelector = hash;
      }
    } else if (status.stableRS !== hash) {
      wanted.set(status.stableRS, replicas);
      if (status.promoteFull) {
        delete status.pauseConditions;
        delete status.abort;
        delete status.abortedAt;
      }
      if (status.abort) {
        status.abortedAt = status.abortedAt ?? isoSeconds(now);
        delete status.pauseConditions;
        status.controllerPause = false;
        wanted.set(hash, 0);
      } else {
        wanted.set(hash, replicas);
        status.blueGreen.previewSelector = bg.previewService ? hash : undefined;
        if (
          ready &&
          !ro.spec.paused &&
          this.blueGreenPromotable(ro, status, now)
        ) {
          status.stableRS = hash;
          status.blueGreen.activeSelector = hash;
          delete status.pauseConditions;
          delete status.promoteFull;
          status.controllerPause = false;
          wanted.set(hash, replicas);
          recordEvent(
            this.store,
            ro,
            'SwitchService',
            `Switched selector for service '${bg.activeService}' to ${hash}`,
            'Normal',
            'rollouts-controller',
          );
        }
      }
    }
    if (status.stableRS === hash) {
      wanted.clear();
      wanted.set(hash, replicas);
      status.blueGreen.activeSelector = hash;
      if (bg.previewService) status.blueGreen.previewSelector = hash;
    }
    if (!status.blueGreen.previewSelector)
      delete status.blueGreen.previewSelector;
    steerService(
      this.store,
      ro,
      bg.activeService,
      status.blueGreen.activeSelector,
    );
    steerService(
      this.store,
      ro,
      bg.previewService,
      status.blueGreen.previewSelector,
    );
    return wanted;
  }

  /** The preview is ready: may the active Service switch (CompletedBlueGreenPause)? */
  private blueGreenPromotable(ro: any, status: any, now: number): boolean {
    const bg = ro.spec.strategy.blueGreen;
    if (status.promoteFull) return true;
    const cond = (status.pauseConditions ?? []).find(
      (c: any) => c.reason === 'BlueGreenPause',
    );
    const auto = bg.autoPromotionEnabled !== false;
    if (auto && !bg.autoPromotionSeconds) return true;
    // Promoted: someone cleared the pause condition the controller had set.
    if (!cond && status.controllerPause) return true;
    if (!cond) {
      status.pauseConditions = [
        ...(status.pauseConditions ?? []),
        { reason: 'BlueGreenPause', startTime: isoSeconds(now) },
      ];
      status.controllerPause = true;
      return false;
    }
    return (
      auto && now >= Date.parse(cond.startTime) + bg.autoPromotionSeconds * 1000
    );
  }

  private revisionOf(ro: any): number {
    return (
      this.revisions.get(ro.metadata.uid) ??
      Number(ro.metadata.annotations?.[REVISION] ?? 0)
    );
  }

  /** Replica counts and the selector (calculateBaseStatus). */
  private counts(ro: any, status: any, hash: string) {
    let total = 0;
    let ready = 0;
    let updated = 0;
    for (const rs of ownedReplicaSets(this.store, ro)) {
      total += rs.status?.replicas ?? 0;
      ready += rs.status?.readyReplicas ?? 0;
      if (rs.metadata.labels?.[HASH_LABEL] === hash) {
        updated += rs.status?.replicas ?? 0;
      }
    }
    status.replicas = total;
    status.updatedReplicas = updated;
    status.readyReplicas = ready;
    status.availableReplicas = ro.spec.strategy?.blueGreen
      ? availableOf(this.store, ro, status.blueGreen?.activeSelector)
      : ready;
    status.HPAReplicas = total;
    const labels = ro.spec.selector?.matchLabels ?? {};
    status.selector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }

  private progressing(
    ro: any,
    status: any,
  ): { reason: string; message: string; status: string } {
    if (status.abort) {
      const why = this.abortReasons.get(ro.metadata.uid);
      return {
        reason: 'RolloutAborted',
        message: `Rollout aborted update to revision ${this.revisionOf(ro)}${
          why ? `: ${why}` : ''
        }`,
        status: 'False',
      };
    }
    this.abortReasons.delete(ro.metadata.uid);
    if (status.pauseConditions?.length || ro.spec.paused) {
      return {
        reason: 'RolloutPaused',
        message: 'Rollout is paused',
        status: 'Unknown',
      };
    }
    if (status.stableRS === status.currentPodHash) {
      return {
        reason: 'NewReplicaSetAvailable',
        message: 'Rollout has completed rollout',
        status: 'True',
      };
    }
    return {
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${ro.metadata.name}-${status.currentPodHash}" is progressing.`,
      status: 'True',
    };
  }

  /** The Progressing condition, whose RolloutAborted reason makes the phase Degraded. */
  private conditions(ro: any, status: any) {
    const now = isoSeconds(this.ctx.now());
    const progressing = this.progressing(ro, status);
    const previous = (status.conditions ?? []).find(
      (c: any) => c.type === 'Progressing',
    );
    const same =
      previous &&
      previous.reason === progressing.reason &&
      previous.message === progressing.message;
    status.conditions = [
      ...(status.conditions ?? []).filter((c: any) => c.type !== 'Progressing'),
      same
        ? previous
        : {
            type: 'Progressing',
            ...progressing,
            lastUpdateTime: now,
            lastTransitionTime: now,
          },
    ];
  }
}
