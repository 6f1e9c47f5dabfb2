/** @public */
export const PROJECT_KINDS = ['monolith', 'microservice'] as const;
/** @public */
export type ProjectKind = (typeof PROJECT_KINDS)[number];

/** @public */
export function isProjectKind(value: unknown): value is ProjectKind {
  return PROJECT_KINDS.includes(value as ProjectKind);
}

/** Where the project's source lives. @public */
export interface Repository {
  provider: 'github' | 'gitlab';
  /** `owner/name` on the provider. */
  slug: string;
}

/** A target a release is deployed to: a namespace in a cluster with its own domains. @public */
export interface Environment {
  name: string;
  /** Kubernetes namespace the workload runs in. */
  namespace: string;
  /** Branch whose pushes become releases when auto-deploy is on. */
  branch: string;
  autoDeploy: boolean;
  domains: string[];
  /**
   * The ArgoCD application deploying this environment: the entity's `argocd/app-name` for
   * `production` or a project's only environment, `<app-name>-<environment>` for the others.
   */
  argocdApplication?: string;
}

/** The upstream objects a project is made of, as named by the entity's annotations. @public */
export interface ProjectUpstreams {
  argocdAppName?: string;
  jenkinsJobFullName?: string;
  harborRepositorySlug?: string;
  vaultSecretsPath?: string;
  kubernetesId?: string;
}

/** One deployable unit of a microservice project (a Component in the project's System). @public */
export interface Service {
  entityRef: string;
  name: string;
}

/** A catalog entity seen as something Autonomous deploys. @public */
export interface Project {
  entityRef: string;
  kind: ProjectKind;
  title?: string;
  owner?: string;
  repository?: Repository;
  /**
   * The project's auto-deploy switch: when on, a push to an environment's branch releases to
   * every environment that follows that branch with its own autoDeploy on.
   */
  autoDeploy: boolean;
  environments: Environment[];
  /** Roll a Degraded release back to the last healthy one automatically. */
  autoRollback?: boolean;
  upstreams: ProjectUpstreams;
  /** The System a microservice Component belongs to, when it names one. */
  system?: string;
  /** `autonomous.dev/source-path`: the repository folder whose changes release this service. */
  sourcePath?: string;
  createdAt?: string;
  updatedAt?: string;
}
