import {
  AUTONOMOUS_ANNOTATIONS,
  COMMUNITY_ANNOTATIONS,
  DEFAULT_BRANCH,
  DEFAULT_ENVIRONMENT,
  Environment,
  isProjectKind,
  Project,
  Repository,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

export type ProjectFromEntity =
  | { ok: true; project: Project }
  | { ok: false; reason: string };

/**
 * The one environment name rule (a DNS label of at most 63 characters), for annotations,
 * request bodies and paths alike.
 */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(v => v.trim())
    .filter(Boolean);
}

function repositoryOf(entity: Entity): Repository | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const github = annotations[COMMUNITY_ANNOTATIONS.githubProjectSlug];
  if (github) return { provider: 'github', slug: github };
  const gitlab = annotations[COMMUNITY_ANNOTATIONS.gitlabProjectSlug];
  if (gitlab) return { provider: 'gitlab', slug: gitlab };
  return undefined;
}

/**
 * A service's folder in its repository, as `autonomous.dev/source-path` names it: `services/api`,
 * `./services/api/`, `services/api/**` all mean the folder `services/api`.
 */
export function normalizeSourcePath(value: string): string | undefined {
  const path = value
    .trim()
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '')
    .replace(/(\/\*\*?)+$/, '')
    .replace(/\/+$/, '');
  const segments = path.split('/');
  if (
    !path ||
    path.length > 1024 ||
    segments.some(s => !s || s === '.' || s === '..' || /[*?[\]]/.test(s))
  ) {
    return undefined;
  }
  return path;
}

/** A Kubernetes namespace name derived from the entity and environment (RFC 1123 label). */
export function defaultNamespace(entityName: string, environment: string) {
  const base = `${entityName}-${environment}`
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return base.slice(0, 63).replace(/-+$/, '');
}

/** `argocd/app-name` serves production (or the only environment); others get a suffix. */
export function argocdApplicationFor(
  appName: string | undefined,
  environment: string,
  environmentCount: number,
): string | undefined {
  if (!appName) return undefined;
  if (environment === DEFAULT_ENVIRONMENT || environmentCount <= 1) {
    return appName;
  }
  return `${appName}-${environment}`.slice(0, 253);
}

/**
 * Reads a project from its entity's annotations: what a platform team declares in
 * catalog-info.yaml. Settings changed in the portal are layered on top by the caller.
 */
export function projectFromEntity(entity: Entity): ProjectFromEntity {
  const ref = stringifyEntityRef(entity);
  const annotations = entity.metadata.annotations ?? {};
  const kind = annotations[AUTONOMOUS_ANNOTATIONS.project];
  if (kind === undefined) {
    return {
      ok: false,
      reason: `${ref} is not an Autonomous project: add the annotation ${AUTONOMOUS_ANNOTATIONS.project} with the value monolith or microservice to its catalog-info.yaml`,
    };
  }
  if (!isProjectKind(kind)) {
    return {
      ok: false,
      reason: `${ref} has ${AUTONOMOUS_ANNOTATIONS.project}: "${kind}", which is not a project kind: use monolith or microservice`,
    };
  }
  const names = list(annotations[AUTONOMOUS_ANNOTATIONS.environments]);
  const invalid = names.filter(
    n => n.length > 63 || !ENVIRONMENT_NAME_PATTERN.test(n),
  );
  if (invalid.length) {
    return {
      ok: false,
      reason: `${ref} has ${AUTONOMOUS_ANNOTATIONS.environments} with ${invalid
        .map(n => JSON.stringify(n))
        .join(
          ', ',
        )}, which is not an environment name: use lowercase letters, digits and -, at most 63 characters`,
    };
  }
  const declaredPath = annotations[AUTONOMOUS_ANNOTATIONS.sourcePath];
  const sourcePath =
    declaredPath === undefined ? undefined : normalizeSourcePath(declaredPath);
  if (declaredPath !== undefined && !sourcePath) {
    return {
      ok: false,
      reason: `${ref} has ${
        AUTONOMOUS_ANNOTATIONS.sourcePath
      }: ${JSON.stringify(
        declaredPath,
      )}, which is not a folder of its repository: name the service's folder from the repository root, e.g. services/payments-api (no .., no wildcards inside it)`,
    };
  }
  const branch = annotations[AUTONOMOUS_ANNOTATIONS.branch] || DEFAULT_BRANCH;
  const autoDeploy = annotations[AUTONOMOUS_ANNOTATIONS.autoDeploy] === 'true';
  const domains = list(annotations[AUTONOMOUS_ANNOTATIONS.domains]);
  const appName = annotations[COMMUNITY_ANNOTATIONS.argocdAppName];
  const environments: Environment[] = (
    names.length ? names : [DEFAULT_ENVIRONMENT]
  ).map(name => ({
    name,
    namespace: defaultNamespace(entity.metadata.name, name),
    branch,
    autoDeploy,
    // Declared domains belong to production (or the only environment).
    domains: name === DEFAULT_ENVIRONMENT || names.length <= 1 ? domains : [],
    argocdApplication: argocdApplicationFor(appName, name, names.length),
  }));
  const system =
    typeof entity.spec?.system === 'string'
      ? stringifyEntityRef(
          parseEntityRef(entity.spec.system, {
            defaultKind: 'system',
            defaultNamespace: entity.metadata.namespace ?? 'default',
          }),
        )
      : undefined;
  return {
    ok: true,
    project: {
      entityRef: ref,
      kind,
      title: entity.metadata.title,
      owner:
        typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined,
      repository: repositoryOf(entity),
      autoDeploy,
      autoRollback: annotations[AUTONOMOUS_ANNOTATIONS.autoRollback] === 'true',
      environments,
      upstreams: {
        argocdAppName: annotations[COMMUNITY_ANNOTATIONS.argocdAppName],
        jenkinsJobFullName:
          annotations[COMMUNITY_ANNOTATIONS.jenkinsJobFullName],
        harborRepositorySlug:
          annotations[COMMUNITY_ANNOTATIONS.harborRepositorySlug],
        vaultSecretsPath: annotations[COMMUNITY_ANNOTATIONS.vaultSecretsPath],
        kubernetesId: annotations[COMMUNITY_ANNOTATIONS.kubernetesId],
      },
      system,
      sourcePath,
    },
  };
}
