import { autonomousPermissions } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { applyMigrations } from './database/migrations';
import { DatabaseProjectStore } from './database/ProjectStore';
import { DatabaseReleaseStore } from './database/ReleaseStore';
import { ReleaseWorkStore } from './database/ReleaseWorkStore';
import { DatabaseAuditStore } from './database/AuditStore';
import { DatabaseWebhookDeliveryStore } from './database/WebhookDeliveryStore';
import { DriftStore } from './database/DriftStore';
import {
  createDriftMonitor,
  DriftSweep,
  readDriftSettings,
  scheduleDriftSweep,
} from './drift/DriftSweep';
import { IndexQueries } from './database/IndexQueries';
import { MetricsQueries } from './database/MetricsQueries';
import { readMetricsSettings } from './metrics/MetricsService';
import {
  readOrchestratorSettings,
  readPermissionDecisionCacheMs,
} from './orchestrator/settings';
import { ReleaseOrchestrator } from './orchestrator/ReleaseOrchestrator';
import { createRouter } from './router';
import { ProjectService } from './service/ProjectService';
import { ProjectDeletionStore } from './microservices/ProjectDeletionStore';
import { ReleaseGroupStore } from './microservices/ReleaseGroupStore';
import { EntityAuthorizer } from './service/EntityAuthorizer';
import { UpstreamBindings } from './service/UpstreamBindings';
import { ServiceTokenScopes } from './service/ServiceTokenScopes';
import { ReleaseSignals } from './service/signals';
import { ReleaseWatcherStore } from './database/ReleaseWatcherStore';
import { forgetReadsOfRelease } from './service/upstreamReads';
import { boundedFetch } from './service/logReads/boundedFetch';
import { readLogLimits } from './service/logReads/logLimits';
import { DOWNLOAD_PIECE_BYTES } from './service/LogService';
import { startDatabaseLifecycle } from './databases/wiring';
import { startDatabaseBackups } from './databases/backups/wiring';
import { DatabaseDatabaseInstanceStore } from './database/DatabaseInstanceStore';
import { DatabaseConsoleStore } from './database/ConsoleStore';
import { ConsoleService } from './console/ConsoleService';
import { HealthGateStore } from './database/HealthGateStore';
import { ReleaseGates } from './gates/ReleaseGates';
import { StepGateStore } from './gates/StepGateStore';
import { GateSettings } from './gates/GateSettings';
import { readConsoleSettings } from './console/settings';
import { ProjectSettingsService } from './settings/ProjectSettingsService';
import { DatabaseProjectSettingsStore } from './database/ProjectSettingsStore';
import { readDomainSettings } from './settings/config';

/**
 * The Autonomous control plane: projects, releases and databases of catalog entities.
 *
 * @public
 */
export const autonomousPlugin = createBackendPlugin({
  pluginId: 'autonomous',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        cache: coreServices.cache,
        auditor: coreServices.auditor,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, auth, httpRouter, scheduler } = deps;
        const db = await applyMigrations(deps.database);
        deps.permissionsRegistry.addPermissions(autonomousPermissions);

        const projectDeletions = new ProjectDeletionStore(db);
        const projects = new ProjectService(
          deps.catalog,
          new DatabaseProjectStore(db),
          auth,
          projectDeletions,
        );
        const serviceTokens = ServiceTokenScopes.fromConfig(config);
        const releases = new DatabaseReleaseStore(db);
        const work = new ReleaseWorkStore(db);
        const clients = UpstreamClients.fromConfig(config, {
          cache: deps.cache,
          logger,
        });
        const freshClients = UpstreamClients.fromConfig(config, {
          logger,
          readCache: false,
        });
        // A download reads Jenkins' log a piece at a time: answers end after 1 MiB.
        const downloadClients = UpstreamClients.fromConfig(config, {
          logger,
          readCache: false,
          fetch: boundedFetch(DOWNLOAD_PIECE_BYTES),
        });
        const settings = readOrchestratorSettings(config, logger);
        const bindings = UpstreamBindings.fromConfig(config);
        const releaseSignals = new ReleaseSignals({
          signals: deps.signals,
          watchers: new ReleaseWatcherStore(db, { ttlMs: 10 * 60_000 }),
          auth,
          logger,
        });
        const onChange = releaseSignals.onChange;
        const gateStore = new HealthGateStore(db);
        const orchestrator = new ReleaseOrchestrator({
          work,
          releases,
          clients: freshClients,
          bindings,
          settings,
          logger,
          gates: new ReleaseGates({
            store: gateStore,
            steps: new StepGateStore(db),
            prometheus: entity => freshClients.forEntity('prometheus', entity),
            retryWindowMs: settings.retryWindowMs,
            now: () => new Date(),
          }),
          notifier: deps.notifications,
          // The next status read after a move must show what the move did, not the cache.
          onChange: async (release, resolved) => {
            if (resolved)
              await forgetReadsOfRelease(clients, resolved, release);
            onChange(release);
          },
          resolveProject: entityRef => projects.resolve(entityRef),
        });

        const driftStore = new DriftStore(db);
        const driftSettings = readDriftSettings(config);
        const driftMonitor = createDriftMonitor({
          store: driftStore,
          settings: driftSettings,
          onChange,
          notifier: deps.notifications,
          logger,
        });

        if (settings.enabled) {
          await scheduleDriftSweep(
            scheduler,
            new DriftSweep({
              store: driftStore,
              work,
              monitor: driftMonitor,
              clients: freshClients,
              resolveProject: entityRef => projects.resolve(entityRef),
              logger,
            }),
            driftSettings,
          );
          await scheduler.scheduleTask({
            id: 'autonomous-release-orchestrator',
            frequency: { milliseconds: settings.pollIntervalMs },
            // A killed backend keeps this task's lock until the timeout; the orchestrator's own
            // follow-up turns (guarded by release leases) bridge that gap.
            timeout: { minutes: 1 },
            scope: 'global',
            fn: async () => {
              await orchestrator.tick();
            },
          });
          // Pick up what a previous run of this backend left in flight, at once.
          orchestrator
            .wake()
            .catch(e => logger.warn(`Release orchestrator start failed: ${e}`));
        } else {
          orchestrator.stop();
          logger.info(
            'Release orchestrator disabled (autonomous.orchestrator.enabled: false): this backend serves the API only',
          );
        }
        deps.lifecycle.addShutdownHook(() => orchestrator.stop());

        // Backups restore into new instances through provisioning, which takes final backups
        // and restores through the backups' hooks: each gets the other once both exist.
        const started: {
          databases?: Awaited<ReturnType<typeof startDatabaseLifecycle>>;
        } = {};
        const backups = await startDatabaseBackups({
          ...deps,
          db,
          freshClients,
          instances: new DatabaseDatabaseInstanceStore(db),
          provisioner: {
            provision: request => started.databases!.service.provision(request),
          },
          notifier: deps.notifications,
          onChange: (instance, backupId) => {
            const signals = started.databases?.signals;
            if (backupId) {
              signals?.onBackupChange(
                instance.entityRef,
                instance.id,
                backupId,
              );
            } else signals?.onDatabaseChange(instance);
          },
        });
        deps.lifecycle.addShutdownHook(() => backups.stop());
        const databases = await startDatabaseLifecycle({
          ...deps,
          db,
          freshClients,
          bindings,
          entity: entityRef => projects.entity(entityRef),
          hooks: backups.service,
        });
        started.databases = databases;
        const consoleStore = new DatabaseConsoleStore(db);
        const consoleService = new ConsoleService({
          store: consoleStore,
          credentials: (instance, user) =>
            databases.service.credentials(instance, user),
          settings: readConsoleSettings(config),
          logger,
        });

        httpRouter.use(
          await createRouter({
            ...deps,
            authorizer: new EntityAuthorizer(deps.permissions, {
              cacheMs: readPermissionDecisionCacheMs(config, logger),
              serviceScope: (credentials, entityRef) =>
                serviceTokens.check(credentials, entityRef, () =>
                  projects.entity(entityRef),
                ),
            }),
            projects,
            releases,
            work,
            audit: new DatabaseAuditStore(db),
            index: { catalog: deps.catalog, queries: new IndexQueries(db) },
            metrics: {
              queries: new MetricsQueries(db),
              settings: readMetricsSettings(config),
            },
            clients,
            freshClients,
            downloadClients,
            logLimits: readLogLimits(config),
            bindings,
            orchestrator,
            onChange,
            drift: driftStore,
            driftMonitor,
            healthGates: new GateSettings({
              store: gateStore,
              clients: freshClients,
              bindings,
              newestRelease: async (entityRef, environment) =>
                (
                  await work.environmentHistory(entityRef, environment, {
                    limit: 1,
                  })
                )[0],
            }),
            webhookDeliveries: new DatabaseWebhookDeliveryStore(db),
            microservices: {
              groups: new ReleaseGroupStore(db),
              deletions: projectDeletions,
            },
            projectSettings: new ProjectSettingsService({
              clients: freshClients,
              cachedClients: clients,
              projects: new DatabaseProjectStore(db),
              settings: new DatabaseProjectSettingsStore(db),
              releases,
              bindings,
              domains: readDomainSettings(config),
            }),
            readers: releaseSignals,
            databases: databases.service,
            backups: backups.service,
            console: { service: consoleService, store: consoleStore },
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // Git hosts send no Backstage token; these routes check the delivery's signature.
        for (const path of ['/webhooks/github', '/webhooks/gitlab']) {
          httpRouter.addAuthPolicy({ path, allow: 'unauthenticated' });
        }
      },
    });
  },
});
