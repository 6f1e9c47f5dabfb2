import { autonomousPermissions } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Permission } from '@backstage/plugin-permission-common';
import { servedApiOperations } from './apiDocument';

/** One route of the plugin's API, with the permission it checks and its success status. */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The express path, relative to `/api/autonomous`. */
  path: string;
  permission: Permission;
  success: 200 | 201 | 202 | 204;
}

const PERMISSIONS = new Map<string, Permission>(
  autonomousPermissions.map(p => [p.name, p]),
);

/**
 * Every route the plugin serves except GET /health, read from `src/schema/openapi.yaml` with
 * the permission each names. The permission matrix compares this list with the routes on the
 * running server's express stack, so a route added to a router but not to the document, or
 * to the document but not to a router, fails that test.
 */
export const API_ROUTES: readonly ApiRoute[] = servedApiOperations()
  .filter(op => op.permission !== 'none')
  .map(op => {
    const permission = PERMISSIONS.get(op.permission);
    if (!permission) {
      throw new Error(
        `openapi.yaml: ${op.method} ${op.path} names ${op.permission}, which is not in autonomousPermissions`,
      );
    }
    return {
      method: op.method as ApiRoute['method'],
      path: op.expressPath,
      permission,
      success: op.success as ApiRoute['success'],
    };
  });

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
