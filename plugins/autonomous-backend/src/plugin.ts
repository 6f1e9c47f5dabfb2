import { autonomousPermissions } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { applyMigrations } from './database/migrations';
import { DatabaseProjectStore } from './database/ProjectStore';
import { DatabaseReleaseStore } from './database/ReleaseStore';
import { createRouter } from './router';
import { ProjectService } from './service/ProjectService';
import { EntityAuthorizer } from './service/EntityAuthorizer';

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
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        database: coreServices.database,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        database,
        catalog,
      }) {
        const db = await applyMigrations(database);
        permissionsRegistry.addPermissions(autonomousPermissions);

        httpRouter.use(
          await createRouter({
            httpAuth,
            authorizer: new EntityAuthorizer(permissions, {
              cacheMs:
                config.getOptionalNumber(
                  'autonomous.permissionDecisionCacheMs',
                ) ?? 5_000,
            }),
            projects: new ProjectService(catalog, new DatabaseProjectStore(db)),
            releases: new DatabaseReleaseStore(db),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
