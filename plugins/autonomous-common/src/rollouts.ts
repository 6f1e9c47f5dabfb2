/**
 * An environment's progressive delivery as the portal shows it: rolling (the default, a
 * Deployment), or an Argo Rollouts canary or blue/green whose steps are read live from the
 * Rollout resource.
 *
 * @public
 */
export interface EnvironmentRollout {
  environment: string;
  strategy: 'rolling' | 'canary' | 'blueGreen';
  /** The Rollout resource; absent for a rolling update. */
  rollout?: { namespace: string; name: string };
  /** Argo Rollouts' phase and its message (e.g. `CanaryPauseStep`, `RolloutAborted: …`). */
  phase?: 'Progressing' | 'Paused' | 'Healthy' | 'Degraded';
  message?: string;
  paused: boolean;
  aborted: boolean;
  /** The revision being rolled out differs from the stable one. */
  inProgress: boolean;
  stableRevision?: string;
  currentRevision?: string;
  /** Canary: the index of the current step; `steps.length` once every step is done. */
  currentStepIndex?: number;
  steps: RolloutStep[];
  /** Canary: the share of traffic (or replicas) on the canary and the stable version. */
  weights?: { canary: number; stable: number };
  blueGreen?: {
    activeService: string;
    previewService?: string;
    activeRevision?: string;
    previewRevision?: string;
    autoPromotionEnabled: boolean;
  };
  /** Whether promote and abort would do anything now, and if not, why. */
  promote: { possible: boolean; reason?: string };
  abort: { possible: boolean; reason?: string };
}

/** @public */
export interface RolloutStep {
  index: number;
  kind: 'setWeight' | 'pause' | 'analysis' | 'other';
  /** How `kubectl argo rollouts get` names it: `setWeight: 20`, `pause`, `pause: 30s`. */
  label: string;
  weight?: number;
  /** A pause's duration as written (`30s`, `5m`); absent for a pause until promoted. */
  duration?: string;
  analysis?: {
    templates: string[];
    run?: { name: string; status: string; message?: string };
  };
  state: 'done' | 'current' | 'pending';
}
