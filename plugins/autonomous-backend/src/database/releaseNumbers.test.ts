import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseReleaseStore, NewRelease } from './ReleaseStore';

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();
const SHOP = 'component:default/shop';

const release = (over: Partial<NewRelease> = {}): NewRelease => ({
  entityRef: SHOP,
  environment: 'production',
  ref: 'main',
  trigger: 'manual',
  requestedBy: 'user:default/guest',
  ...over,
});

describe.each(databases.ids)('release numbers on %s', databaseId => {
  it('numbers 50 concurrent creates of one project 1 to 50, across its environments', async () => {
    const knex = await databases.migrated(databaseId);
    const store = new DatabaseReleaseStore(knex);
    const environments = ['dev', 'staging', 'production'];
    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store
          .startRelease(
            release({ environment: environments[i % environments.length] }),
            'queue',
          )
          .then(r => r.created),
      ),
    );
    const numbers = created.map(r => r.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Another project counts on its own.
    const other = await store.createRelease(
      release({ entityRef: 'component:default/billing' }),
    );
    expect(other.number).toBe(1);
  });

  it('names a build by its ref and number, and a rollback by the release it came from', async () => {
    const knex = await databases.migrated(databaseId);
    const store = new DatabaseReleaseStore(knex);
    const first = await store.createRelease(release());
    const second = await store.createRelease(
      release({ ref: undefined, commitSha: '3f2a9c1d0b4e5f60718293a4' }),
    );
    expect(first).toMatchObject({ number: 1, version: 'main-1' });
    expect(second).toMatchObject({ number: 2, version: '3f2a9c1d0b4e-2' });

    const rollback = await store.createRelease(
      release({
        version: first.version,
        trigger: 'rollback',
        sourceReleaseId: first.id,
      }),
    );
    expect(rollback).toMatchObject({
      number: 3,
      version: 'main-1',
      sourceReleaseNumber: 1,
    });
    const page = await store.listReleases(SHOP, { limit: 10 });
    expect(
      page.items.map(r => [r.number, r.sourceReleaseNumber ?? null]),
    ).toEqual([
      [3, 1],
      [2, null],
      [1, null],
    ]);
  });

  it('numbers existing releases by creation time per project when it migrates', async () => {
    const knex = await databases.migrated(databaseId);
    const directory = resolvePackagePath(
      '@autonomous-dev/backstage-plugin-autonomous-backend',
      'migrations',
    );
    await knex.migrate.down({
      directory,
      name: '20261206000200_release_numbers.js',
    });
    const row = (id: string, entity: string, at: string) => ({
      id,
      entity_ref: entity,
      environment: 'production',
      version: id,
      trigger: 'manual',
      requested_by: 'user:default/guest',
      status: 'healthy',
      created_at: new Date(at),
      updated_at: new Date(at),
    });
    // Inserted out of creation order: the numbers follow created_at, not the insert.
    await knex('releases').insert([
      row('00000000-0000-4000-8000-000000000003', SHOP, '2026-11-03T00:00:00Z'),
      row('00000000-0000-4000-8000-000000000001', SHOP, '2026-11-01T00:00:00Z'),
      row(
        '00000000-0000-4000-8000-000000000009',
        'component:default/billing',
        '2026-11-02T00:00:00Z',
      ),
      row('00000000-0000-4000-8000-000000000002', SHOP, '2026-11-02T00:00:00Z'),
    ]);
    await knex.migrate.latest({ directory });

    const numbered = await knex('releases')
      .orderBy('id')
      .select('id', 'number');
    expect(numbered.map(r => [r.id.slice(-1), Number(r.number)])).toEqual([
      ['1', 1],
      ['2', 2],
      ['3', 3],
      ['9', 1],
    ]);
    const store = new DatabaseReleaseStore(knex);
    expect((await store.createRelease(release())).number).toBe(4);
    expect(
      (
        await store.createRelease(
          release({ entityRef: 'component:default/billing' }),
        )
      ).number,
    ).toBe(2);
  });
});
