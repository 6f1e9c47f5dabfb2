import { AuditorServiceCreateEventOptions } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import knexFactory from 'knex';
import request from 'supertest';
import { entityFor } from '../__testUtils__/sandboxProject';
import { migrateTestDatabase } from '../database/migrations';
import { autonomousPlugin } from '../plugin';

jest.setTimeout(60_000);

const OWNER = 'user:default/owner';
const PROJECT = '/api/autonomous/projects/component/default/storefront';

describe("the portal's auditor", () => {
  it('hears of every release action with who, on what, and how it ended', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    await migrateTestDatabase(knex);
    const events: Array<{
      options: AuditorServiceCreateEventOptions;
      outcome?: string;
      meta?: object;
    }> = [];
    const auditor = mockServices.auditor.mock({
      createEvent: async options => {
        const event: (typeof events)[number] = { options };
        events.push(event);
        return {
          success: async ({ meta } = {}) => {
            event.outcome = 'succeeded';
            event.meta = meta;
          },
          fail: async ({ error }) => {
            event.outcome = `failed: ${error.message}`;
          },
        };
      },
    });
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
        auditor.factory,
      ],
    });
    const owner = { Authorization: mockCredentials.user.header(OWNER) };

    const created = await request(server)
      .post(`${PROJECT}/releases`)
      .set(owner)
      .send({ environment: 'production' })
      .expect(201);
    await request(server)
      .post(`${PROJECT}/releases`)
      .set(owner)
      .send({ environment: 'production' })
      .expect(409);

    expect(
      events.map(e => ({
        eventId: e.options.eventId,
        severityLevel: e.options.severityLevel,
        meta: e.options.meta,
        hasRequest: Boolean(e.options.request),
        outcome: e.outcome,
      })),
    ).toEqual([
      {
        eventId: 'release-create',
        severityLevel: 'medium',
        meta: { actor: OWNER, entityRef: 'component:default/storefront' },
        hasRequest: true,
        outcome: 'succeeded',
      },
      {
        eventId: 'release-create',
        severityLevel: 'medium',
        meta: { actor: OWNER, entityRef: 'component:default/storefront' },
        hasRequest: true,
        outcome: expect.stringMatching(
          /^failed: release .* is queued in production/,
        ),
      },
    ]);
    expect(events[0].meta).toEqual({ id: created.body.id });
    await knex.destroy();
  });
});
