import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseProjectStore } from './ProjectStore';
import { DatabaseAuditStore } from './AuditStore';
import { DatabaseDatabaseInstanceStore } from './DatabaseInstanceStore';
import { ConflictError } from '@backstage/errors';

jest.setTimeout(60_000);

const databases = createStoreTestDatabases();

describe.each(databases.ids)('stores on %s', databaseId => {
  it('saves project settings and returns environments in order', async () => {
    const store = new DatabaseProjectStore(
      await databases.migrated(databaseId),
    );
    expect(await store.getSettings('component:default/shop')).toBeUndefined();
    await store.saveSettings({
      entityRef: 'component:default/shop',
      kind: 'monolith',
      environments: [
        {
          name: 'staging',
          namespace: 'shop-staging',
          branch: 'develop',
          autoDeploy: true,
          domains: ['staging.shop.example.com'],
        },
        {
          name: 'production',
          namespace: 'shop',
          branch: 'main',
          autoDeploy: false,
          domains: [],
        },
      ],
    });
    const saved = await store.saveSettings({
      entityRef: 'component:default/shop',
      kind: 'monolith',
      autoDeploy: false,
      environments: [
        {
          name: 'production',
          namespace: 'shop',
          branch: 'main',
          autoDeploy: false,
          domains: ['shop.example.com'],
        },
      ],
    });
    expect(saved.autoDeploy).toBe(false);
    expect(saved.environments).toEqual([
      {
        name: 'production',
        namespace: 'shop',
        branch: 'main',
        autoDeploy: false,
        domains: ['shop.example.com'],
      },
    ]);
  });

  it('saves one environment without undoing a concurrent save of another', async () => {
    const store = new DatabaseProjectStore(
      await databases.migrated(databaseId),
    );
    const annotated = [
      {
        name: 'staging',
        namespace: 'shop-staging',
        branch: 'develop',
        autoDeploy: false,
        domains: [],
      },
      {
        name: 'production',
        namespace: 'shop',
        branch: 'main',
        autoDeploy: false,
        domains: [],
      },
    ];
    const base = {
      entityRef: 'component:default/shop',
      kind: 'monolith' as const,
      environments: annotated,
    };
    // Two people save different settings of the same project at the same moment, each from
    // the project as it was before either change.
    await Promise.all([
      store.saveEnvironment({
        ...base,
        name: 'staging',
        change: { autoDeploy: true, branch: 'develop' },
      }),
      store.saveEnvironment({
        ...base,
        name: 'production',
        change: { domains: ['shop.example.com'] },
      }),
      store.saveEnvironment({
        ...base,
        name: 'staging',
        change: { domains: ['staging.shop.example.com'] },
      }),
    ]);
    const saved = await store.getSettings('component:default/shop');
    expect(saved?.autoDeploy).toBe(true);
    expect(saved?.environments).toEqual([
      {
        name: 'staging',
        namespace: 'shop-staging',
        branch: 'develop',
        autoDeploy: true,
        domains: ['staging.shop.example.com'],
      },
      {
        name: 'production',
        namespace: 'shop',
        branch: 'main',
        autoDeploy: false,
        domains: ['shop.example.com'],
      },
    ]);
    const off = await store.saveEnvironment({
      ...base,
      name: 'staging',
      change: { autoDeploy: false },
    });
    expect(off.autoDeploy).toBe(false);
    await expect(
      store.saveEnvironment({ ...base, name: 'qa', change: { domains: [] } }),
    ).rejects.toThrow(
      "Environment qa is not one of component:default/shop's environments",
    );
  });

  it('records audit events newest first per entity', async () => {
    const store = new DatabaseAuditStore(await databases.migrated(databaseId));
    for (const action of ['a', 'b', 'c']) {
      await store.record({
        actor: 'user:default/guest',
        action: `autonomous.release.${action}`,
        entityRef: 'component:default/shop',
        outcome: 'succeeded',
        details: { environment: 'production' },
      });
    }
    const page = await store.listForEntity('component:default/shop', {
      limit: 2,
    });
    expect(page.items.map(e => e.action)).toEqual([
      'autonomous.release.c',
      'autonomous.release.b',
    ]);
    expect(page.items[0].details).toEqual({ environment: 'production' });
    const rest = await store.listForEntity('component:default/shop', {
      limit: 2,
      beforeSeq: page.lastSeq,
    });
    expect(rest.items.map(e => e.action)).toEqual(['autonomous.release.a']);
  });

  it('moves a database through its lifecycle', async () => {
    const knex = await databases.migrated(databaseId);
    const store = new DatabaseDatabaseInstanceStore(knex);
    const db = await store.createInstance({
      entityRef: 'resource:default/payments-db',
      name: 'payments',
      engine: 'postgresql',
      version: '16',
      mode: 'single',
      environment: 'production',
      namespace: 'payments',
      storageGi: 10,
      credentialsPath: 'secret/data/payments/db',
      createdBy: 'user:default/guest',
    });
    expect(db.status).toBe('accepted');
    await expect(store.setStatus(db.id, 'ready')).rejects.toThrow(
      ConflictError,
    );
    for (const s of ['preparing', 'installing', 'checking'] as const) {
      await store.setStatus(db.id, s);
    }
    const ready = await store.setStatus(db.id, 'ready', {
      connection: {
        host: 'payments.payments.svc',
        port: 5432,
        username: 'app',
      },
    });
    expect(ready.connection).toEqual({
      host: 'payments.payments.svc',
      port: 5432,
      username: 'app',
    });
    await expect(
      store.createInstance({ ...db, storageGi: 1 } as any),
    ).rejects.toThrow(/already exists/);

    // No column anywhere holds a credential value: only the Vault path.
    const columns = Object.keys(
      (await knex('database_instances').where({ id: db.id }).first()) ?? {},
    );
    expect(columns.filter(c => /password|secret|token/i.test(c))).toEqual([]);
  });
});
