import {
  BackstageCredentials,
  BackstagePrincipalTypes,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { Server } from 'node:http';
import { autonomousPlugin } from '../plugin';

/**
 * A permission policy for tests, decided per caller and per permission name:
 * `allows('user:default/jane', 'autonomous.release.rollback', 'component:default/shop')`.
 */
export interface TestPolicy {
  /** Whether `who` may use `permission`; `resourceRef` is absent for the broad question. */
  allows(who: string, permission: string, resourceRef?: string): boolean;
  /**
   * Callers whose answer depends on the entity (like the catalog's IS_ENTITY_OWNER rule): the
   * broad question gets CONDITIONAL and the plugin must ask again with the entity.
   */
  dependsOnEntity?(who: string, permission: string): boolean;
}

/** `user:default/jane` for users, `service:<subject>` for services, `none` otherwise. */
export function principalName(credentials?: BackstageCredentials): string {
  const principal = credentials?.principal as
    | BackstagePrincipalTypes['user']
    | BackstagePrincipalTypes['service']
    | undefined;
  if (principal?.type === 'user') return principal.userEntityRef;
  if (principal?.type === 'service') return `service:${principal.subject}`;
  return 'none';
}

function permissionsMock(policy: TestPolicy) {
  return mockServices.permissions.mock({
    authorizeConditional: async (requests, options) =>
      requests.map(({ permission }): PolicyDecision => {
        const who = principalName(options?.credentials);
        if (policy.dependsOnEntity?.(who, permission.name)) {
          return {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'catalog',
            resourceType: 'catalog-entity',
            conditions: {
              rule: 'IS_ENTITY_OWNER',
              resourceType: 'catalog-entity',
              params: { claims: [who] },
            },
          };
        }
        return {
          result: policy.allows(who, permission.name)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
        };
      }) as any,
    authorize: async (requests, options) =>
      requests.map(request => ({
        result: policy.allows(
          principalName(options?.credentials),
          request.permission.name,
          'resourceRef' in request ? request.resourceRef : undefined,
        )
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      })),
  });
}

export interface AutonomousTestBackendOptions {
  /** Migrated already; the test keeps its own handle to read and write the plugin's tables. */
  knex: Knex;
  config: JsonObject;
  entities: Entity[];
  policy: TestPolicy;
  /** More service factories, e.g. a root logger that keeps what is logged. */
  features?: Parameters<typeof startTestBackend>[0]['features'];
}

/** The real plugin in a test backend: its database, config, catalog and policy are the test's. */
export async function startAutonomousTestBackend(
  options: AutonomousTestBackendOptions,
): Promise<Server> {
  const { server } = await startTestBackend({
    features: [
      autonomousPlugin,
      mockServices.rootConfig.factory({ data: options.config }),
      mockServices.database.factory({ knex: options.knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      permissionsMock(options.policy).factory,
      catalogServiceMock.factory({ entities: options.entities }),
      ...(options.features ?? []),
    ],
  });
  return server;
}

/** One route as express holds it: `GET /releases/:id`. */
export interface ServedRoute {
  method: string;
  path: string;
}

type Layer = {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
};

/**
 * Every route registered on the server's express routers, read from their stacks, so a test
 * notices a route that was added without being listed. The framework's own routes are left
 * out: `/.backstage/…` (auth, health) and `/.well-known/backstage/…` (the permission
 * integration router that permissionsRegistry adds to every plugin).
 */
export function servedRoutes(server: Server): ServedRoute[] {
  const found: ServedRoute[] = [];
  const visit = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') {
            found.push({
              method: method.toUpperCase(),
              path: layer.route.path,
            });
          }
        }
      } else if (layer.handle?.stack) {
        visit(layer.handle.stack);
      }
    }
  };
  for (const listener of server.listeners('request')) {
    const app = listener as unknown as { _router?: { stack: Layer[] } };
    if (app._router) visit(app._router.stack);
  }
  return found.filter(
    r =>
      !r.path.startsWith('/.backstage/') &&
      !r.path.startsWith('/.well-known/backstage/'),
  );
}
