import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import { Server } from 'node:http';
import request from 'supertest';
import { entityFor } from '../__testUtils__/sandboxProject';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { autonomousPlugin } from '../plugin';

jest.setTimeout(60_000);

const BASE = '/api/autonomous';
const TOKENS = {
  storefrontPipeline: 'ci-storefront-0123456789abcdef',
  checkoutPipeline: 'ci-checkout-0123456789abcdef',
  shopPipeline: 'ci-shop-0123456789abcdef',
};

function ownedBy(entity: Entity, owner: string): Entity {
  return { ...entity, spec: { ...entity.spec, owner } };
}

const ENTITIES = [
  entityFor('storefront'),
  entityFor('checkout'),
  ownedBy(entityFor('payments'), 'group:default/payments'),
];

/**
 * The catalog as its client behaves: every read forwards the caller's credentials to the
 * catalog plugin, which Backstage refuses for a token whose restrictions leave it out.
 */
const forwardingCatalog = createServiceFactory({
  service: catalogServiceRef,
  deps: { auth: coreServices.auth },
  factory({ auth }) {
    const catalog = catalogServiceMock({ entities: ENTITIES });
    const read = catalog.getEntityByRef.bind(catalog);
    catalog.getEntityByRef = async (ref, options) => {
      if (!options || !('credentials' in options)) {
        throw new Error('the catalog is read with credentials');
      }
      await auth.getPluginRequestToken({
        onBehalfOf: options.credentials,
        targetPluginId: 'catalog',
      });
      return read(ref, options);
    };
    return catalog;
  },
});

const databases = createStoreTestDatabases();

describe.each(databases.ids)(
  'a static token restricted to the autonomous plugin, on %s',
  databaseId => {
    let knex: Knex;
    let server: Server;

    beforeAll(async () => {
      knex = await databases.migrated(databaseId);
      const onlyAutonomous = [{ plugin: 'autonomous' }];
      const token = (value: string, subject: string) => ({
        type: 'static',
        options: { token: value, subject },
        accessRestrictions: onlyAutonomous,
      });
      ({ server } = await startTestBackend({
        features: [
          autonomousPlugin,
          mockServices.rootConfig.factory({
            data: {
              backend: {
                auth: {
                  externalAccess: [
                    token(TOKENS.storefrontPipeline, 'storefront-pipeline'),
                    token(TOKENS.checkoutPipeline, 'checkout-pipeline'),
                    token(TOKENS.shopPipeline, 'shop-pipeline'),
                  ],
                },
              },
              permission: { enabled: true },
              autonomous: {
                orchestrator: { enabled: false },
                serviceTokens: [
                  {
                    subject: 'storefront-pipeline',
                    entities: ['component:default/storefront'],
                  },
                  { subject: 'checkout-pipeline', entities: ['checkout'] },
                  { subject: 'shop-pipeline', owners: ['group:default/shop'] },
                ],
              },
            },
          }),
          mockServices.database.factory({ knex }),
          authServiceFactory,
          httpAuthServiceFactory,
          permissionsServiceFactory,
          forwardingCatalog,
        ],
      }));
    });

    const deploy = (name: string, token: string) =>
      request(server)
        .post(`${BASE}/projects/component/default/${name}/releases`)
        .set('Authorization', `Bearer ${token}`)
        .send({ environment: 'production', reason: 'pipeline deploy' });

    async function releasesOf(name: string) {
      return knex('releases').where({
        entity_ref: `component:default/${name}`,
      });
    }

    it('deploys an entity it may act on, without any catalog access of its own', async () => {
      const res = await deploy('storefront', TOKENS.storefrontPipeline);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/storefront',
        status: 'queued',
        requestedBy: 'service:storefront-pipeline',
      });
      expect(await releasesOf('storefront')).toHaveLength(1);
      const project = await request(server)
        .get(`${BASE}/projects/component/default/storefront`)
        .set('Authorization', `Bearer ${TOKENS.storefrontPipeline}`);
      expect(project.status).toBe(200);
    });

    it('gets a 403 for an entity config does not give it, and nothing is written', async () => {
      const res = await deploy('storefront', TOKENS.checkoutPipeline);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'service checkout-pipeline may not act on component:default/storefront: autonomous.serviceTokens limits it to the entities component:default/checkout; add the entity or its owner there to allow it',
      );
      expect(await releasesOf('storefront')).toHaveLength(1);
      const audit = await knex('audit_events').where({
        actor: 'service:checkout-pipeline',
      });
      expect(audit).toEqual([]);
      // The entity it is given, it deploys.
      expect((await deploy('checkout', TOKENS.checkoutPipeline)).status).toBe(
        201,
      );
    });

    it('limited to an owner, acts on that owner’s entities only', async () => {
      const refused = await deploy('payments', TOKENS.shopPipeline);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toBe(
        'service shop-pipeline may not act on component:default/payments: autonomous.serviceTokens limits it to entities owned by group:default/shop; add the entity or its owner there to allow it',
      );
      expect(await releasesOf('payments')).toHaveLength(0);
      const history = await request(server)
        .get(`${BASE}/projects/component/default/payments/releases`)
        .set('Authorization', `Bearer ${TOKENS.shopPipeline}`);
      expect(history.status).toBe(403);

      const res = await request(server)
        .get(`${BASE}/projects/component/default/storefront/releases`)
        .set('Authorization', `Bearer ${TOKENS.shopPipeline}`);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
    });
  },
);
