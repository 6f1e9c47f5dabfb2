/** @public */
export interface ArgoCdHelmParameter {
  name: string;
  value: string;
  forceString?: boolean;
}

/** What the suite sets on an ArgoCD Application. @public */
export interface ArgoCdApplicationSpecInput {
  name: string;
  /** ArgoCD project; default `default`. */
  project?: string;
  /** Namespace the Application object lives in on the ArgoCD side; default: server default. */
  appNamespace?: string;
  repoURL: string;
  /** A Helm chart name in a Helm repository, or `path` in a Git repository. */
  chart?: string;
  path?: string;
  targetRevision: string;
  helmParameters?: ArgoCdHelmParameter[];
  helmValues?: string;
  releaseName?: string;
  destinationServer?: string;
  destinationName?: string;
  destinationNamespace: string;
  automatedSync?: boolean | { prune?: boolean; selfHeal?: boolean };
  labels?: Record<string, string>;
}

/** The part of an ArgoCD Application the suite reads. @public */
export interface ArgoCdApplication {
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
  };
  spec: {
    project?: string;
    source?: {
      repoURL?: string;
      chart?: string;
      path?: string;
      targetRevision?: string;
      helm?: {
        parameters?: ArgoCdHelmParameter[];
        values?: string;
        releaseName?: string;
      };
    };
    destination?: { server?: string; name?: string; namespace?: string };
    syncPolicy?: {
      automated?: { prune?: boolean; selfHeal?: boolean } | null;
      syncOptions?: string[];
    };
    [key: string]: unknown;
  };
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
    operationState?: {
      phase?: string;
      message?: string;
      startedAt?: string;
      finishedAt?: string;
      syncResult?: { revision?: string };
    };
    history?: Array<{
      id: number;
      revision?: string;
      deployedAt?: string;
      deployStartedAt?: string;
    }>;
    summary?: { images?: string[]; externalURLs?: string[] };
    reconciledAt?: string;
    [key: string]: unknown;
  };
}

/** @public */
export interface ArgoCdResourceNode {
  group?: string;
  version?: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  parentRefs?: Array<{ kind: string; name: string; namespace?: string }>;
  health?: { status?: string; message?: string };
  images?: string[];
}

/** @public */
export interface ArgoCdResourceTree {
  nodes?: ArgoCdResourceNode[];
}

/**
 * One resource of `GET /api/v1/applications/{name}/managed-resources`: ArgoCD's comparison of
 * the live object with the one rendered from Git. The states are JSON text; the deprecated
 * `diff` is not read (ArgoCD's own UI compares the normalized live and predicted states).
 *
 * @public
 */
export interface ArgoCdManagedResource {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  hook?: boolean;
  modified?: boolean;
  liveState?: string;
  targetState?: string;
  normalizedLiveState?: string;
  predictedLiveState?: string;
  resourceVersion?: string;
}

/** @public */
export interface ArgoCdSyncOptions {
  prune?: boolean;
  revision?: string;
  dryRun?: boolean;
}
