import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { auth, startTestSandbox } from '../__testUtils__/contractClient.ts';
import type { ContractClient } from '../__testUtils__/contractClient.ts';
import {
  deleteApplication,
  provisionDatabase,
  runDatabaseJob,
  uniqueName,
} from '../__testUtils__/databaseJobs.ts';
import type { TestDatabase } from '../__testUtils__/databaseJobs.ts';
import type { RunningSandbox } from '../sandbox.ts';
import { PostgresEngine } from './postgresql.ts';

const ADMIN = { host: '127.0.0.1', port: 5432, user: 'postgres' };

async function query(
  db: TestDatabase,
  user: string,
  password: string,
  sql: string,
) {
  const client = new pg.Client({
    ...ADMIN,
    user,
    password,
    database: db.database,
  });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('real PostgreSQL behind database charts and Jobs', () => {
  let running: RunningSandbox;
  let client: ContractClient;
  let logs: string[];
  const created: string[] = [];

  beforeAll(async () => {
    logs = [];
    ({ running, client } = await startTestSandbox({
      databases: { real: ['postgresql'] },
      log: m => logs.push(m),
    }));
  });

  afterAll(async () => {
    await running.stop();
    // Whatever a failed test left behind (dropping is idempotent).
    const engine = new PostgresEngine(ADMIN);
    for (const database of created) await engine.drop(database);
    client.assertNoProblems();
  });

  const provision = async (name: string) => {
    created.push(name);
    return provisionDatabase(client, 'postgresql', name);
  };

  it('creates the database and owner, serves it at 127.0.0.1:5432, and backs up and restores it', async () => {
    const source = await provision(uniqueName('sbx_pg_'));
    const service = await client.call(
      'kubernetes',
      `/api/v1/namespaces/${source.namespace}/services/${source.app}`,
      { headers: auth.kubernetes },
    );
    expect(service.json.status.loadBalancer.ingress).toEqual([
      { ip: '127.0.0.1' },
    ]);
    expect(service.json.spec.ports[0].port).toBe(5432);

    await query(
      source,
      source.owner,
      source.ownerPassword,
      `CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'tea'), (2, 'cake')`,
    );

    const users = await runDatabaseJob(client, source, 'users', 'postgresql');
    expect(users.outcome).toBe('Complete');
    expect(users.log).toContain(`created role "${source.readonly}"`);
    expect(users.log).not.toContain(source.readonlyPassword);
    expect(users.log).not.toContain(source.ownerPassword);

    const read = await query(
      source,
      source.readonly,
      source.readonlyPassword,
      'SELECT item FROM orders ORDER BY id',
    );
    expect(read.rows.map(r => r.item)).toEqual(['tea', 'cake']);
    await expect(
      query(
        source,
        source.readonly,
        source.readonlyPassword,
        `INSERT INTO orders VALUES (3, 'pie')`,
      ),
    ).rejects.toThrow(/read-only transaction|permission denied/);
    await expect(
      query(
        source,
        source.readonly,
        source.readonlyPassword,
        `WITH x AS (INSERT INTO orders VALUES (4, 'jam') RETURNING 1) SELECT 1`,
      ),
    ).rejects.toThrow(/read-only transaction|permission denied/);
    // Tables the owner creates later are readable too (default privileges).
    await query(
      source,
      source.owner,
      source.ownerPassword,
      `CREATE TABLE later (n int); INSERT INTO later VALUES (7)`,
    );
    const later = await query(
      source,
      source.readonly,
      source.readonlyPassword,
      'SELECT n FROM later',
    );
    expect(later.rows).toEqual([{ n: 7 }]);

    const key = `${source.database}/manual.dump`;
    const backup = await runDatabaseJob(
      client,
      source,
      'backup',
      'postgresql',
      {
        AUTONOMOUS_BACKUP_TARGET: `s3://autonomous-backups/${key}`,
      },
    );
    expect(backup.outcome).toBe('Complete');
    expect(backup.log).toContain('pg_dump -Fc');
    expect(backup.log).toMatch(
      /wrote \d+ bytes to s3:\/\/autonomous-backups\//,
    );

    const target = await provision(uniqueName('sbx_pg_'));
    // As the backend provisions: the read-only user first, then the restore.
    expect(
      (await runDatabaseJob(client, target, 'users', 'postgresql')).outcome,
    ).toBe('Complete');
    const restore = await runDatabaseJob(
      client,
      target,
      'restore',
      'postgresql',
      {
        AUTONOMOUS_RESTORE_SOURCE: `s3://autonomous-backups/${key}`,
      },
    );
    expect(restore.outcome).toBe('Complete');
    const restored = await query(
      target,
      target.owner,
      target.ownerPassword,
      'SELECT id, item FROM orders ORDER BY id',
    );
    expect(restored.rows).toEqual([
      { id: 1, item: 'tea' },
      { id: 2, item: 'cake' },
    ]);
    const readBack = await query(
      target,
      target.readonly,
      target.readonlyPassword,
      'SELECT count(*)::int AS n FROM orders',
    );
    expect(readBack.rows).toEqual([{ n: 2 }]);

    // A corrupt dump fails the Job with pg_restore's words and leaves the target as it was.
    const s3 = new S3Client({
      endpoint: `${running.url}/s3`,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    });
    await s3.send(
      new PutObjectCommand({
        Bucket: 'autonomous-backups',
        Key: `${source.database}/corrupt.dump`,
        Body: 'PGDMP this is not an archive',
      }),
    );
    const corrupt = await runDatabaseJob(
      client,
      target,
      'restore',
      'postgresql',
      {
        AUTONOMOUS_RESTORE_SOURCE: `s3://autonomous-backups/${source.database}/corrupt.dump`,
      },
    );
    expect(corrupt.outcome).toBe('Failed');
    expect(corrupt.log).toMatch(/pg_restore: error/);
    const missing = await runDatabaseJob(
      client,
      target,
      'restore',
      'postgresql',
      {
        AUTONOMOUS_RESTORE_SOURCE: `s3://autonomous-backups/${source.database}/missing.dump`,
      },
    );
    expect(missing.outcome).toBe('Failed');
    expect(missing.log).toContain('NoSuchKey');
    const untouched = await query(
      target,
      target.owner,
      target.ownerPassword,
      'SELECT count(*)::int AS n FROM orders',
    );
    expect(untouched.rows).toEqual([{ n: 2 }]);
    // A real dump cut short: its table of contents reads, its data does not; nothing changes.
    const whole = await running.sandbox.s3.fileOf('autonomous-backups', key);
    const bytes = await readFile(whole);
    await s3.send(
      new PutObjectCommand({
        Bucket: 'autonomous-backups',
        Key: `${source.database}/truncated.dump`,
        Body: bytes.subarray(0, Math.floor(bytes.length * 0.8)),
      }),
    );
    await query(
      target,
      target.owner,
      target.ownerPassword,
      `INSERT INTO orders VALUES (3, 'scone')`,
    );
    const truncated = await runDatabaseJob(
      client,
      target,
      'restore',
      'postgresql',
      {
        AUTONOMOUS_RESTORE_SOURCE: `s3://autonomous-backups/${source.database}/truncated.dump`,
      },
    );
    expect(truncated.outcome).toBe('Failed');
    expect(truncated.log).toMatch(/pg_restore: error/);
    const kept = await query(
      target,
      target.owner,
      target.ownerPassword,
      'SELECT item FROM orders ORDER BY id',
    );
    expect(kept.rows.map(r => r.item)).toEqual(['tea', 'cake', 'scone']);
    s3.destroy();

    // Deleting the application drops the database and its roles.
    await deleteApplication(client, source.app);
    await running.sandbox.databases.settle();
    const admin = new pg.Client({ ...ADMIN, database: 'postgres' });
    await admin.connect();
    try {
      const dbs = await admin.query(
        'SELECT 1 FROM pg_database WHERE datname = $1',
        [source.database],
      );
      const roles = await admin.query(
        'SELECT rolname FROM pg_roles WHERE rolname = ANY($1)',
        [[source.owner, source.readonly]],
      );
      expect(dbs.rowCount).toBe(0);
      expect(roles.rows).toEqual([]);
    } finally {
      await admin.end();
    }
    await deleteApplication(client, target.app);
  }, 60_000);

  it('replaces a database left from an earlier run, and never touches one it did not create', async () => {
    const name = uniqueName('sbx_pg_');
    created.push(name);
    const engine = new PostgresEngine(ADMIN);
    await engine.provision(name, `${name}_owner`, 'old-password');
    const admin = new pg.Client({ ...ADMIN, database: name });
    await admin.connect();
    await admin.query('CREATE TABLE leftover (n int)');
    await admin.end();

    const db = await provisionDatabase(client, 'postgresql', name);
    const tables = await query(
      db,
      db.owner,
      db.ownerPassword,
      `SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'leftover'`,
    );
    expect(tables.rows).toEqual([{ n: 0 }]);
    await deleteApplication(client, db.app);
    await running.sandbox.databases.settle();

    const foreign = uniqueName('sbx_foreign_');
    const root = new pg.Client({ ...ADMIN, database: 'postgres' });
    await root.connect();
    try {
      await root.query(`CREATE DATABASE ${foreign}`);
      await expect(
        engine.provision(foreign, `${foreign}_owner`, 'x'),
      ).rejects.toThrow(/was not created by the sandbox/);
      await expect(engine.drop(foreign)).rejects.toThrow(
        /was not created by the sandbox/,
      );
      const still = await root.query(
        'SELECT 1 FROM pg_database WHERE datname = $1',
        [foreign],
      );
      expect(still.rowCount).toBe(1);
    } finally {
      await root.query(`DROP DATABASE IF EXISTS ${foreign}`);
      await root.query(`DROP ROLE IF EXISTS ${foreign}_owner`);
      await root.end();
    }
  }, 60_000);
});
