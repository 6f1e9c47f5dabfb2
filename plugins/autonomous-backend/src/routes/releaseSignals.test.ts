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
const READER = 'user:default/reader';
const STRANGER = 'user:default/stranger';
const OWNER = 'user:default/owner';
const GUEST = 'user:default/guest';
const PROJECT = '/api/autonomous/projects/component/default/storefront';

describe.each(databases.ids)('release signals on %s', databaseId => {
  it('reach only users who read the entity, on its own channel, and say nothing', async () => {
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
            requests.map(() => ({
              result:
                principalName(options?.credentials) === STRANGER
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
          authorizeConditional: async (requests, options) =>
            requests.map(() => ({
              result:
                principalName(options?.credentials) === STRANGER
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })) as any,
        }).factory,
        catalogServiceMock.factory({ entities: [entityFor('storefront')] }),
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

    await request(server)
      .get(`${PROJECT}/releases`)
      .set(as(READER))
      .expect(200);
    await request(server)
      .get(`${PROJECT}/releases`)
      .set(as(STRANGER))
      .expect(403);
    // Every WebSocket without a token is this user to the signals backend.
    await request(server).get(`${PROJECT}/releases`).set(as(GUEST)).expect(200);

    await request(server)
      .post(`${PROJECT}/releases`)
      .set(as(OWNER))
      .send({ environment: 'production' })
      .expect(201);
    for (let i = 0; i < 100 && !published.length; i++) {
      await new Promise(r => setTimeout(r, 20));
    }

    expect(published).toEqual([
      {
        channel: 'autonomous:releases:component:default/storefront',
        recipients: { type: 'user', entityRef: [READER] },
        message: {},
      },
    ]);
  });

  it('announces nothing while nobody has read the entity', async () => {
    const knex = await databases.migrated(databaseId);
    const published: SignalPayload[] = [];
    const { server } = await startTestBackend({
      features: [
        autonomousPlugin,
        mockServices.rootConfig.factory({
          data: { autonomous: { orchestrator: { enabled: false } } },
        }),
        mockServices.database.factory({ knex }),
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
          authorizeConditional: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any,
        }).factory,
        catalogServiceMock.factory({ entities: [entityFor('storefront')] }),
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
    await request(server)
      .post(`${PROJECT}/releases`)
      .set(as(OWNER))
      .send({ environment: 'production' })
      .expect(201);
    await new Promise(r => setTimeout(r, 300));
    expect(published).toEqual([]);
  });
});
