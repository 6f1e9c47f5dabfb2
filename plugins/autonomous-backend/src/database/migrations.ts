import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@autonomous-dev/backstage-plugin-autonomous-backend',
  'migrations',
);

/** Brings the plugin's tables up to date unless the portal asked to skip migrations. */
export async function applyMigrations(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}

export async function migrateTestDatabase(client: Knex): Promise<void> {
  await client.migrate.latest({ directory: migrationsDir });
}
