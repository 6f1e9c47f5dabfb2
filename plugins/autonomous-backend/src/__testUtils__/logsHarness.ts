import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { RunningSandbox, startSandbox } from '@autonomous-dev/sandbox';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { Knex } from 'knex';
import { AddressInfo } from 'node:net';
import { migrateTestDatabase } from '../database/migrations';
import { DatabaseProjectStore } from '../database/ProjectStore';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { ReleaseWorkStore } from '../database/ReleaseWorkStore';
import { createLogsRouter, LogsRouterOptions } from '../routes/logs';
import { EntityAuthorizer } from '../service/EntityAuthorizer';
import { ProjectService } from '../service/ProjectService';
import { claimLabels } from './sandboxProject';

/*
 * What the log tests (the service and its routes) share: a sandbox with Jenkins, ArgoCD and
 * Kubernetes, web applications running in it, releases in an in-memory store, and a backend
 * serving only the log routes.
 */

const parameter = (name: string) =>
  `<hudson.model.StringParameterDefinition><name>${name}</name><defaultValue></defaultValue></hudson.model.StringParameterDefinition>`;

/** A pipeline job whose builds run for `SANDBOX_DURATION_MS` and log the commit they were given. */
export const TIMED_JOB_XML = `<flow-definition><properties><hudson.model.ParametersDefinitionProperty><parameterDefinitions>${parameter(
  'GIT_COMMIT',
)}${parameter(
  'SANDBOX_DURATION_MS',
)}</parameterDefinitions></hudson.model.ParametersDefinitionProperty></properties></flow-definition>`;

export interface LogsSandbox {
  sandbox: RunningSandbox;
  config: ReturnType<typeof mockServices.rootConfig>;
  /** Clients without a read cache, for the tests' own set-up and checks. */
  setup: UpstreamClients;
}

/** A fast sandbox and a config whose Jenkins, ArgoCD and Kubernetes clients point at it. */
export async function startLogsSandbox(): Promise<LogsSandbox> {
  const sandbox = await startSandbox({ port: 0, speed: 'fast' });
  const instance = (system: string, extra: object) => ({
    instances: [{ name: 'sandbox', url: `${sandbox.url}/${system}`, ...extra }],
  });
  const config = mockServices.rootConfig({
    data: {
      autonomous: {
        upstreams: { cacheTtlSeconds: 60 },
        jenkins: instance('jenkins', {
          username: 'autonomous',
          apiToken: 'sandbox',
        }),
        argocd: instance('argocd', { token: 'sandbox' }),
        kubernetes: instance('kubernetes', { token: 'sandbox' }),
      },
    },
  });
  const setup = UpstreamClients.fromConfig(config, { readCache: false });
  return { sandbox, config, setup };
}

/** A monolith project entity whose ArgoCD application and Jenkins job carry its name. */
export function monolithEntity(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'autonomous.dev/project': 'monolith',
        'argocd/app-name': name,
        'jenkins.io/job-full-name': name,
      },
    },
    spec: { type: 'service', owner: 'group:default/shop' },
  };
}

/** Installs and syncs a web application that claims `component:default/<app>`. */
export async function deployWebApp(
  setup: UpstreamClients,
  app: string,
  namespace: string,
  repository = `registry.invalid/shop/${app}`,
) {
  const argocd = setup.get('argocd');
  await argocd.upsertApplication({
    name: app,
    repoURL: 'https://charts.example.invalid/autonomous',
    chart: 'web-service',
    targetRevision: '1.0.0',
    destinationNamespace: namespace,
    helmParameters: [
      { name: 'image.repository', value: repository },
      { name: 'image.tag', value: '1.0.0' },
    ],
    labels: claimLabels(app),
  });
  await argocd.sync(app);
}

export function podsOf(setup: UpstreamClients, namespace: string, app: string) {
  return setup
    .get('kubernetes')
    .listPods(namespace, `app.kubernetes.io/instance=${app}`);
}

/** The check's first truthy answer, polled every 50 ms for up to 15 s. */
export async function eventually<T>(
  check: () => Promise<T | false | undefined>,
): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise(r => setTimeout(r, 50));
  }
}

export interface MemoryReleaseStores {
  knex: Knex;
  releases: DatabaseReleaseStore;
  work: ReleaseWorkStore;
}

/** The plugin's tables in an in-memory SQLite database. */
export async function memoryReleaseStores(): Promise<MemoryReleaseStores> {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  await migrateTestDatabase(knex);
  return {
    knex,
    releases: new DatabaseReleaseStore(knex),
    work: new ReleaseWorkStore(knex),
  };
}

/** What the orchestrator writes when Jenkins starts a release's build. */
export async function recordBuildStarted(
  work: ReleaseWorkStore,
  releaseId: string,
  buildNumber: number,
) {
  const claimed = await work.claim(releaseId, 60_000);
  await work.write(claimed!, {
    to: 'building',
    message: `Jenkins build #${buildNumber} started`,
    progress: { buildNumber },
  });
}

/** The whole console text of a build, straight from the sandbox's Jenkins. */
export async function consoleText(
  sandbox: RunningSandbox,
  job: string,
  buildNumber: number,
) {
  const res = await fetch(
    `${sandbox.url}/jenkins/job/${job}/${buildNumber}/consoleText`,
    { headers: { Authorization: `Basic ${btoa('autonomous:sandbox')}` } },
  );
  return res.text();
}

export interface LogsBackendOptions
  extends Omit<
    LogsRouterOptions,
    'httpAuth' | 'authorizer' | 'projects' | 'logger'
  > {
  stores: MemoryReleaseStores;
  entities: Entity[];
  /** The permission service's factory, e.g. `mockServices.permissions.mock(…).factory`. */
  permissions: ReturnType<typeof mockServices.permissions.mock>;
  /** Extra services of the test backend (e.g. an httpAuth factory). */
  features?: Parameters<typeof startTestBackend>[0]['features'];
}

/** A backend serving only the log routes; answers their base URL. */
export async function startLogsBackend(
  options: LogsBackendOptions,
): Promise<string> {
  const { stores, entities, permissions, features = [], ...router } = options;
  const logsPlugin = createBackendPlugin({
    pluginId: 'autonomous',
    register(env) {
      env.registerInit({
        deps: {
          auth: coreServices.auth,
          httpAuth: coreServices.httpAuth,
          httpRouter: coreServices.httpRouter,
          permissions: coreServices.permissions,
          logger: coreServices.logger,
          catalog: catalogServiceRef,
        },
        async init(deps) {
          deps.httpRouter.use(
            createLogsRouter({
              ...router,
              logger: deps.logger,
              httpAuth: deps.httpAuth,
              authorizer: new EntityAuthorizer(deps.permissions),
              projects: new ProjectService(
                deps.catalog,
                new DatabaseProjectStore(stores.knex),
                deps.auth,
              ),
            }),
          );
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [
      logsPlugin,
      permissions.factory,
      catalogServiceMock.factory({ entities }),
      ...features,
    ],
  });
  return `http://localhost:${
    (server.address() as AddressInfo).port
  }/api/autonomous`;
}
