// The collators are tested against the real Autonomous backend, which a module never imports.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import autonomousPlugin from '@autonomous-dev/backstage-plugin-autonomous-backend';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import searchPlugin from '@backstage/plugin-search-backend';
import { randomUUID } from 'node:crypto';
import { Server } from 'node:http';
import request from 'supertest';
import { searchModuleAutonomousCollator } from './module';

jest.setTimeout(60_000);

/*
 * The whole path a user meets: the real search backend (its default in-memory engine) indexes
 * the module's documents from the real Autonomous backend, and answers a query with only the
 * documents of entities the permission policy lets the user read.
 */

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const OUTSIDER = 'user:default/outsider';
const MEMBER = 'user:default/member';

/** The outsider may not read the payments entities (decided per entity); the rest may. */
const permissions = mockServices.permissions.mock({
  authorizeConditional: async (requests, options) =>
    requests.map(() => {
      const principal = options?.credentials.principal as any;
      return principal?.userEntityRef === OUTSIDER
        ? ({
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'catalog',
            resourceType: 'catalog-entity',
            conditions: {
              rule: 'IS_ENTITY_OWNER',
              resourceType: 'catalog-entity',
              params: { claims: [OUTSIDER] },
            },
          } as any)
        : { result: AuthorizeResult.ALLOW };
    }),
  authorize: async (requests, options) =>
    requests.map(r => {
      const principal = options?.credentials.principal as any;
      const ref = 'resourceRef' in r ? String(r.resourceRef) : '';
      return {
        result:
          principal?.userEntityRef === OUTSIDER && ref.includes('payments')
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      };
    }),
});

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'autonomous.dev/project': 'microservice' },
  },
  spec: { type: 'service', owner: `group:default/${name}-team` },
});

describe.each(databases.eachSupportedId())(
  'portal search on %s',
  databaseId => {
    let server: Server;
    // The mock scheduler runs a task when told to: here, each collator once the backend is up.
    const scheduler = mockServices.scheduler() as ReturnType<
      typeof mockServices.scheduler
    > & {
      factory(options: object): any;
      triggerTask(id: string): Promise<void>;
    };

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@autonomous-dev/backstage-plugin-autonomous-backend',
          'migrations',
        ),
      });
      const now = new Date();
      for (const name of ['storefront', 'payments-api']) {
        await knex('releases').insert({
          id: randomUUID(),
          entity_ref: `component:default/${name}`,
          environment: 'production',
          version: `${name}-1.0.0`,
          trigger: 'api',
          requested_by: MEMBER,
          status: 'healthy',
          created_at: now,
          updated_at: now,
        });
      }
      ({ server } = await startTestBackend({
        features: [
          searchPlugin,
          searchModuleAutonomousCollator,
          autonomousPlugin,
          permissions.factory,
          mockServices.database.factory({ knex }),
          scheduler.factory({ skipTaskRunOnStartup: true }),
          catalogServiceMock.factory({
            entities: [component('storefront'), component('payments-api')],
          }),
          mockServices.rootConfig.factory({
            data: {
              autonomous: { orchestrator: { enabled: false } },
              // The search backend filters results by permission only when this is on.
              permission: { enabled: true },
            },
          }),
        ],
      }));
      for (const type of ['project', 'release', 'database']) {
        await scheduler.triggerTask(`search_index_autonomous_${type}`);
      }
    });

    async function found(who: string, term: string): Promise<string[]> {
      const res = await request(server)
        .get('/api/search/query')
        .query({ term })
        .set('Authorization', mockCredentials.user.header(who));
      expect(res.status).toBe(200);
      return res.body.results.map(
        (r: any) => `${r.type} ${r.document.entityRef}`,
      );
    }

    it('finds a project and its release for a user who may read it', async () => {
      expect((await found(MEMBER, 'payments')).sort()).toEqual([
        'autonomous-project component:default/payments-api',
        'autonomous-release component:default/payments-api',
      ]);
    });

    it('finds nothing of the payments entities for a user who may not read them', async () => {
      expect(await found(OUTSIDER, 'payments')).toEqual([]);
      expect((await found(OUTSIDER, 'storefront')).sort()).toEqual([
        'autonomous-project component:default/storefront',
        'autonomous-release component:default/storefront',
      ]);
    });
  },
);
