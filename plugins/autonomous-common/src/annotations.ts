/**
 * Entity annotations the suite reads. The community's own names come first so that a
 * project already set up for the ArgoCD, Jenkins, Harbor, Vault or Kubernetes plugins needs
 * nothing new; the suite's own live under `autonomous.dev/`.
 */

/** @public */
export const COMMUNITY_ANNOTATIONS = {
  argocdAppName: 'argocd/app-name',
  jenkinsJobFullName: 'jenkins.io/job-full-name',
  harborRepositorySlug: 'goharbor.io/repository-slug',
  vaultSecretsPath: 'vault.io/secrets-path',
  kubernetesId: 'backstage.io/kubernetes-id',
  githubProjectSlug: 'github.com/project-slug',
  gitlabProjectSlug: 'gitlab.com/project-slug',
} as const;

/** @public */
export const AUTONOMOUS_ANNOTATIONS = {
  /** Marks an entity as an Autonomous project; the value is its kind: `monolith` or `microservice`. */
  project: 'autonomous.dev/project',
  /** Comma-separated environment names, in promotion order. Default: `production`. */
  environments: 'autonomous.dev/environments',
  /** `true` when every push to the environment's branch becomes a release. */
  autoDeploy: 'autonomous.dev/auto-deploy',
  /** Comma-separated public host names served by the project. */
  domains: 'autonomous.dev/domains',
  /** `true` when a release that turns Degraded is rolled back to the last healthy one at once. */
  autoRollback: 'autonomous.dev/auto-rollback',
  /** The branch that auto-deploy follows. Default: `main`. */
  branch: 'autonomous.dev/branch',
  /**
   * On a service Component of a microservice System sharing one repository: the folder that
   * holds the service (`services/payments-api`). A push releases the service only when it
   * changed a file under this folder.
   */
  sourcePath: 'autonomous.dev/source-path',
  /** On a database Resource: the engine (see DATABASE_ENGINES). */
  databaseEngine: 'autonomous.dev/database-engine',
  /** Pick one configured instance of an upstream system: `autonomous.dev/<system>-instance`. */
  argocdInstance: 'autonomous.dev/argocd-instance',
  jenkinsInstance: 'autonomous.dev/jenkins-instance',
  harborInstance: 'autonomous.dev/harbor-instance',
  vaultInstance: 'autonomous.dev/vault-instance',
  kubernetesInstance: 'autonomous.dev/kubernetes-instance',
} as const;

/** The environment a project deploys to when it names none. @public */
export const DEFAULT_ENVIRONMENT = 'production';
/** The branch auto-deploy follows when the project names none. @public */
export const DEFAULT_BRANCH = 'main';
