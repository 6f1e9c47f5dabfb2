export type SandboxSpeed = 'realistic' | 'fast';

export type SystemName =
  | 'jenkins'
  | 'harbor'
  | 'argocd'
  | 'kubernetes'
  | 'vault'
  | 'prometheus'
  | 'loki';

export const SYSTEMS: SystemName[] = [
  'jenkins',
  'harbor',
  'argocd',
  'kubernetes',
  'vault',
  'prometheus',
  'loki',
];

/** Every delay the sandbox simulates, in milliseconds. */
export interface Timings {
  /** Time a triggered build waits in the Jenkins queue before it starts. */
  queueDelayMs: number;
  /** Time a Jenkins build runs. */
  buildDurationMs: number;
  /** Time an Argo CD sync operation runs before the manifests are applied. */
  syncDurationMs: number;
  /** Delay before an automated sync starts after the application went OutOfSync. */
  autoSyncDelayMs: number;
  /** Time from a pod's creation to its container running. */
  podStartMs: number;
  /** Time from a container running to the pod being Ready. */
  podReadyMs: number;
  /** Interval between restarts of a crashing container. */
  crashIntervalMs: number;
  /** Time a Kubernetes Job's pod runs. */
  jobDurationMs: number;
  /** Interval between the request lines an application pod logs while it runs. */
  logIntervalMs: number;
}

export const REALISTIC_TIMINGS: Timings = {
  queueDelayMs: 1500,
  buildDurationMs: 8000,
  syncDurationMs: 1500,
  autoSyncDelayMs: 1000,
  podStartMs: 1500,
  podReadyMs: 2500,
  crashIntervalMs: 5000,
  jobDurationMs: 4000,
  logIntervalMs: 2000,
};

export const FAST_TIMINGS: Timings = {
  queueDelayMs: 60,
  buildDurationMs: 400,
  syncDurationMs: 80,
  autoSyncDelayMs: 30,
  podStartMs: 50,
  podReadyMs: 100,
  crashIntervalMs: 150,
  jobDurationMs: 250,
  logIntervalMs: 50,
};

export interface Credentials {
  /** Jenkins users and their API tokens (HTTP basic). */
  jenkins: Record<string, string>;
  /** Harbor users and passwords (HTTP basic); robot accounts are added as they are created. */
  harbor: Record<string, string>;
  /** Argo CD: accepted bearer tokens, and the local users `POST /api/v1/session` accepts. */
  argocdTokens: string[];
  argocdUsers: Record<string, string>;
  /** Kubernetes: accepted bearer tokens. */
  kubernetesTokens: string[];
  /** Vault: tokens valid from the start, and the roles `auth/kubernetes/login` accepts. */
  vaultTokens: string[];
  vaultKubernetesRoles: string[];
}

export function defaultCredentials(): Credentials {
  return {
    jenkins: { autonomous: 'sandbox' },
    harbor: { admin: 'sandbox' },
    argocdTokens: ['sandbox'],
    argocdUsers: { admin: 'sandbox' },
    kubernetesTokens: ['sandbox'],
    vaultTokens: ['sandbox'],
    vaultKubernetesRoles: ['autonomous'],
  };
}

export interface Fault {
  errorRate: number;
  status: number;
  latencyMs: number;
  down: boolean;
}

export interface BuildDefaults {
  durationMs?: number;
  fail: boolean;
}

/** What every system module shares: the clock, timings, credentials and cross-system hooks. */
export interface SandboxContext {
  now(): number;
  timings: Timings;
  credentials: Credentials;
  buildDefaults: BuildDefaults;
  /** Digests whose containers crash when they run. */
  badDigests: Set<string>;
  /**
   * Commits pushed through the webhook control, by SHA, with their messages: a build of one
   * reports the message that was pushed, as a real repository would.
   */
  pushedCommits: Map<string, string>;
}

export function timingsFor(speed: SandboxSpeed): Timings {
  return { ...(speed === 'fast' ? FAST_TIMINGS : REALISTIC_TIMINGS) };
}
