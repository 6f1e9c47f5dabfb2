import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import request from 'supertest';
import { entityFor } from '../__testUtils__/sandboxProject';
import { principalName } from '../__testUtils__/testBackend';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { autonomousPlugin } from '../plugin';

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();
const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});
/** Reads storefront only (decided per entity, as the catalog's ownership rule does). */
const JANE = 'user:default/jane';
const OWNER = 'user:default/owner';
const project = (name: string) =>
  `/api/autonomous/projects/component/default/${name}`;

describe.each(databases.ids)('listing signals on %s', databaseId => {
  it('tell a user who listed projects of the changes to those they may read, and only those', async () => {
    const knex = await databases.migrated(databaseId);
    const published: SignalPayload[] = [];
    const { server } = await startTestBackend({
      features: [
        autonomousPlugin,
        mockServices.rootConfig.factory({
          data: { autonomous: { orchestrator: { enabled: false } } },
        }),
        mockServices.database.factory({ knex }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.permissions.mock({
          authorize: async (requests, options) =>
            requests.map(r => ({
              result:
                principalName(options?.credentials) !== JANE ||
                (r as { resourceRef?: string }).resourceRef ===
                  'component:default/storefront'
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
            })),
          authorizeConditional: async (requests, options) =>
            requests.map(() =>
              principalName(options?.credentials) === JANE
                ? {
                    result: AuthorizeResult.CONDITIONAL,
                    pluginId: 'catalog',
                    resourceType: 'catalog-entity',
                    conditions: {
                      rule: 'IS_ENTITY_OWNER',
                      resourceType: 'catalog-entity',
                      params: { claims: [JANE] },
                    },
                  }
                : { result: AuthorizeResult.ALLOW },
            ) as any,
        }).factory,
        catalogServiceMock.factory({
          entities: [entityFor('storefront'), entityFor('checkout')],
        }),
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => ({
            publish: async (payload: SignalPayload) => {
              published.push(payload);
            },
          }),
        }),
      ],
    });

    const listing = await request(server)
      .get('/api/autonomous/index/projects')
      .set(as(JANE))
      .expect(200);
    expect(
      listing.body.items.map((i: { entityRef: string }) => i.entityRef),
    ).toEqual(['component:default/storefront']);

    for (const name of ['checkout', 'storefront']) {
      await request(server)
        .post(`${project(name)}/releases`)
        .set(as(OWNER))
        .send({ environment: 'production' })
        .expect(201);
    }
    for (let i = 0; i < 100 && !published.length; i++) {
      await new Promise(r => setTimeout(r, 20));
    }
    await new Promise(r => setTimeout(r, 200));

    // The owner posted but never read: no reader of checkout, so nothing about it.
    expect(published).toEqual([
      {
        channel: 'autonomous:releases:component:default/storefront',
        recipients: { type: 'user', entityRef: [JANE] },
        message: {},
      },
    ]);
  });
});
