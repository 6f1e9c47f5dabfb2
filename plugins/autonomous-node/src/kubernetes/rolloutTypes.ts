/**
 * An Argo Rollouts `Rollout` (`argoproj.io/v1alpha1`), as far as the portal reads it: the
 * strategy with its canary steps or blue/green Services, and the status the controller writes.
 * Field names and types follow the CRD's OpenAPI schema (argo-rollouts v1.9.1).
 *
 * @public
 */
export interface ArgoRollout {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    generation?: number;
    resourceVersion?: string;
    annotations?: Record<string, string>;
  };
  spec: {
    replicas?: number;
    paused?: boolean;
    strategy: {
      canary?: {
        canaryService?: string;
        stableService?: string;
        trafficRouting?: Record<string, unknown>;
        steps?: ArgoRolloutCanaryStep[];
      };
      blueGreen?: {
        activeService: string;
        previewService?: string;
        autoPromotionEnabled?: boolean;
        autoPromotionSeconds?: number;
      };
    };
    template?: unknown;
  };
  status?: {
    phase?: 'Progressing' | 'Paused' | 'Healthy' | 'Degraded';
    message?: string;
    currentStepIndex?: number;
    currentPodHash?: string;
    stableRS?: string;
    observedGeneration?: string;
    pauseConditions?: Array<{ reason: string; startTime: string }>;
    controllerPause?: boolean;
    abort?: boolean;
    abortedAt?: string;
    promoteFull?: boolean;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    canary?: {
      currentStepAnalysisRunStatus?: {
        name: string;
        status: string;
        message?: string;
      };
      weights?: {
        canary: ArgoRolloutWeight;
        stable: ArgoRolloutWeight;
      };
    };
    blueGreen?: { activeSelector?: string; previewSelector?: string };
    conditions?: Array<{
      type: string;
      status: string;
      reason: string;
      message: string;
      lastTransitionTime: string;
      lastUpdateTime: string;
    }>;
  };
}

/** @public */
export interface ArgoRolloutWeight {
  weight: number;
  podTemplateHash?: string;
  serviceName?: string;
}

/** One canary step; the portal shows setWeight, pause and analysis, and names the others. @public */
export interface ArgoRolloutCanaryStep {
  setWeight?: number;
  pause?: { duration?: string | number };
  analysis?: { templates?: Array<{ templateName?: string }> };
  [other: string]: unknown;
}
