import type { Sandbox } from './sandbox.ts';

/**
 * A project the sandbox starts with, named as the catalog entity's annotations name it. The
 * sandbox makes what a platform team would have made for it: the Jenkins job, the Harbor
 * project and one Argo CD application per environment, running an initial image.
 */
export interface SeedProject {
  /** The entity's name: namespaces are `<name>-<environment>`. */
  name: string;
  /** `jenkins.io/job-full-name`, e.g. `shop/storefront` (folders are made too). */
  jenkinsJob: string;
  /** `goharbor.io/repository-slug`, `project/repository`. */
  harborRepository: string;
  /** `argocd/app-name`. */
  argocdApplication: string;
  /** `autonomous.dev/environments`; default `["production"]`. */
  environments?: string[];
  /** `autonomous.dev/domains`: Ingress hosts of `production`. */
  domains?: string[];
  /** `autonomous.dev/auto-deploy: 'true'`: the applications sync by themselves. */
  autoDeploy?: boolean;
  /** `backstage.io/kubernetes-id`, labelled on every object; default `name`. */
  kubernetesId?: string;
  /**
   * The entity the seeded job and applications claim (`autonomous.dev/entity-ref`), e.g.
   * `component:default/storefront`; default `component:default/<name>`.
   */
  entityRef?: string;
}

export interface SandboxSeed {
  projects: SeedProject[];
}

/** The string parameters every seeded job declares: what the release orchestrator sends. */
export const SEED_JOB_PARAMETERS = [
  'GIT_COMMIT',
  'GIT_BRANCH',
  'IMAGE_REPOSITORY',
  'IMAGE_TAG',
  'AUTONOMOUS_RELEASE_ID',
];

/** The tag of the image each seeded project starts with. */
export const SEED_IMAGE_TAG = 'initial';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENTITY_REF =
  /^[a-z][a-z0-9-]*:[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/;

/** The entity a seeded project's job and applications claim. */
export function seedEntityRef(project: SeedProject): string {
  return project.entityRef ?? `component:default/${project.name}`;
}

/** Checks a seed read from JSON; the error names the field and what it must be. */
export function parseSeed(input: unknown): SandboxSeed {
  const fail = (message: string): never => {
    throw new Error(`sandbox seed: ${message}`);
  };
  const projects = (input as { projects?: unknown })?.projects;
  if (!Array.isArray(projects)) {
    fail('expected an object { "projects": [ … ] }');
  }
  const seen = new Set<string>();
  return {
    projects: (projects as unknown[]).map((raw, i) => {
      const p = (raw ?? {}) as Record<string, unknown>;
      const at = `projects[${i}]`;
      const text = (key: string, pattern: RegExp, what: string) => {
        const value = p[key];
        if (typeof value !== 'string' || !pattern.test(value)) {
          fail(`${at}.${key} must be ${what}; got ${JSON.stringify(value)}`);
        }
        return value as string;
      };
      const list = (key: string, pattern: RegExp, what: string) => {
        const value = p[key];
        if (value === undefined) return undefined;
        if (
          !Array.isArray(value) ||
          value.some(v => typeof v !== 'string' || !pattern.test(v))
        ) {
          fail(
            `${at}.${key} must be a list of ${what}; got ${JSON.stringify(
              value,
            )}`,
          );
        }
        return value as string[];
      };
      const project: SeedProject = {
        name: text('name', NAME, 'a lowercase entity name'),
        jenkinsJob: text(
          'jenkinsJob',
          /^[^/\s]+(\/[^/\s]+)*$/,
          'a job full name such as shop/storefront',
        ),
        harborRepository: text(
          'harborRepository',
          /^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._/-]*$/,
          'project/repository',
        ),
        argocdApplication: text(
          'argocdApplication',
          NAME,
          'an Argo CD application name',
        ),
        environments: list('environments', NAME, 'lowercase environment names'),
        domains: list('domains', /^[a-z0-9.-]+$/, 'host names'),
        autoDeploy:
          p.autoDeploy === undefined ? undefined : p.autoDeploy === true,
        kubernetesId:
          p.kubernetesId === undefined
            ? undefined
            : text('kubernetesId', NAME, 'a kubernetes id'),
        entityRef:
          p.entityRef === undefined
            ? undefined
            : text(
                'entityRef',
                ENTITY_REF,
                'a lowercase entity ref such as component:default/storefront',
              ),
      };
      if (p.autoDeploy !== undefined && typeof p.autoDeploy !== 'boolean') {
        fail(
          `${at}.autoDeploy must be true or false; got ${JSON.stringify(
            p.autoDeploy,
          )}`,
        );
      }
      if (seen.has(project.argocdApplication)) {
        fail(
          `${at}.argocdApplication "${project.argocdApplication}" is seeded twice`,
        );
      }
      seen.add(project.argocdApplication);
      return project;
    }),
  };
}

/** `<argocd/app-name>` for production or the only environment, else `<app-name>-<environment>`. */
export function seedApplicationName(
  project: SeedProject,
  environment: string,
): string {
  const environments = project.environments ?? ['production'];
  return environment === 'production' || environments.length === 1
    ? project.argocdApplication
    : `${project.argocdApplication}-${environment}`;
}

function pipelineConfig(entityRef: string): string {
  const parameters = SEED_JOB_PARAMETERS.map(
    name => `        <hudson.model.StringParameterDefinition>
          <name>${name}</name>
          <defaultValue></defaultValue>
          <trim>true</trim>
        </hudson.model.StringParameterDefinition>`,
  ).join('\n');
  return `<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job">
  <description>Builds, tests and pushes the image (seeded by the sandbox)
autonomous.dev/entity-ref: ${entityRef}</description>
  <properties>
    <hudson.model.ParametersDefinitionProperty>
      <parameterDefinitions>
${parameters}
      </parameterDefinitions>
    </hudson.model.ParametersDefinitionProperty>
  </properties>
</flow-definition>
`;
}

const FOLDER_CONFIG = `<?xml version='1.1' encoding='UTF-8'?>
<com.cloudbees.hudson.plugins.folder.Folder plugin="cloudbees-folder"><description/></com.cloudbees.hudson.plugins.folder.Folder>
`;

function seedJenkins(
  sandbox: Sandbox,
  fullName: string,
  entityRef: string,
): void {
  const segments = fullName.split('/');
  segments.forEach((_, i) => {
    const name = segments.slice(0, i + 1).join('/');
    if (sandbox.jenkins.jobs.has(name)) return;
    const folder = i < segments.length - 1;
    sandbox.jenkins.jobs.set(name, {
      fullName: name,
      folder,
      configXml: folder ? FOLDER_CONFIG : pipelineConfig(entityRef),
      nextBuildNumber: 1,
      builds: [],
    });
  });
}

function seedImage(sandbox: Sandbox, repository: string): string {
  const projectName = repository.slice(0, repository.indexOf('/'));
  if (!sandbox.harbor.projects.has(projectName)) {
    sandbox.harbor.createProject(projectName);
  }
  const pushed = sandbox.harbor.push(
    repository,
    SEED_IMAGE_TAG,
    'sandbox-seed',
  );
  if (!pushed.ok) throw new Error(`sandbox seed: ${pushed.message}`);
  return pushed.digest;
}

function applicationBody(
  project: SeedProject,
  environment: string,
  image: { repository: string; digest: string },
) {
  const hosts = environment === 'production' ? project.domains ?? [] : [];
  const entityRef = seedEntityRef(project);
  const [kind, rest] = [
    entityRef.slice(0, entityRef.indexOf(':')),
    entityRef.slice(entityRef.indexOf(':') + 1),
  ];
  return {
    metadata: {
      name: seedApplicationName(project, environment),
      namespace: 'argocd',
      labels: {
        'backstage.io/kubernetes-id': project.kubernetesId ?? project.name,
        // The claim of the entity, as the scaffolder actions put it on what they create.
        'autonomous.dev/entity-kind': kind,
        'autonomous.dev/entity-namespace': rest.slice(0, rest.indexOf('/')),
        'autonomous.dev/entity-name': rest.slice(rest.indexOf('/') + 1),
        'autonomous.dev/environment': environment,
      },
      annotations: { 'autonomous.dev/entity-ref': entityRef },
    },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://charts.example.invalid/autonomous',
        chart: 'web-service',
        targetRevision: '1.0.0',
        helm: {
          parameters: [
            { name: 'image.repository', value: image.repository },
            { name: 'image.digest', value: image.digest },
            ...hosts.map((host, i) => ({
              name: `ingress.hosts[${i}].host`,
              value: host,
            })),
          ],
        },
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: `${project.name}-${environment}`,
      },
      syncPolicy: {
        ...(project.autoDeploy
          ? { automated: { prune: true, selfHeal: true } }
          : {}),
        syncOptions: ['CreateNamespace=true'],
      },
    },
  };
}

/**
 * Applies a seed through the sandbox's own state: jobs, Harbor projects and an initial image,
 * applications synced to it. Delays are set to zero meanwhile, so every application is
 * Healthy and serves its digest when this returns.
 */
export function applySeed(sandbox: Sandbox, seed: SandboxSeed): void {
  const timings = { ...sandbox.ctx.timings };
  Object.assign(sandbox.ctx.timings, {
    syncDurationMs: 0,
    autoSyncDelayMs: 0,
    podStartMs: 0,
    podReadyMs: 0,
  });
  try {
    const names: string[] = [];
    for (const project of seed.projects) {
      seedJenkins(sandbox, project.jenkinsJob, seedEntityRef(project));
      const digest = seedImage(sandbox, project.harborRepository);
      const repository = `${sandbox.jenkins.registryHost}/${project.harborRepository}`;
      for (const environment of project.environments ?? ['production']) {
        const body = applicationBody(project, environment, {
          repository,
          digest,
        });
        const rec = sandbox.argocd.create(body, true);
        if (rec.operation?.phase !== 'Running') {
          sandbox.argocd.sync(rec, {}, { username: 'admin' });
        }
        names.push(body.metadata.name);
      }
    }
    for (let round = 0; round < 20 && !allHealthy(sandbox, names); round++) {
      sandbox.advance();
    }
    const stuck = names.filter(n => !allHealthy(sandbox, [n]));
    if (stuck.length) {
      throw new Error(
        `sandbox seed: ${stuck.join(', ')} did not become Healthy`,
      );
    }
  } finally {
    Object.assign(sandbox.ctx.timings, timings);
  }
}

function allHealthy(sandbox: Sandbox, names: string[]): boolean {
  return names.every(name => {
    const rec = sandbox.argocd.apps.get(name);
    if (!rec) return false;
    const status = sandbox.argocd.render(rec).status;
    return (
      status.health.status === 'Healthy' && status.sync.status === 'Synced'
    );
  });
}
