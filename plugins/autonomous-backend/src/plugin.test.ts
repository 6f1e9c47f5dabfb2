import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { autonomousPlugin } from './plugin';
import { migrateTestDatabase } from './database/migrations';
import { DatabaseReleaseStore } from './database/ReleaseStore';

jest.setTimeout(60_000);

const OWNER = 'user:default/owner';
const STRANGER = 'user:default/stranger';

const storefront: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'storefront',
    namespace: 'default',
    annotations: {
      'autonomous.dev/project': 'monolith',
      'autonomous.dev/environments': 'staging,production',
      'autonomous.dev/domains': 'shop.example.com',
      'argocd/app-name': 'storefront',
      'github.com/project-slug': 'acme/storefront',
    },
  },
  spec: {
    type: 'website',
    owner: 'group:default/shop-team',
    lifecycle: 'production',
  },
};

const plain: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'docs', namespace: 'default' },
  spec: { type: 'documentation', owner: 'group:default/shop-team' },
};

async function startBackend() {
  const knex: Knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  await migrateTestDatabase(knex);
  // The owner may read; anyone else is denied. No credentials at all is a 401 before that.
  const decide = (credentials?: { principal: unknown }) =>
    (credentials?.principal as { userEntityRef?: string } | undefined)
      ?.userEntityRef === OWNER
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY;
  const permissions = mockServices.permissions.mock({
    authorizeConditional: async (requests, options) =>
      requests.map(() => ({ result: decide(options?.credentials) })) as any,
    authorize: async (requests, options) =>
      requests.map(() => ({ result: decide(options?.credentials) })) as any,
  });
  const { server } = await startTestBackend({
    features: [
      autonomousPlugin,
      // These tests write releases themselves: no orchestrator moves them meanwhile.
      mockServices.rootConfig.factory({
        data: { autonomous: { orchestrator: { enabled: false } } },
      }),
      mockServices.database.factory({ knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      permissions.factory,
      catalogServiceMock.factory({ entities: [storefront, plain] }),
    ],
  });
  return { server, knex, releases: new DatabaseReleaseStore(knex) };
}

const owner = { Authorization: mockCredentials.user.header(OWNER) };
const stranger = { Authorization: mockCredentials.user.header(STRANGER) };

describe('autonomous backend routes', () => {
  it('answers health without credentials', async () => {
    const { server } = await startBackend();
    const res = await request(server).get('/api/autonomous/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  describe('permission matrix', () => {
    const routes = [
      '/api/autonomous/projects/component/default/storefront',
      '/api/autonomous/projects/component/default/storefront/releases',
      '/api/autonomous/releases/:release',
    ];

    it.each(routes)(
      '%s: 401 without credentials, 403 without permission, 200 for the owner',
      async route => {
        const { server, releases } = await startBackend();
        const { id } = await releases.createRelease({
          entityRef: 'component:default/storefront',
          environment: 'production',
          version: '1.0.0',
          trigger: 'manual',
          requestedBy: OWNER,
        });
        const path = route.replace(':release', id);
        const none = await request(server).get(path);
        expect(none.status).toBe(401);
        const denied = await request(server).get(path).set(stranger);
        expect(denied.status).toBe(403);
        expect(denied.body.error.message).toContain(
          'you are not allowed autonomous.project.read on component:default/storefront',
        );
        await request(server).get(path).set(owner).expect(200);
      },
    );
  });

  it('returns the project from the entity annotations', async () => {
    const { server } = await startBackend();
    const res = await request(server)
      .get('/api/autonomous/projects/Component/default/storefront')
      .set(owner)
      .expect(200);
    expect(res.body).toMatchObject({
      entityRef: 'component:default/storefront',
      kind: 'monolith',
      repository: { provider: 'github', slug: 'acme/storefront' },
      upstreams: { argocdAppName: 'storefront' },
      environments: [
        { name: 'staging', namespace: 'storefront-staging', domains: [] },
        {
          name: 'production',
          namespace: 'storefront-production',
          domains: ['shop.example.com'],
        },
      ],
    });
  });

  it('says how to make an entity a project when it is not one', async () => {
    const { server } = await startBackend();
    const res = await request(server)
      .get('/api/autonomous/projects/component/default/docs')
      .set(owner);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'component:default/docs is not an Autonomous project: add the annotation autonomous.dev/project with the value monolith or microservice to its catalog-info.yaml',
    );
    const missing = await request(server)
      .get('/api/autonomous/projects/component/default/nowhere')
      .set(owner);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('is not in the catalog');
  });

  it('pages release history newest first through the route with stable cursors', async () => {
    const { server, releases } = await startBackend();
    for (let n = 1; n <= 5; n++) {
      await releases.createRelease({
        entityRef: 'component:default/storefront',
        environment: 'production',
        version: `1.0.${n}`,
        commitSha: 'c'.repeat(40),
        trigger: 'webhook',
        requestedBy: OWNER,
      });
    }
    const base =
      '/api/autonomous/projects/component/default/storefront/releases';
    const first = await request(server).get(`${base}?limit=2`).set(owner);
    expect(first.status).toBe(200);
    expect(first.body.items.map((r: any) => r.version)).toEqual([
      '1.0.5',
      '1.0.4',
    ]);
    const second = await request(server)
      .get(`${base}?limit=2&cursor=${first.body.nextCursor}`)
      .set(owner);
    expect(second.body.items.map((r: any) => r.version)).toEqual([
      '1.0.3',
      '1.0.2',
    ]);
    // The same cursor gives the same page however often it is asked.
    const again = await request(server)
      .get(`${base}?limit=2&cursor=${first.body.nextCursor}`)
      .set(owner);
    expect(again.body).toEqual(second.body);
    const last = await request(server)
      .get(`${base}?limit=2&cursor=${second.body.nextCursor}`)
      .set(owner);
    expect(last.body.items.map((r: any) => r.version)).toEqual(['1.0.1']);
    expect(last.body.nextCursor).toBeUndefined();
  });

  it.each([
    ['?limit=0', 'invalid query: limit: must be at least 1'],
    ['?limit=101', 'invalid query: limit: must be at most 100'],
    ['?limit=ten', 'invalid query: limit: must be a whole number'],
    ['?limit=2.5', 'invalid query: limit: must be a whole number'],
    ['?cursor=abc', 'cursor "abc" is not one this API returned'],
    ['?cursor=a&cursor=b', 'invalid query: cursor: must be given once'],
    ['?page=2', 'invalid query'],
  ])('rejects history query %s with a 400 that says why', async (qs, msg) => {
    const { server, knex } = await startBackend();
    const before = await knex('releases').count({ n: '*' });
    const res = await request(server)
      .get(
        `/api/autonomous/projects/component/default/storefront/releases${qs}`,
      )
      .set(owner);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(msg);
    expect(await knex('releases').count({ n: '*' })).toEqual(before);
  });

  it('rejects a bad entity ref and a bad release id with 400', async () => {
    const { server } = await startBackend();
    const badRef = await request(server)
      .get('/api/autonomous/projects/component/default/no%20spaces')
      .set(owner);
    expect(badRef.status).toBe(400);
    expect(badRef.body.error.message).toContain(
      'entity name "no spaces" is not valid',
    );
    const badId = await request(server)
      .get('/api/autonomous/releases/42')
      .set(owner);
    expect(badId.status).toBe(400);
    expect(badId.body.error.message).toContain('must be a release id');
  });

  it('returns one release with its events, and 404 for an unknown one', async () => {
    const { server, releases } = await startBackend();
    const { id } = await releases.createRelease({
      entityRef: 'component:default/storefront',
      environment: 'production',
      version: '2.0.0',
      trigger: 'manual',
      requestedBy: OWNER,
      reason: 'first launch',
    });
    await releases.transition(id, 'building', 'Jenkins build #1 started');
    const res = await request(server)
      .get(`/api/autonomous/releases/${id}`)
      .set(owner)
      .expect(200);
    expect(res.body).toMatchObject({
      id,
      status: 'building',
      version: '2.0.0',
    });
    expect(res.body.events.map((e: any) => e.message)).toEqual([
      'Queued by user:default/owner: first launch',
      'Jenkins build #1 started',
    ]);
    await request(server)
      .get('/api/autonomous/releases/6f1c1b8e-59a6-4a34-9d43-2b7a0c4b8e11')
      .set(owner)
      .expect(404);
  });
});
