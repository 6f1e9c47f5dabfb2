/*
 * The database of one engine, as the backend's DatabaseService would give it to the plugin:
 * a fresh SQLite file, or a fresh PostgreSQL database on 127.0.0.1:5432 (dropped afterwards).
 */
import type { Knex } from 'knex';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { percentiles } from './analysis.mts';
import type { Plugin } from './plugin.mts';

export type Engine = 'sqlite' | 'postgres';

export const PG = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  database: 'bench_inflight',
};

export async function openDatabase(
  plugin: Plugin,
  engine: Engine,
  dataDir: string,
): Promise<Knex> {
  if (engine === 'sqlite') {
    const dir = join(dataDir, 'sqlite');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // knex's defaults, as the backend's DatabaseService uses them (one connection)
    return plugin.knex({
      client: 'better-sqlite3',
      connection: { filename: join(dir, 'autonomous.sqlite') },
      useNullAsDefault: true,
    });
  }
  const admin = plugin.knex({
    client: 'pg',
    connection: { ...PG, database: 'postgres' },
    pool: { min: 0, max: 1 },
  });
  try {
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [PG.database]);
    await admin.raw('CREATE DATABASE ??', [PG.database]);
  } finally {
    await admin.destroy();
  }
  // knex's default pool (2–10 connections), as the backend's DatabaseService uses it
  return plugin.knex({ client: 'pg', connection: PG });
}

export async function dropPostgres(plugin: Plugin): Promise<void> {
  const admin = plugin.knex({
    client: 'pg',
    connection: { ...PG, database: 'postgres' },
    pool: { min: 0, max: 1 },
  });
  try {
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [PG.database]);
  } finally {
    await admin.destroy();
  }
}

export /** Median time of one committed single-row transaction: what each orchestrator step pays. */
async function commitMs(db: Knex): Promise<number> {
  await db.schema.createTable('bench_commit_probe', t => {
    t.increments('id');
    t.string('v');
  });
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    await db.transaction(tx =>
      tx('bench_commit_probe').insert({ v: `probe ${i}` }),
    );
    times.push(performance.now() - t0);
  }
  await db.schema.dropTable('bench_commit_probe');
  return percentiles(times).p50;
}
