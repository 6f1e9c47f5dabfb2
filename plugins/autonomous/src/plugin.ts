import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { autonomousApiRef, AutonomousClient } from './api';

/**
 * The Autonomous plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const autonomousPlugin = createPlugin({
  id: 'autonomous',
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
