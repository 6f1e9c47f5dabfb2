// The collators are tested against the real Autonomous backend, which a module never imports.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import autonomousPlugin from '@autonomous-dev/backstage-plugin-autonomous-backend';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DocumentCollatorFactory,
  IndexableDocument,
} from '@backstage/plugin-search-common';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import defaultExport, { searchModuleAutonomousCollator } from './index';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const project = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    description: `The ${name} service`,
    annotations: {
      'autonomous.dev/project': 'microservice',
      'autonomous.dev/environments': 'production,staging',
    },
  },
  spec: {
    type: 'service',
    owner: `group:default/${name}-team`,
    lifecycle: 'production',
  },
});
const ENTITIES: Entity[] = [
  project('storefront'),
  project('payments'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'payments-db', namespace: 'default' },
    spec: { type: 'database', owner: 'group:default/payments-team' },
  },
];

let clock = Date.parse('2026-12-01T00:00:00Z');
async function insertRelease(
  knex: Knex,
  entityRef: string,
  version: string,
  status = 'healthy',
  environment = 'production',
): Promise<string> {
  const id = randomUUID();
  const at = new Date((clock += 1000));
  await knex('releases').insert({
    id,
    entity_ref: entityRef,
    environment,
    version,
    trigger: 'api',
    requested_by: 'user:default/jane',
    status,
    commit_message: `ship ${version}`,
    created_at: at,
    updated_at: at,
  });
  return id;
}

async function collect(factory: DocumentCollatorFactory) {
  const documents: Array<IndexableDocument & Record<string, any>> = [];
  for await (const document of await factory.getCollator()) {
    documents.push(document);
  }
  return documents;
}

describe.each(databases.eachSupportedId())(
  'the collators on %s',
  databaseId => {
    let knex: Knex;
    let factories: Map<string, DocumentCollatorFactory>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const added: DocumentCollatorFactory[] = [];
      await startTestBackend({
        extensionPoints: [
          [
            searchIndexRegistryExtensionPoint,
            {
              addCollator: ({ factory }: any) => added.push(factory),
              addDecorator: () => {},
            },
          ],
        ],
        features: [
          autonomousPlugin,
          searchModuleAutonomousCollator,
          mockServices.database.factory({ knex }),
          catalogServiceMock.factory({ entities: ENTITIES }),
          mockServices.rootConfig.factory({
            data: {
              autonomous: { orchestrator: { enabled: false } },
              search: {
                collators: {
                  autonomous: {
                    schedule: {
                      frequency: { minutes: 5 },
                      timeout: { minutes: 10 },
                    },
                    // Small pages, so every collator reads more than one.
                    pageSize: 2,
                    releases: { perProject: 3 },
                  },
                },
              },
            },
          }),
        ],
      });
      factories = new Map(added.map(f => [f.type, f]));
      // The plugin has migrated its tables by now; what the orchestrator would have written:
      for (let i = 1; i <= 7; i++) {
        await insertRelease(knex, 'component:default/storefront', `1.${i}.0`);
        await insertRelease(knex, 'component:default/payments', `2.${i}.0`);
      }
      const now = new Date();
      await knex('database_instances').insert({
        id: randomUUID(),
        entity_ref: 'resource:default/payments-db',
        name: 'payments',
        engine: 'postgresql',
        version: '16',
        mode: 'single',
        environment: 'production',
        namespace: 'db-payments',
        storage_gi: 1,
        status: 'ready',
        credentials_path: 'autonomous/databases/payments',
        created_by: 'user:default/jane',
        created_at: now,
        updated_at: now,
      });
    });

    it('is the default export and registers the three document types, visible by catalog entity read', () => {
      expect(defaultExport).toBe(searchModuleAutonomousCollator);
      expect([...factories.keys()].sort()).toEqual([
        'autonomous-database',
        'autonomous-project',
        'autonomous-release',
      ]);
      for (const factory of factories.values()) {
        expect(factory.visibilityPermission?.name).toBe('catalog.entity.read');
      }
    });

    it('indexes only the configured number of recent releases per project, each naming its entity', async () => {
      const documents = await collect(factories.get('autonomous-release')!);
      expect(documents.map(d => d.version).sort()).toEqual([
        '1.5.0',
        '1.6.0',
        '1.7.0',
        '2.5.0',
        '2.6.0',
        '2.7.0',
      ]);
      for (const document of documents) {
        expect(document.authorization?.resourceRef).toBe(document.entityRef);
      }
      expect(documents.find(d => d.version === '1.7.0')).toMatchObject({
        title: 'storefront 1.7.0 to production',
        status: 'healthy',
        environment: 'production',
        location: expect.stringMatching(
          /^\/catalog\/default\/component\/storefront\/autonomous-releases\?release=/,
        ),
      });
    });

    it('finds a release with its new status after the next run', async () => {
      const id = await insertRelease(
        knex,
        'component:default/storefront',
        '1.8.0',
        'building',
      );
      const before = await collect(factories.get('autonomous-release')!);
      expect(before.find(d => d.releaseId === id)?.status).toBe('building');
      await knex('releases')
        .where({ id })
        .update({ status: 'degraded', updated_at: new Date() });
      const after = await collect(factories.get('autonomous-release')!);
      expect(after.find(d => d.releaseId === id)?.status).toBe('degraded');
      const projects = await collect(factories.get('autonomous-project')!);
      expect(
        projects.find(p => p.entityRef === 'component:default/storefront'),
      ).toMatchObject({
        status: 'degraded',
        lastReleaseVersion: '1.8.0',
        running: 'production 1.7.0, staging —',
      });
    });

    it('indexes projects and databases with their owner, each naming its entity', async () => {
      const projects = await collect(factories.get('autonomous-project')!);
      expect(projects.map(p => p.entityRef).sort()).toEqual([
        'component:default/payments',
        'component:default/storefront',
      ]);
      expect(
        projects.find(p => p.entityRef === 'component:default/payments'),
      ).toMatchObject({
        title: 'payments',
        // Not the entity page, which the catalog's document of the same entity has.
        location: '/catalog/default/component/payments/autonomous-releases',
        owner: 'group:default/payments-team',
        projectKind: 'microservice',
        environments: 'production, staging',
        authorization: { resourceRef: 'component:default/payments' },
      });
      const dbs = await collect(factories.get('autonomous-database')!);
      expect(dbs).toEqual([
        expect.objectContaining({
          title: 'payments (PostgreSQL)',
          engine: 'postgresql',
          status: 'ready',
          owner: 'group:default/payments-team',
          authorization: { resourceRef: 'resource:default/payments-db' },
        }),
      ]);
      expect(JSON.stringify(dbs)).not.toContain(
        'autonomous/databases/payments',
      );
    });
  },
);

describe('search.collators.autonomous', () => {
  it('refuses a per-project bound above what the backend serves, naming the key', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [
          [
            searchIndexRegistryExtensionPoint,
            { addCollator: () => {}, addDecorator: () => {} },
          ],
        ],
        features: [
          searchModuleAutonomousCollator,
          mockServices.rootConfig.factory({
            data: {
              search: {
                collators: { autonomous: { releases: { perProject: 1000 } } },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      'search.collators.autonomous.releases.perProject is 1000: use a whole number from 1 to 100',
    );
  });
});
