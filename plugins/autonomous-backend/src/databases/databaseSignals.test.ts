import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/config';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import request from 'supertest';
import {
  databaseEntity,
  databaseTestConfig,
} from '../__testUtils__/databaseEntities';
import {
  SandboxProjects,
  sandboxConfig,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { startAutonomousTestBackend } from '../__testUtils__/testBackend';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();
const READER = 'user:default/reader';
const STRANGER = 'user:default/stranger';
const OWNER = 'user:default/owner';
const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});
let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
});
afterAll(() => upstream?.stop());

describe.each(databases.ids)('database signals on %s', databaseId => {
  it("reach the entity's readers on its databases channel, naming the instance", async () => {
    const knex = await databases.migrated(databaseId);
    const published: SignalPayload[] = [];
    const config = sandboxConfig(upstream.sandbox.url).get() as JsonObject;
    const server = await startAutonomousTestBackend({
      knex,
      config: {
        ...config,
        autonomous: {
          ...(config.autonomous as JsonObject),
          ...databaseTestConfig(),
        },
      },
      entities: [databaseEntity('signal-db', { engine: 'redis' })],
      policy: { allows: who => who !== STRANGER },
      features: [
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
    const list =
      '/api/autonomous/databases?entityRef=resource:default/signal-db';
    await request(server).get(list).set(as(READER)).expect(200);
    await request(server).get(list).set(as(STRANGER)).expect(403);
    const accepted = await request(server)
      .post('/api/autonomous/databases')
      .set(as(OWNER))
      .send({
        entityRef: 'resource:default/signal-db',
        name: `signal-${databaseId.toLowerCase().slice(0, 5)}`,
      })
      .expect(202);
    const deadline = Date.now() + 60_000;
    while (
      (
        await request(server)
          .get(`/api/autonomous/databases/${accepted.body.id}`)
          .set(as(READER))
      ).body.status !== 'ready'
    ) {
      if (Date.now() > deadline) throw new Error('not ready in 60 s');
      await new Promise(r => setTimeout(r, 50));
    }
    await new Promise(r => setTimeout(r, 200));
    expect(published.length).toBeGreaterThan(3);
    for (const signal of published) {
      expect(signal).toEqual({
        recipients: { type: 'user', entityRef: [READER] },
        channel: 'autonomous:databases:resource:default/signal-db',
        message: { type: 'database', databaseId: accepted.body.id },
      });
    }
  });
});
