import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { migrateTestDatabase } from '../database/migrations';

/**
 * SQLite always; PostgreSQL 15 when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is
 * set (the README's test command sets it), so every store test runs on both engines.
 */
export function createStoreTestDatabases() {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15'],
  });
  return {
    ids: databases.eachSupportedId(),
    async migrated(id: TestDatabaseId): Promise<Knex> {
      const knex = await databases.init(id);
      await migrateTestDatabase(knex);
      return knex;
    },
  };
}
