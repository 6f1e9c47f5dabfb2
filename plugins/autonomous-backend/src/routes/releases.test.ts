import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { entityFor } from '../__testUtils__/sandboxProject';
import { migrateTestDatabase } from '../database/migrations';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { autonomousPlugin } from '../plugin';

jest.setTimeout(60_000);

const OWNER = 'user:default/owner';
const owner = { Authorization: mockCredentials.user.header(OWNER) };
const BASE = '/api/autonomous';
const PROJECT = `${BASE}/projects/component/default/storefront`;

async function startBackend() {
  const knex: Knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  await migrateTestDatabase(knex);
  const { server } = await startTestBackend({
    features: [
      autonomousPlugin,
      mockServices.rootConfig.factory({
        // The API alone: releases stay where the routes put them.
        data: { autonomous: { orchestrator: { enabled: false } } },
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
      catalogServiceMock.factory({ entities: [entityFor('storefront')] }),
    ],
  });
  return { server, knex, releases: new DatabaseReleaseStore(knex) };
}

describe('release actions', () => {
  it('creates a queued release for the environment branch, who and why recorded', async () => {
    const { server, knex } = await startBackend();
    const res = await request(server)
      .post(`${PROJECT}/releases`)
      .set(owner)
      .send({ environment: 'production', reason: 'first deploy' })
      .expect(201);
    expect(res.body).toMatchObject({
      status: 'queued',
      environment: 'production',
      ref: 'main',
      trigger: 'api',
      requestedBy: OWNER,
      reason: 'first deploy',
      buildJob: 'shop/storefront',
      argocdApplication: 'storefront',
    });
    // Named by the branch and the project's release number, not by the release id.
    expect(res.body).toMatchObject({ number: 1, version: 'main-1' });
    const audit = await knex('audit_events').select();
    expect(audit).toEqual([
      expect.objectContaining({
        actor: OWNER,
        action: 'release.create',
        target: res.body.id,
        outcome: 'succeeded',
      }),
    ]);
  });

  it('refuses a second release in flight with 409 naming it, unless asked to queue or supersede', async () => {
    const { server, releases } = await startBackend();
    const first = await request(server)
      .post(`${PROJECT}/releases`)
      .set(owner)
      .send({ environment: 'production', commitSha: 'abcdef1234567' })
      .expect(201);
    const refused = await request(server)
      .post(`${PROJECT}/releases`)
      .set(owner)
      .send({ environment: 'production', ref: 'main' })
      .expect(409);
    expect(refused.body.error.message).toContain(first.body.id);
    expect(refused.body.error.message).toContain('onConflict "queue"');

    const queued = await request(server)
      .post(`${PROJECT}/releases`)
      .set(owner)
      .send({ environment: 'production', ref: 'main', onConflict: 'queue' })
      .expect(201);
    expect((await releases.getRelease(first.body.id))!.status).toBe('queued');

    const superseding = await request(server)
      .post(`${PROJECT}/releases`)
      .set(owner)
      .send({
        environment: 'production',
        ref: 'hotfix',
        onConflict: 'supersede',
      })
      .expect(201);
    for (const old of [first.body.id, queued.body.id]) {
      const withEvents = await releases.getReleaseWithEvents(old);
      expect(withEvents!.status).toBe('cancelled');
      expect(withEvents!.events.at(-1)!.message).toContain(
        `Superseded by release ${superseding.body.version}`,
      );
    }
  });

  it('cancels a release in flight once, then says it is finished', async () => {
    const { server } = await startBackend();
    const { body } = await request(server)
      .post(`${PROJECT}/releases`)
      .set(owner)
      .send({ environment: 'production' })
      .expect(201);
    const cancelled = await request(server)
      .post(`${BASE}/releases/${body.id}/cancel`)
      .set(owner)
      .send({ reason: 'wrong branch' })
      .expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    const again = await request(server)
      .post(`${BASE}/releases/${body.id}/cancel`)
      .set(owner)
      .send({})
      .expect(409);
    expect(again.body.error.message).toContain(
      'is cancelled and cannot be cancelled',
    );
  });

  it('redeploys and rolls back by image only, and says why not otherwise', async () => {
    const { server, releases } = await startBackend();
    const imageRef = `harbor.example.com/shop/storefront@sha256:${'a'.repeat(
      64,
    )}`;
    const good = await releases.createRelease({
      entityRef: 'component:default/storefront',
      environment: 'production',
      version: 'v1',
      trigger: 'api',
      requestedBy: OWNER,
      imageRef,
    });
    const noImage = await request(server)
      .post(`${PROJECT}/releases`)
      .set(owner)
      .send({ environment: 'production', onConflict: 'queue' })
      .expect(201);
    const refusedRedeploy = await request(server)
      .post(`${BASE}/releases/${noImage.body.id}/redeploy`)
      .set(owner)
      .send({})
      .expect(409);
    expect(refusedRedeploy.body.error.message).toContain('has no image yet');

    const refusedRollback = await request(server)
      .post(`${BASE}/releases/${good.id}/rollback`)
      .set(owner)
      .send({})
      .expect(409);
    expect(refusedRollback.body.error.message).toContain(
      'only a healthy release can be rolled back to',
    );

    for (const to of [
      'building',
      'built',
      'syncing',
      'progressing',
      'healthy',
    ] as const) {
      await releases.transition(good.id, to, 'test');
    }
    const redeploy = await request(server)
      .post(`${BASE}/releases/${good.id}/redeploy`)
      .set(owner)
      .send({ onConflict: 'queue' })
      .expect(201);
    expect(redeploy.body).toMatchObject({
      trigger: 'redeploy',
      imageRef,
      version: 'v1',
      sourceReleaseId: good.id,
    });
    const rollback = await request(server)
      .post(`${BASE}/releases/${good.id}/rollback`)
      .set(owner)
      .send({ reason: 'checkout broken' })
      .expect(201);
    expect(rollback.body).toMatchObject({
      trigger: 'rollback',
      imageRef,
      reason: 'checkout broken',
    });
    // A rollback supersedes what was in flight.
    expect((await releases.getRelease(redeploy.body.id))!.status).toBe(
      'cancelled',
    );
  });

  it('names the field and the fix for bad input, and writes nothing', async () => {
    const { server, knex } = await startBackend();
    const cases: Array<[unknown, string]> = [
      [
        { environment: 'qa' },
        'environment "qa" is not one of component:default/storefront',
      ],
      [
        { environment: 'production', commitSha: 'xyz' },
        'commitSha: must be 7 to 40 hexadecimal characters',
      ],
      [
        { environment: 'production', ref: 'a b' },
        'ref: is not a branch or tag name git and Jenkins accept',
      ],
      [
        { environment: 'production', onConflict: 'maybe' },
        'onConflict: must be one of reject, queue, supersede',
      ],
      [{ environment: 'production', colour: 'blue' }, 'colour'],
      [{}, 'environment'],
    ];
    for (const [body, message] of cases) {
      const res = await request(server)
        .post(`${PROJECT}/releases`)
        .set(owner)
        .send(body as object)
        .expect(400);
      expect(res.body.error.message).toContain(message);
    }
    expect(await knex('releases').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await knex('audit_events').count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
