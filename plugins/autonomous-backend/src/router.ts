import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AuditStore } from './database/AuditStore';
import { DatabaseReleaseStore } from './database/ReleaseStore';
import { ReleaseWorkStore } from './database/ReleaseWorkStore';
import { ReleaseOrchestrator } from './orchestrator/ReleaseOrchestrator';
import { RouteContext } from './routes/context';
import { createEnvironmentRouter } from './routes/environments';
import { createLogsRouter } from './routes/logs';
import { createNotificationsRouter } from './routes/notifications';
import { createProjectReadRouter } from './routes/projects';
import { createIndexRouter } from './routes/indexRoutes';
import { IndexReadAccess } from './routes/indexAccess';
import { IndexQueries } from './database/IndexQueries';
import { createMetricsRouter } from './routes/metrics';
import { MetricsService, MetricsSettings } from './metrics/MetricsService';
import { MetricsQueries } from './database/MetricsQueries';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createReleaseActionsRouter } from './routes/releases';
import { createDatabasesRouter } from './routes/databases';
import { createDatabaseBackupsRouter } from './routes/databaseBackups';
import { createConsoleRouter } from './routes/console';
import { ConsoleService } from './console/ConsoleService';
import { ConsoleStore } from './database/ConsoleStore';
import { createUpstreamInstancesRouter } from './routes/upstreamInstances';
import { createHealthGatesRouter } from './routes/healthGates';
import { createRolloutsRouter } from './routes/rollouts';
import { RolloutService } from './rollouts/RolloutService';
import { GateSettings } from './gates/GateSettings';
import { BackupService } from './databases/backups/BackupService';
import { DatabaseService } from './databases/DatabaseService';
import { EnvironmentService } from './service/EnvironmentService';
import { DriftStore } from './database/DriftStore';
import { DriftMonitor } from './drift/DriftMonitor';
import { ReleaseService } from './service/ReleaseService';
import { DatabaseWebhookDeliveryStore } from './database/WebhookDeliveryStore';
import {
  createWebhookManagementRouter,
  createWebhookReceiveRouter,
} from './routes/webhooks';
import { WebhookReceiver } from './webhooks/WebhookReceiver';
import { WebhookSecrets } from './webhooks/WebhookSecrets';
import { createProjectSettingsRouter } from './routes/projectSettings';
import { createProjectServicesRouter } from './routes/projectServices';
import { MicroserviceProjects } from './microservices/MicroserviceProjects';
import { ReleaseGroupStore } from './microservices/ReleaseGroupStore';
import { ProjectDeletionStore } from './microservices/ProjectDeletionStore';
import { ProjectSettingsService } from './settings/ProjectSettingsService';
import { asCallerError } from './service/upstreamErrors';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { EntityAuthorizer } from './service/EntityAuthorizer';
import { ProjectService } from './service/ProjectService';
import { LogLimits } from './service/logReads/logLimits';
import { UpstreamBindings } from './service/UpstreamBindings';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  /** Where Git hosts reach the plugin: the webhook URL to paste. */
  discovery?: DiscoveryService;
  auditor?: AuditorService;
  auth: AuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  authorizer: EntityAuthorizer;
  projects: ProjectService;
  releases: DatabaseReleaseStore;
  work: ReleaseWorkStore;
  audit: AuditStore;
  /** The paged listings portal search indexes (`/index/*`). */
  index: { catalog: CatalogService; queries: IndexQueries };
  /** Auto-deploy, domains, variables and scaling per environment (`…/settings`). */
  projectSettings?: ProjectSettingsService;
  /** Microservice projects: releases deployed together and deleted projects. */
  microservices?: {
    groups: ReleaseGroupStore;
    deletions: ProjectDeletionStore;
  };
  /** Git push webhooks: deliveries and the commits they released. */
  webhookDeliveries?: DatabaseWebhookDeliveryStore;
  /** Delivery metrics (`/metrics`); `autonomous.metrics.*`. */
  metrics?: { queries: MetricsQueries; settings: MetricsSettings };
  /** Cached clients for pages; fresh ones for following logs. */
  clients: UpstreamClients;
  freshClients: UpstreamClients;
  /** Uncached clients whose answers are cut at 1 MiB: downloads are read in pieces. */
  downloadClients?: UpstreamClients;
  /** `autonomous.logs.*`. */
  logLimits?: LogLimits;
  /** `autonomous.bindings`: which upstream objects an entity may act on besides those claiming it. */
  bindings?: UpstreamBindings;
  orchestrator: Pick<ReleaseOrchestrator, 'wake'>;
  /** Provisioning, credentials and deletion of databases. */
  databases?: DatabaseService;
  /** Backups of databases: list, backup now, download, delete, restore, settings. */
  backups?: BackupService;
  /** The database console: statements, history and audit trail, saved queries. */
  console?: { service: ConsoleService; store: ConsoleStore };
  /** Tells the readers of an entity's releases that something of the entity changed. */
  onChange?(change: Pick<Release, 'entityRef'>): void;
  /** Environments' health gates and releases' evaluations of them (`…/health-gates`). */
  healthGates?: GateSettings;
  /** Open drift episodes: without it drift is reported but not written in release histories. */
  drift?: DriftStore;
  /** The backend's drift monitor, shared with the background check; default one on `drift`. */
  driftMonitor?: DriftMonitor;
  /** Who read which entity, so that only they hear of its changes. */
  readers?: {
    noteReader(credentials: BackstageCredentials, entityRef: string): void;
  };
}

/**
 * Bodies are JSON only. express.json() skips any other content type and leaves `{}`, which
 * would let a form post (or a cross-site one) run an action with default settings.
 */
function requireJsonBody(
  req: express.Request,
  _res: express.Response,
  next: express.NextFunction,
) {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 ||
    req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    next(
      new InputError(
        `the body must be JSON: send it with Content-Type: application/json (got ${
          req.headers['content-type'] ?? 'no content type'
        })`,
      ),
    );
    return;
  }
  next();
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, projects, releases, orchestrator } = options;
  const router = Router();
  const wake = (filter: Parameters<ReleaseOrchestrator['wake']>[0]) =>
    orchestrator.wake(filter);
  const releaseService = new ReleaseService({
    releases,
    clients: options.clients,
    bindings: options.bindings,
    logger: options.logger,
    onChange: options.onChange,
    wake: id => {
      wake({ id }).catch(e =>
        options.logger.warn(`could not wake the orchestrator: ${e}`),
      );
    },
  });
  const webhookSecrets = new WebhookSecrets(options.freshClients);
  if (options.webhookDeliveries) {
    // Before the JSON parser: a delivery's signature covers its raw body.
    router.use(
      createWebhookReceiveRouter({
        receiver: new WebhookReceiver({
          catalog: options.index.catalog,
          auth: options.auth,
          resolve: entityRef => projects.resolve(entityRef),
          secrets: webhookSecrets,
          store: options.webhookDeliveries,
          releases: releaseService,
          logger: options.logger,
          onSettled: entityRef => options.onChange?.({ entityRef }),
        }),
      }),
    );
  }
  router.use(requireJsonBody);
  // A console statement may be 100 KB characters, up to 400 KB of UTF-8 JSON: its route reads
  // bodies up to 512 KB, so its own limit answers with its own sentence. Every other route
  // keeps express's 100 KB.
  router.use(
    '/databases/:id/console/statements',
    express.json({ limit: '512kb' }),
  );
  router.use(express.json());

  const ctx = new RouteContext(options);
  router.use(
    createReleaseActionsRouter(ctx, { releases, service: releaseService }),
  );
  if (options.webhookDeliveries) {
    const { discovery } = options;
    router.use(
      createWebhookManagementRouter(ctx, {
        secrets: webhookSecrets,
        store: options.webhookDeliveries,
        externalBaseUrl: async () =>
          discovery
            ? discovery.getExternalBaseUrl('autonomous')
            : '/api/autonomous',
      }),
    );
  }
  const environments = new EnvironmentService(
    options.clients,
    options.work,
    options.bindings,
    options.driftMonitor ??
      new DriftMonitor({ store: options.drift, onChange: options.onChange }),
  );
  router.use(createEnvironmentRouter(ctx, environments));
  router.use(
    createRolloutsRouter(
      ctx,
      new RolloutService({
        clients: options.clients,
        freshClients: options.freshClients,
        bindings: options.bindings,
        releases,
        onChange: options.onChange,
        logger: options.logger,
      }),
    ),
  );
  router.use(createProjectReadRouter(ctx, { projects, releases }));
  if (options.healthGates) {
    router.use(
      createHealthGatesRouter(ctx, { gates: options.healthGates, releases }),
    );
  }
  if (options.microservices) {
    router.use(
      createProjectServicesRouter(ctx, {
        projects,
        service: new MicroserviceProjects({
          ...options.microservices,
          projects,
          status: resolved => environments.status(resolved),
          releases: releaseService,
          releaseStore: releases,
          clients: options.freshClients,
          bindings: options.bindings,
          logger: options.logger,
        }),
      }),
    );
  }
  if (options.projectSettings) {
    router.use(createProjectSettingsRouter(ctx, options.projectSettings));
  }
  router.use(createLogsRouter(options));
  if (options.databases) {
    router.use(createDatabasesRouter(ctx, options.databases));
    if (options.console) {
      const instances = options.databases;
      router.use(
        createConsoleRouter(ctx, {
          getInstance: id => instances.get(id),
          ...options.console,
        }),
      );
    }
    if (options.backups) {
      const instances = options.databases;
      router.use(
        createDatabaseBackupsRouter(ctx, {
          getInstance: id => instances.get(id),
          service: options.backups,
          logger: options.logger,
        }),
      );
    }
  }
  const indexAccess = new IndexReadAccess(options);
  router.use(
    createIndexRouter({
      httpAuth,
      auth: options.auth,
      ...options.index,
      access: indexAccess,
    }),
  );
  if (options.metrics) {
    router.use(
      createMetricsRouter(ctx, {
        httpAuth,
        access: indexAccess,
        service: new MetricsService({
          ...options.metrics,
          catalog: options.index.catalog,
          auth: options.auth,
        }),
      }),
    );
  }
  router.use(
    createNotificationsRouter({
      httpAuth,
      permissions: options.permissions,
      wake,
    }),
  );

  router.use(createUpstreamInstancesRouter(ctx, { clients: options.clients }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Upstream failures that reach here become 404/409/503, never the upstream's own status.
  router.use(
    (
      error: unknown,
      _req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => next(asCallerError(error)),
  );
  return router;
}
