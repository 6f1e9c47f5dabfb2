import { Knex } from 'knex';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseConsoleStore } from './ConsoleStore';

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();
const DB = '2f0c1d9e-8a7b-4c6d-9e5f-1a2b3c4d5e6f';

describe.each(databases.ids)('ConsoleStore on %s', databaseId => {
  let knex: Knex;
  let store: DatabaseConsoleStore;

  beforeAll(async () => {
    knex = await databases.migrated(databaseId);
    store = new DatabaseConsoleStore(knex);
  });
  afterAll(() => knex.destroy());

  it('gives a statement its outcome once, and pages history newest first', async () => {
    const ids: string[] = [];
    for (const [user, statement] of [
      ['user:default/a', 'SELECT 1'],
      ['user:default/b', 'SELECT 2'],
      ['user:default/a', 'SELECT 3'],
    ]) {
      const started = await store.startStatement({
        databaseId: DB,
        entityRef: 'resource:default/x',
        user,
        mode: 'read',
        statement,
      });
      expect(started.outcome).toBe('running');
      ids.push(started.id);
    }
    await store.finishStatement(ids[0], {
      outcome: 'succeeded',
      durationMs: 12.4,
      rowCount: 1,
      truncated: false,
    });
    // A late second finish (a cancel after the end) changes nothing.
    await store.finishStatement(ids[0], {
      outcome: 'cancelled',
      durationMs: 99,
      rowCount: 0,
      truncated: false,
    });
    const mine = await store.listStatements({
      databaseId: DB,
      user: 'user:default/a',
      limit: 1,
    });
    expect(mine.items.map(s => s.statement)).toEqual(['SELECT 3']);
    const next = await store.listStatements({
      databaseId: DB,
      user: 'user:default/a',
      limit: 1,
      cursor: mine.nextCursor,
    });
    expect(next.items).toEqual([
      expect.objectContaining({
        id: ids[0],
        outcome: 'succeeded',
        durationMs: 12,
        rowCount: 1,
        truncated: false,
      }),
    ]);
    expect(next.nextCursor).toBeUndefined();
    const all = await store.listStatements({ databaseId: DB, limit: 10 });
    expect(all.items.map(s => s.statement)).toEqual([
      'SELECT 3',
      'SELECT 2',
      'SELECT 1',
    ]);
  });

  it('shows saved queries to their author, shared ones to everyone, and lets only the author change them', async () => {
    const own = await store.createSavedQuery(DB, 'user:default/a', {
      name: 'mine',
      statement: 'SELECT 1',
      shared: false,
    });
    const shared = await store.createSavedQuery(DB, 'user:default/a', {
      name: 'ours',
      statement: 'SELECT 2',
      shared: true,
    });
    expect(
      (await store.listSavedQueries(DB, 'user:default/b')).map(q => q.id),
    ).toEqual([shared.id]);
    expect(
      (await store.listSavedQueries(DB, 'user:default/a')).map(q => q.name),
    ).toEqual(['mine', 'ours']);
    await expect(
      store.deleteSavedQuery(DB, own.id, 'user:default/b'),
    ).rejects.toThrow(/no saved query/);
    await expect(
      store.updateSavedQuery(DB, shared.id, 'user:default/b', {
        name: 'x',
        statement: 'DROP',
        shared: true,
      }),
    ).rejects.toThrow(/only its author/);
    const updated = await store.updateSavedQuery(
      DB,
      shared.id,
      'user:default/a',
      {
        name: 'ours',
        statement: 'SELECT 3',
        shared: false,
      },
    );
    expect(updated).toMatchObject({ statement: 'SELECT 3', shared: false });
    expect(await store.listSavedQueries(DB, 'user:default/b')).toEqual([]);
  });
});
