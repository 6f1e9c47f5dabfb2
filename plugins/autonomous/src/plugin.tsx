import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

import { rootRouteRef } from './routes';

export const page = PageBlueprint.make({
  params: {
    path: '/autonomous',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/TodoPage').then(m => (
        <m.TodoPage />
      )),
  },
});

export const autonomousPlugin = createFrontendPlugin({
  pluginId: 'autonomous',
  extensions: [page],
  routes: {
    root: rootRouteRef,
  }
});
