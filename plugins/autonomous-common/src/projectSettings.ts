/**
 * A project's settings per environment, as the Overview tab shows and changes them: auto-deploy
 * and its branch, custom domains with their TLS and DNS state, environment variables (secret
 * ones by name only), replicas and autoscaling.
 */

/** Environment variable names: what a shell and a Kubernetes container accept. @public */
export const ENVIRONMENT_VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Limits the settings routes enforce. @public */
export const PROJECT_SETTINGS_LIMITS = {
  domains: 20,
  variables: 100,
  variableNameLength: 128,
  /** Bytes of one plain value (a ConfigMap holds 1 MiB in all). */
  variableValueLength: 8192,
  maxReplicas: 100,
} as const;

/**
 * Whether a custom domain's certificate is issued: `ready` (cert-manager's Certificate is
 * Ready), `pending` (being issued, or not created yet), `failed` (cert-manager gave up), or
 * `unknown` (the cluster could not be read).
 * @public
 */
export type DomainTlsState = 'ready' | 'pending' | 'failed' | 'unknown';

/**
 * Whether the domain's DNS points at the environment's ingress: `ok`, `elsewhere` (it resolves
 * to other addresses), `unresolved` (no record), or `unknown` (the ingress has no address yet,
 * or the cluster could not be read).
 * @public
 */
export type DomainDnsState = 'ok' | 'elsewhere' | 'unresolved' | 'unknown';

/** One custom domain of an environment. @public */
export interface DomainStatus {
  host: string;
  tls: DomainTlsState;
  /** cert-manager's own words, or why the state is unknown. */
  tlsMessage?: string;
  dns: DomainDnsState;
  /** What to do about DNS, e.g. "point shop.example.com at 203.0.113.7". */
  dnsMessage?: string;
  /** Whether the environment's Ingress carries this host (the sync has happened). */
  inIngress: boolean;
}

/** An environment variable; a secret one never carries its value. @public */
export interface EnvironmentVariableSetting {
  name: string;
  secret: boolean;
  /** Plain variables only. */
  value?: string;
}

/** Replicas, and the HorizontalPodAutoscaler's bounds when autoscaling is on. @public */
export interface ScalingSettings {
  replicas: number;
  autoscaling?: {
    minReplicas: number;
    maxReplicas: number;
    targetCpuPercent: number;
  };
}

/** One environment's settings. @public */
export interface EnvironmentSettings {
  environment: string;
  branch: string;
  autoDeploy: boolean;
  argocdApplication?: string;
  domains: DomainStatus[];
  variables: EnvironmentVariableSetting[];
  /** Where the secret variables are kept, under the Vault instance's KV mount. */
  secretsVaultPath: string;
  /** Unset until someone sets it here: the chart's own default applies. */
  scaling?: ScalingSettings;
}

/** A change to a project's settings, shown on the project. @public */
export interface ProjectSettingsEvent {
  id: string;
  environment?: string;
  /** e.g. `settings.domains`. */
  action: string;
  message: string;
  actor: string;
  createdAt: string;
}

/** `GET /projects/:kind/:namespace/:name/settings`. @public */
export interface ProjectSettingsView {
  entityRef: string;
  environments: EnvironmentSettings[];
  /** The most recent changes, newest first. */
  events: ProjectSettingsEvent[];
}

/** What a settings change answers. @public */
export interface ProjectSettingsChange {
  message: string;
  environment: EnvironmentSettings;
}

/** `PUT …/environments/:env/auto-deploy`. @public */
export interface AutoDeployRequest {
  enabled: boolean;
  branch?: string;
}

/** `PUT …/environments/:env/domains`. @public */
export interface DomainsRequest {
  domains: string[];
}

/**
 * `PUT …/environments/:env/variables`: the whole list. A secret without a value keeps the one
 * Vault holds; a variable left out is removed.
 * @public
 */
export interface VariablesRequest {
  variables: Array<{ name: string; secret: boolean; value?: string }>;
}

/** `PUT …/environments/:env/scaling`. @public */
export type ScalingRequest = ScalingSettings;

/** Where an environment's secret variables are kept in Vault. @public */
export function environmentSecretsPath(
  entityRef: string,
  environment: string,
): string {
  const [kind, rest] = entityRef.toLowerCase().split(':');
  const [namespace, name] = rest.split('/');
  return `autonomous/environments/${kind}/${namespace}/${name}/${environment}`;
}
