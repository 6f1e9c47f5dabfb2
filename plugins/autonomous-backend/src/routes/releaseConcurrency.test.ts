import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { entityFor } from '../__testUtils__/sandboxProject';
import { startAutonomousTestBackend } from '../__testUtils__/testBackend';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();
const owner = {
  Authorization: mockCredentials.user.header('user:default/owner'),
};

describe.each(databases.ids)('concurrent deploys on %s', databaseId => {
  it('accepts exactly one of 50 simultaneous creates with onConflict reject', async () => {
    const knex = await databases.migrated(databaseId);
    const server = await startAutonomousTestBackend({
      knex,
      // The API alone: releases stay where the routes put them.
      config: { autonomous: { orchestrator: { enabled: false } } },
      entities: [entityFor('storefront')],
      policy: { allows: () => true },
    });

    // What a double-clicked Deploy button or two webhooks on one repository send.
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        request(server)
          .post(
            '/api/autonomous/projects/component/default/storefront/releases',
          )
          .set(owner)
          .send({
            environment: 'production',
            reason: `click ${n}`,
            onConflict: 'reject',
          }),
      ),
    );

    const statuses = answers.map(a => a.status);
    expect(statuses.filter(s => s === 201)).toHaveLength(1);
    expect(statuses.filter(s => s === 409)).toHaveLength(49);
    const rows = await knex('releases').where({
      entity_ref: 'component:default/storefront',
      environment: 'production',
    });
    expect(rows).toHaveLength(1);
    const winner = answers.find(a => a.status === 201)!.body;
    expect(rows[0].id).toBe(winner.id);
    // Every refusal names the release that won, so a caller knows what to wait for.
    for (const refused of answers.filter(a => a.status === 409)) {
      expect(refused.body.error.message).toContain(winner.id);
    }
  });
});
