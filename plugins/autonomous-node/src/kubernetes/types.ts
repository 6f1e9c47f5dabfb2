/** Where a Deployment's rollout is, from its status and its pods. @public */
export interface KubernetesRolloutStatus {
  name: string;
  namespace: string;
  generation?: number;
  observedGeneration?: number;
  desiredReplicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  /** True when the controller has seen the latest spec and every replica is updated and available. */
  complete: boolean;
  /** True when the Progressing condition says the deadline was exceeded. */
  failed: boolean;
  message?: string;
  /** Images in the pod template. */
  images: string[];
  /** `sha256:…` digests the running containers actually use, from their status. */
  liveImageDigests: string[];
}

/** @public */
export interface KubernetesWorkloadStatus {
  kind: 'StatefulSet';
  name: string;
  namespace: string;
  desiredReplicas: number;
  readyReplicas: number;
  currentRevision?: string;
  updateRevision?: string;
  ready: boolean;
}

/** @public */
export interface KubernetesJobStatus {
  name: string;
  namespace: string;
  active: number;
  succeeded: number;
  failed: number;
  phase: 'running' | 'succeeded' | 'failed';
  startTime?: string;
  completionTime?: string;
  message?: string;
}

/** @public */
export interface KubernetesPodLogOptions {
  container?: string;
  /** Logs of the previous (crashed) container instance. */
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
}

/**
 * A cert-manager Certificate (`cert-manager.io/v1`), as far as the portal reads it: the names it
 * covers, the Secret it fills and its conditions (`Ready` says whether it is issued).
 *
 * @public
 */
export interface KubernetesCertificate {
  metadata: { name: string; namespace?: string };
  spec?: {
    secretName?: string;
    dnsNames?: string[];
    issuerRef?: { name: string; kind?: string; group?: string };
  };
  status?: {
    conditions?: Array<{
      type: string;
      status: 'True' | 'False' | 'Unknown';
      reason?: string;
      message?: string;
      lastTransitionTime?: string;
    }>;
    notAfter?: string;
    renewalTime?: string;
  };
}
