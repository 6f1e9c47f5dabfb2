import {
  autonomousDeployPermission,
  autonomousLogsReadPermission,
  autonomousNotifyPermission,
  autonomousReadPermission,
  autonomousRollbackPermission,
  autonomousSyncPermission,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Permission } from '@backstage/plugin-permission-common';

/** One route of the plugin's API, with the permission it checks and its success status. */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT';
  /** The express path, relative to `/api/autonomous`. */
  path: string;
  permission: Permission;
  success: 200 | 201 | 202;
}

const PROJECT = '/projects/:kind/:namespace/:name';
const ENVIRONMENT = `${PROJECT}/environments/:env`;

/**
 * Every route the plugin serves except GET /health, in the order the routers register them.
 * The permission matrix compares this list with the routes on the running server's express
 * stack, so a route added to a router without being listed here fails that test.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  // routes/releases.ts
  {
    method: 'POST',
    path: `${PROJECT}/releases`,
    permission: autonomousDeployPermission,
    success: 201,
  },
  {
    method: 'POST',
    path: '/releases/:id/cancel',
    permission: autonomousDeployPermission,
    success: 200,
  },
  {
    method: 'POST',
    path: '/releases/:id/redeploy',
    permission: autonomousDeployPermission,
    success: 201,
  },
  {
    method: 'POST',
    path: '/releases/:id/rollback',
    permission: autonomousRollbackPermission,
    success: 201,
  },
  // routes/environments.ts
  {
    method: 'GET',
    path: `${PROJECT}/status`,
    permission: autonomousReadPermission,
    success: 200,
  },
  {
    method: 'POST',
    path: `${ENVIRONMENT}/sync`,
    permission: autonomousSyncPermission,
    success: 202,
  },
  {
    method: 'POST',
    path: `${ENVIRONMENT}/refresh`,
    permission: autonomousSyncPermission,
    success: 202,
  },
  {
    method: 'PUT',
    path: `${ENVIRONMENT}/automated-sync`,
    permission: autonomousSyncPermission,
    success: 200,
  },
  // routes/logs.ts
  {
    method: 'GET',
    path: '/releases/:id/build-log',
    permission: autonomousLogsReadPermission,
    success: 200,
  },
  {
    method: 'GET',
    path: '/releases/:id/build-log/stream',
    permission: autonomousLogsReadPermission,
    success: 200,
  },
  {
    method: 'GET',
    path: '/releases/:id/build-log/download',
    permission: autonomousLogsReadPermission,
    success: 200,
  },
  {
    method: 'GET',
    path: `${ENVIRONMENT}/pods`,
    permission: autonomousReadPermission,
    success: 200,
  },
  {
    method: 'GET',
    path: `${ENVIRONMENT}/pods/:pod/logs`,
    permission: autonomousLogsReadPermission,
    success: 200,
  },
  // routes/notifications.ts
  {
    method: 'POST',
    path: '/notifications/jenkins',
    permission: autonomousNotifyPermission,
    success: 202,
  },
  {
    method: 'POST',
    path: '/notifications/argocd',
    permission: autonomousNotifyPermission,
    success: 202,
  },
  // router.ts
  {
    method: 'GET',
    path: PROJECT,
    permission: autonomousReadPermission,
    success: 200,
  },
  {
    method: 'GET',
    path: `${PROJECT}/releases`,
    permission: autonomousReadPermission,
    success: 200,
  },
  {
    method: 'GET',
    path: '/releases/:id',
    permission: autonomousReadPermission,
    success: 200,
  },
];

export const routeName = (route: { method: string; path: string }) =>
  `${route.method} ${route.path}`;

/** Fills a route's path parameters: `fillPath('/releases/:id', { id })`. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:([a-z]+)/gi, (_, name: string) => {
    const value = params[name];
    if (value === undefined)
      throw new Error(`no value for :${name} in ${path}`);
    return value;
  });
}
