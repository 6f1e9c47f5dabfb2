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
