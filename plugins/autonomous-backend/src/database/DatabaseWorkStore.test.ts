import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseEventStore } from './DatabaseEventStore';
import { DatabaseDatabaseInstanceStore } from './DatabaseInstanceStore';
import { DatabaseWorkStore } from './DatabaseWorkStore';

jest.setTimeout(60_000);

const databases = createStoreTestDatabases();

const newInstance = (name: string) => ({
  entityRef: 'resource:default/orders-db',
  name,
  engine: 'postgresql' as const,
  version: '17',
  mode: 'single' as const,
  environment: 'default',
  namespace: `db-${name}`,
  storageGi: 2,
  credentialsPath: `autonomous/databases/${name}`,
  createdBy: 'user:default/owner',
});

describe.each(databases.ids)('database work on %s', databaseId => {
  it('gives each due instance to one claimer, and a lost lease writes nothing', async () => {
    const knex = await databases.migrated(databaseId);
    const instances = new DatabaseDatabaseInstanceStore(knex);
    const created = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map(n =>
        instances.createInstance(newInstance(`orders-${n}`)),
      ),
    );
    // Two replicas claim at once: every instance is taken, none twice.
    const replicas = [new DatabaseWorkStore(knex), new DatabaseWorkStore(knex)];
    const claims = await Promise.all(
      replicas.flatMap(r => [r.claimDue(3, 60_000), r.claimDue(3, 60_000)]),
    );
    const ids = claims.flat().map(c => c.instance.id);
    expect(ids.sort()).toEqual(created.map(c => c.id).sort());

    // A second worker whose lease ran out cannot write the step the first holds.
    const first = claims.flat()[0];
    const expired = new DatabaseWorkStore(
      knex,
      () => new Date(Date.now() + 120_000),
    );
    const taken = await expired.claim(first.instance.id, 60_000);
    expect(taken).toBeDefined();
    expect(
      await replicas[0].write(first, {
        events: [{ step: 'namespace', status: 'started', message: 'late' }],
        stepStarted: true,
      }),
    ).toBeUndefined();
    const written = await expired.write(taken!, {
      to: 'preparing',
      events: [
        { step: 'namespace', status: 'started', message: 'Creating namespace' },
      ],
      stepStarted: true,
    });
    expect(written?.instance.status).toBe('preparing');
    expect(
      (await new DatabaseEventStore(knex).list(first.instance.id)).map(
        e => `${e.step} ${e.status}: ${e.message}`,
      ),
    ).toEqual([
      expect.stringMatching(/^accepted info: Accepted: postgresql 17/),
      'namespace started: Creating namespace',
    ]);
    await knex.destroy();
  });

  it('stops a worker whose instance is being deleted, and frees its name once deleted', async () => {
    const knex = await databases.migrated(databaseId);
    const instances = new DatabaseDatabaseInstanceStore(knex);
    const work = new DatabaseWorkStore(knex);
    const instance = await instances.createInstance(newInstance('ledger'));
    await expect(
      instances.createInstance(newInstance('ledger')),
    ).rejects.toThrow(
      'a database named ledger already exists and is not deleted',
    );
    const [claimed] = await work.claimDue(1, 60_000);
    const deleting = await work.requestDelete(instance.id, {
      finalBackup: false,
      requestedBy: 'user:default/owner',
      message: 'Deletion requested',
    });
    expect(deleting.status).toBe('deleting');
    // The provisioning step that was running when the delete came writes nothing.
    expect(
      await work.write(claimed, { step: 'credentials', keepLease: false }),
    ).toBeUndefined();
    expect(
      (await knex('database_instances').where({ id: instance.id }).first())
        .step,
    ).toBe('remove');
    await instances.setStatus(instance.id, 'deleted');
    const again = await instances.createInstance(newInstance('ledger'));
    expect(again.id).not.toBe(instance.id);
    expect(
      (await instances.listForEntity('resource:default/orders-db')).map(
        i => i.status,
      ),
    ).toEqual(['accepted', 'deleted']);
    await knex.destroy();
  });
});
