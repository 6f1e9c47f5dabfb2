import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { Server } from 'node:http';
import request from 'supertest';
import {
  entityFor,
  SandboxProjects,
  sandboxConfigData,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { upstreamWrites } from '../__testUtils__/upstreamWrites';
import { autonomousPlugin } from '../plugin';

jest.setTimeout(60_000);

const BASE = '/api/autonomous';
const owner = {
  Authorization: mockCredentials.user.header('user:default/owner'),
};

/** Another team's component whose annotations name storefront's application and job. */
function annotatedWith(
  name: string,
  annotations: Record<string, string>,
): Entity {
  const entity = entityFor(name);
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: { ...entity.metadata.annotations, ...annotations },
    },
    spec: { type: 'service', owner: 'group:default/other-team' },
  };
}

const INTRUDER = annotatedWith('intruder', {
  'argocd/app-name': 'storefront',
  'jenkins.io/job-full-name': 'shop/storefront',
});
/** Its own job, but storefront's application. */
const BORROWER = annotatedWith('borrower', {
  'argocd/app-name': 'storefront',
  'jenkins.io/job-full-name': 'shop/borrower',
});

const databases = createStoreTestDatabases();
let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject('storefront');
  await upstream.addProject('borrower');
});
afterAll(() => upstream.stop());

async function startBackend(knex: Knex, autonomous: object = {}) {
  const config = sandboxConfigData(upstream.sandbox.url);
  const { server } = await startTestBackend({
    features: [
      autonomousPlugin,
      mockServices.rootConfig.factory({
        data: {
          autonomous: {
            ...config.autonomous,
            // The API alone: what the routes refuse is never left for the orchestrator.
            orchestrator: { enabled: false },
            ...autonomous,
          },
        },
      }),
      mockServices.database.factory({ knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.permissions.mock({
        authorizeConditional: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any,
        authorize: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any,
      }).factory,
      catalogServiceMock.factory({
        entities: [entityFor('storefront'), INTRUDER, BORROWER],
      }),
    ],
  });
  return server as Server;
}

describe.each(databases.ids)(
  'upstream objects bound to their entity, API on %s',
  databaseId => {
    let knex: Knex;
    let server: Server;

    beforeAll(async () => {
      knex = await databases.migrated(databaseId);
      server = await startBackend(knex);
    });

    const project = (name: string) =>
      `${BASE}/projects/component/default/${name}`;
    const releasesOf = (name: string) =>
      knex('releases').where({ entity_ref: `component:default/${name}` });

    it("refuses with 403 a deploy of an entity annotated with another entity's job and application, writing nothing", async () => {
      const writes = upstreamWrites(upstream.sandbox);
      const res = await request(server)
        .post(`${project('intruder')}/releases`)
        .set(owner)
        .send({ environment: 'production' });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /does not claim component:default\/intruder/,
      );
      expect(await releasesOf('intruder')).toHaveLength(0);
      expect(upstreamWrites(upstream.sandbox)).toBe(writes);
    });

    it("refuses a deploy with its own job onto another entity's application, naming the fix", async () => {
      const res = await request(server)
        .post(`${project('borrower')}/releases`)
        .set(owner)
        .send({ environment: 'production' });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        "ArgoCD application storefront does not claim component:default/borrower (it claims component:default/storefront): add the annotation autonomous.dev/entity-ref: component:default/borrower to the Application, or map it to the entity's owner in autonomous.bindings",
      );
      expect(await releasesOf('borrower')).toHaveLength(0);
    });

    it("refuses sync, refresh and automated-sync changes of another entity's application, and its pods", async () => {
      const writes = upstreamWrites(upstream.sandbox);
      const env = `${project('intruder')}/environments/production`;
      for (const path of ['sync', 'refresh']) {
        const res = await request(server).post(`${env}/${path}`).set(owner);
        expect([path, res.status]).toEqual([path, 403]);
      }
      const automated = await request(server)
        .put(`${env}/automated-sync`)
        .set(owner)
        .send({ enabled: false });
      expect(automated.status).toBe(403);
      const pods = await request(server).get(`${env}/pods`).set(owner);
      expect(pods.status).toBe(403);
      expect(upstreamWrites(upstream.sandbox)).toBe(writes);
    });

    it('creates the release of the entity its job and application claim', async () => {
      const res = await request(server)
        .post(`${project('storefront')}/releases`)
        .set(owner)
        .send({ environment: 'production' });
      expect(res.status).toBe(201);
      expect(await releasesOf('storefront')).toHaveLength(1);
    });

    it("accepts what autonomous.bindings maps to the entity's owner", async () => {
      const mapped = await startBackend(knex, {
        bindings: [
          {
            owner: 'group:default/other-team',
            argocdApplications: ['storefront'],
            jenkinsJobs: ['shop/storefront'],
          },
        ],
      });
      const res = await request(mapped)
        .post(`${project('intruder')}/releases`)
        .set(owner)
        .send({ environment: 'production' });
      expect(res.status).toBe(201);
      expect(await releasesOf('intruder')).toHaveLength(1);
    });
  },
);
