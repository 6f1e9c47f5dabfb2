import { Project } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { RunningSandbox, startSandbox } from '@autonomous-dev/sandbox';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { projectFromEntity } from '../service/projectFromEntity';

export const BUILD_PARAMETERS = [
  'GIT_COMMIT',
  'GIT_BRANCH',
  'IMAGE_REPOSITORY',
  'IMAGE_TAG',
  'AUTONOMOUS_RELEASE_ID',
];

/** A pipeline job declaring the parameters the orchestrator sends. */
export const JOB_XML = `<flow-definition><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions>${BUILD_PARAMETERS.map(
  n =>
    `<hudson.model.StringParameterDefinition><name>${n}</name><defaultValue></defaultValue></hudson.model.StringParameterDefinition>`,
).join(
  '',
)}</parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties></flow-definition>`;

/** The job's config.xml with the description line through which it claims `entityRef`. */
export function claimedJobXml(entityRef: string): string {
  return JOB_XML.replace(
    '<flow-definition>',
    `<flow-definition><description>autonomous.dev/entity-ref: ${entityRef}</description>`,
  );
}

/** The labels through which an ArgoCD Application claims `component:default/<name>`. */
export function claimLabels(name: string): Record<string, string> {
  return {
    'autonomous.dev/entity-kind': 'component',
    'autonomous.dev/entity-namespace': 'default',
    'autonomous.dev/entity-name': name,
  };
}

export function sandboxConfig(url: string) {
  return new ConfigReader(sandboxConfigData(url));
}

/** Config for clients of every system the orchestrator uses, pointed at the sandbox. */
export function sandboxConfigData(url: string) {
  const basic = { username: 'autonomous', apiToken: 'sandbox' };
  return {
    autonomous: {
      upstreams: { timeoutMs: 2_000, retries: 0 },
      jenkins: {
        instances: [{ name: 'sandbox', url: `${url}/jenkins`, ...basic }],
      },
      harbor: {
        instances: [
          {
            name: 'sandbox',
            url: `${url}/harbor`,
            username: 'admin',
            password: 'sandbox',
          },
        ],
      },
      argocd: {
        instances: [
          { name: 'sandbox', url: `${url}/argocd`, token: 'sandbox' },
        ],
      },
      kubernetes: {
        instances: [
          { name: 'sandbox', url: `${url}/kubernetes`, token: 'sandbox' },
        ],
      },
      vault: {
        instances: [{ name: 'sandbox', url: `${url}/vault`, token: 'sandbox' }],
      },
    },
  };
}

export interface ProjectOptions {
  automatedSync?: boolean;
  autoRollback?: boolean;
  /** Default: production only. */
  environments?: string[];
  /** The repository its entity names (`github.com/project-slug` or the GitLab one). */
  repository?: { provider: 'github' | 'gitlab'; slug: string };
  autoDeploy?: boolean;
}

export function entityFor(name: string, options: ProjectOptions = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'autonomous.dev/project': 'monolith',
        'autonomous.dev/environments': (
          options.environments ?? ['production']
        ).join(','),
        'autonomous.dev/auto-rollback': options.autoRollback ? 'true' : 'false',
        'argocd/app-name': name,
        'jenkins.io/job-full-name': `shop/${name}`,
        'goharbor.io/repository-slug': `shop/${name}`,
        ...(options.repository
          ? {
              [`${options.repository.provider}.com/project-slug`]:
                options.repository.slug,
            }
          : {}),
        ...(options.autoDeploy ? { 'autonomous.dev/auto-deploy': 'true' } : {}),
      },
    },
    spec: { type: 'service', owner: 'group:default/shop' },
  };
}

export interface SandboxProjects {
  sandbox: RunningSandbox;
  clients: UpstreamClients;
  resolve(entityRef: string): Promise<{ project: Project; entity: Entity }>;
  /** Creates the job, Harbor project and ArgoCD application of a project named `name`. */
  addProject(name: string, options?: ProjectOptions): Promise<void>;
  /** Registers an entity without creating anything upstream (its annotations name what it uses). */
  addEntity(entity: Entity): void;
  /** How many builds were triggered, per job full name. */
  buildTriggers(): Promise<number>;
  control(path: string, body?: unknown, method?: string): Promise<any>;
  stop(): Promise<void>;
}

/** A sandbox with projects set up the way a template would, and fresh (uncached) clients. */
export async function startSandboxProjects(
  options: { realDatabases?: Array<'postgresql' | 'mysql' | 'redis'> } = {},
): Promise<SandboxProjects> {
  const sandbox = await startSandbox({
    port: 0,
    speed: 'fast',
    ...(options.realDatabases
      ? { databases: { real: options.realDatabases } }
      : {}),
  });
  const clients = UpstreamClients.fromConfig(sandboxConfig(sandbox.url), {
    readCache: false,
  });
  const entities = new Map<string, Entity>();
  const control = async (path: string, body?: unknown, method = 'POST') => {
    const res = await fetch(`${sandbox.url}/_sandbox${path}`, {
      method: body === undefined && method === 'POST' ? 'GET' : method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  };
  return {
    sandbox,
    clients,
    control,
    async resolve(entityRef) {
      const entity = entities.get(entityRef);
      if (!entity)
        throw Object.assign(new Error(`${entityRef} unknown`), {
          name: 'NotFoundError',
        });
      const parsed = projectFromEntity(entity);
      if (!parsed.ok) throw new Error(parsed.reason);
      return { project: parsed.project, entity };
    },
    addEntity(entity) {
      entities.set(stringifyEntityRef(entity), entity);
    },
    async addProject(name, projectOptions = {}) {
      const entity = entityFor(name, projectOptions);
      entities.set(`component:default/${name}`, entity);
      const jenkins = clients.get('jenkins');
      await jenkins.upsertJob(
        '',
        'shop',
        '<com.cloudbees.hudson.plugins.folder.Folder/>',
      );
      await jenkins.upsertJob(
        'shop',
        name,
        claimedJobXml(`component:default/${name}`),
      );
      await clients.get('harbor').ensureProject('shop');
      const environments = projectOptions.environments ?? ['production'];
      for (const env of environments) {
        await clients.get('argocd').upsertApplication({
          name: env === 'production' ? name : `${name}-${env}`,
          repoURL: 'https://charts.example.com',
          chart: 'web-service',
          targetRevision: '1.0.0',
          destinationNamespace: `${name}-${env}`,
          helmParameters: [
            { name: 'image.repository', value: `sandbox/shop/${name}` },
          ],
          automatedSync: projectOptions.automatedSync ?? false,
          labels: claimLabels(name),
        });
      }
    },
    async buildTriggers() {
      const calls = await control('/calls');
      return Object.entries(calls.routes as Record<string, number>)
        .filter(([route]) => route.includes('/buildWithParameters'))
        .reduce((sum, [, n]) => sum + n, 0);
    },
    stop: () => sandbox.stop(),
  };
}
