import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { autonomousApiRef, AutonomousClient } from './api';

/** Where the Autonomous page is mounted. */
const rootRouteRef = createRouteRef({ id: 'autonomous' });

/**
 * The Autonomous plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const autonomousPlugin = createPlugin({
  id: 'autonomous',
  routes: { root: rootRouteRef },
  apis: [
    createApiFactory({
      api: autonomousApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AutonomousClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * The Releases tab for an entity page: release history with status, commit, who and when.
 * Mount it under an `EntityLayout.Route` guarded by `isAutonomousAvailable`.
 *
 * @public
 */
export const EntityAutonomousReleasesContent = autonomousPlugin.provide(
  createComponentExtension({
    name: 'EntityAutonomousReleasesContent',
    component: {
      lazy: () =>
        import('./components/ReleasesContent').then(m => m.ReleasesContent),
    },
  }),
);

/**
 * The project's Autonomous overview tab: deployment and running status side by side per
 * environment with their actions, domains with their TLS state, auto-deploy and its branch,
 * variables, scaling, and the Git webhook with its recent deliveries. Mount it under an
 * `EntityLayout.Route` guarded by `isAutonomousAvailable`.
 *
 * @public
 */
export const EntityAutonomousOverviewContent = autonomousPlugin.provide(
  createComponentExtension({
    name: 'EntityAutonomousOverviewContent',
    component: {
      lazy: () => import('./components/Overview').then(m => m.OverviewContent),
    },
  }),
);

/**
 * The Services tab of a microservice project's System: readiness, current release and domain
 * per service and environment, Deploy per service or several together, and deleting the
 * project after its name is typed. Mount it under an `EntityLayout.Route` on the System page,
 * guarded by `isAutonomousAvailable`.
 *
 * @public
 */
export const EntityAutonomousSystemServicesContent = autonomousPlugin.provide(
  createComponentExtension({
    name: 'EntityAutonomousSystemServicesContent',
    component: {
      lazy: () =>
        import('./components/SystemServices').then(m => m.SystemServices),
    },
  }),
);

/**
 * The Database tab for a database Resource's entity page: provisioning, connection and
 * credentials, backups and restore, deletion. Mount it under an `EntityLayout.Route` guarded
 * by `isDatabaseResource`.
 *
 * @public
 */
export const EntityAutonomousDatabaseContent = autonomousPlugin.provide(
  createComponentExtension({
    name: 'EntityAutonomousDatabaseContent',
    component: {
      lazy: () =>
        import('./components/DatabaseTab').then(m => m.DatabaseContent),
    },
  }),
);

/**
 * The Console tab for a database Resource's entity page, beside the Database tab: run
 * statements (read-only unless the user may write), see rows as they stream, export them,
 * history, saved statements and, for admins, the audit trail. Mount it under an
 * `EntityLayout.Route` guarded by `isDatabaseResource`.
 *
 * @public
 */
export const EntityAutonomousDatabaseConsoleContent = autonomousPlugin.provide(
  createComponentExtension({
    name: 'EntityAutonomousDatabaseConsoleContent',
    component: {
      lazy: () =>
        import('./components/DatabaseConsole').then(
          m => m.DatabaseConsoleContent,
        ),
    },
  }),
);

/**
 * The Autonomous page: every project and database the user may read, with where each runs and
 * how its last release went, filters, and a team's delivery metrics. Mount it at `/autonomous`
 * and add a `SidebarItem` to it.
 *
 * @public
 */
export const AutonomousPage = autonomousPlugin.provide(
  createRoutableExtension({
    name: 'AutonomousPage',
    component: () =>
      import('./components/AutonomousPage').then(m => m.AutonomousPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The project's delivery metrics (deployment frequency, lead time, change failure rate,
 * recovery time) with their trends and the releases behind each figure, for the Overview of
 * entities that `isAutonomousAvailable`.
 *
 * @public
 */
export const EntityAutonomousMetricsCard = autonomousPlugin.provide(
  createComponentExtension({
    name: 'EntityAutonomousMetricsCard',
    component: {
      lazy: () =>
        import('./components/DeliveryMetricsCard').then(
          m => m.EntityDeliveryMetricsCard,
        ),
    },
  }),
);
