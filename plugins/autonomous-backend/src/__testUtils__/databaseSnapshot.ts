import { Knex } from 'knex';
import { createHash } from 'node:crypto';

/** The tables a request may change, each with the columns that order its rows. */
const TABLES: Record<string, string[]> = {
  releases: ['seq'],
  release_events: ['seq'],
  audit_events: ['seq'],
  projects: ['entity_ref'],
  environments: ['entity_ref', 'name'],
  database_instances: ['id'],
  database_events: ['seq'],
  console_statements: ['seq'],
  saved_queries: ['id'],
  webhook_deliveries: ['seq'],
  webhook_commits: ['entity_ref', 'environment', 'commit_sha'],
  release_groups: ['id'],
  release_group_releases: ['group_id', 'release_id'],
  project_deletions: ['entity_ref'],
};

export type DatabaseSnapshot = Record<string, { rows: number; sha256: string }>;

function normalize(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * Row counts and a checksum of every row of the plugin's tables: two equal snapshots mean no
 * request wrote anything in between.
 */
export async function snapshotDatabase(knex: Knex): Promise<DatabaseSnapshot> {
  const snapshot: DatabaseSnapshot = {};
  for (const [table, order] of Object.entries(TABLES)) {
    const rows: Record<string, unknown>[] = await knex(table)
      .select('*')
      .orderBy(order.map(column => ({ column, order: 'asc' as const })));
    const hash = createHash('sha256');
    for (const row of rows) {
      const columns = Object.keys(row).sort();
      hash.update(JSON.stringify(columns.map(c => [c, normalize(row[c])])));
      hash.update('\n');
    }
    snapshot[table] = { rows: rows.length, sha256: hash.digest('hex') };
  }
  return snapshot;
}
