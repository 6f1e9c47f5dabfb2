import { readFile, writeFile } from 'node:fs/promises';
import mysql from 'mysql2/promise';
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
import { MysqlEngine } from './mysql.ts';

const SERVER = { host: '127.0.0.1', port: 3306 };

async function query(
  db: TestDatabase,
  user: string,
  password: string,
  sql: string,
) {
  const c = await mysql.createConnection({
    ...SERVER,
    user,
    password,
    database: db.database,
    multipleStatements: true,
  });
  try {
    const [rows] = await c.query(sql);
    return rows as any[];
  } finally {
    await c.end();
  }
}

describe('real MySQL (MariaDB) behind database charts and Jobs', () => {
  let running: RunningSandbox;
  let client: ContractClient;
  const created: string[] = [];

  beforeAll(async () => {
    ({ running, client } = await startTestSandbox({
      databases: { real: ['mysql'] },
      log: () => {},
    }));
  });

  afterAll(async () => {
    await running.stop();
    const engine = new MysqlEngine({ ...SERVER, user: 'root', password: '' });
    for (const database of created) await engine.drop(database);
    client.assertNoProblems();
  });

  it('creates, grants read-only access, backs up to a volume, restores all or nothing, and drops', async () => {
    const source = await provisionDatabase(
      client,
      'mariadb',
      uniqueName('sbx_my_'),
    );
    created.push(source.database);
    const service = await client.call(
      'kubernetes',
      `/api/v1/namespaces/${source.namespace}/services/${source.app}`,
      { headers: auth.kubernetes },
    );
    expect(service.json.status.loadBalancer.ingress).toEqual([
      { ip: '127.0.0.1' },
    ]);
    expect(service.json.spec.ports[0].port).toBe(3306);

    await query(
      source,
      source.owner,
      source.ownerPassword,
      `CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(20)); INSERT INTO orders VALUES (1, 'tea'), (2, 'cake')`,
    );
    const users = await runDatabaseJob(client, source, 'users', 'mysql');
    expect(users.outcome).toBe('Complete');
    expect(users.log).toContain('GRANT SELECT');
    expect(users.log).not.toContain(source.readonlyPassword);
    expect(
      await query(
        source,
        source.readonly,
        source.readonlyPassword,
        'SELECT item FROM orders ORDER BY id',
      ),
    ).toEqual([{ item: 'tea' }, { item: 'cake' }]);
    await expect(
      query(
        source,
        source.readonly,
        source.readonlyPassword,
        `INSERT INTO orders VALUES (3, 'pie')`,
      ),
    ).rejects.toThrow(/denied/);

    const backup = await runDatabaseJob(client, source, 'backup', 'mysql', {
      AUTONOMOUS_BACKUP_TARGET: `file:///backups/${source.database}/manual.dump`,
    });
    expect(backup.outcome).toBe('Complete');
    expect(backup.log).toContain('mysqldump --single-transaction');

    const target = await provisionDatabase(
      client,
      'mysql',
      uniqueName('sbx_my_'),
    );
    created.push(target.database);
    const restore = await runDatabaseJob(client, target, 'restore', 'mysql', {
      AUTONOMOUS_RESTORE_SOURCE: `file:///backups/${source.database}/manual.dump`,
    });
    expect(restore.outcome).toBe('Complete');
    expect(
      await query(
        target,
        target.owner,
        target.ownerPassword,
        'SELECT id, item FROM orders ORDER BY id',
      ),
    ).toEqual([
      { id: 1, item: 'tea' },
      { id: 2, item: 'cake' },
    ]);

    // A dump that breaks half-way: the Job fails with mysql's stderr, the target keeps its rows.
    const dir = running.sandbox.databases.options.backupDir;
    const good = await readFile(
      `${dir}/${source.database}/manual.dump`,
      'utf8',
    );
    await writeFile(
      `${dir}/${source.database}/corrupt.dump`,
      good.replace(
        /INSERT INTO `orders`/,
        'INSERT INTO `orders` VALUES (oops;\n$&',
      ),
    );
    const corrupt = await runDatabaseJob(client, target, 'restore', 'mysql', {
      AUTONOMOUS_RESTORE_SOURCE: `file:///backups/${source.database}/corrupt.dump`,
    });
    expect(corrupt.outcome).toBe('Failed');
    expect(corrupt.log).toMatch(/ERROR \d+/);
    expect(
      await query(
        target,
        target.owner,
        target.ownerPassword,
        'SELECT count(*) AS n FROM orders',
      ),
    ).toEqual([{ n: 2 }]);

    await deleteApplication(client, source.app);
    await running.sandbox.databases.settle();
    const root = await mysql.createConnection({
      ...SERVER,
      user: 'root',
      password: '',
    });
    try {
      const [dbs] = await root.query<mysql.RowDataPacket[]>(
        'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
        [source.database],
      );
      const [users2] = await root.query<mysql.RowDataPacket[]>(
        'SELECT User FROM mysql.user WHERE User IN (?, ?)',
        [source.owner, source.readonly],
      );
      expect(dbs).toEqual([]);
      expect(users2).toEqual([]);
    } finally {
      await root.end();
    }
    await deleteApplication(client, target.app);
  }, 60_000);

  it('replaces what an earlier run created and leaves a database or user it did not create', async () => {
    const engine = new MysqlEngine({ ...SERVER, user: 'root', password: '' });
    const name = uniqueName('sbx_my_');
    created.push(name);
    await engine.provision(name, `${name}_owner`, 'old');
    const root = await mysql.createConnection({
      ...SERVER,
      user: 'root',
      password: '',
    });
    try {
      await root.query(`CREATE TABLE ${name}.leftover (n INT)`);
      await engine.provision(name, `${name}_owner`, 'new');
      const [tables] = await root.query<mysql.RowDataPacket[]>(
        'SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
        [name],
      );
      expect(tables).toEqual([]);

      const foreign = uniqueName('sbx_foreign_');
      await root.query(`CREATE DATABASE ${foreign}`);
      await root.query(`CREATE USER '${foreign}_u'@'%' IDENTIFIED BY 'x'`);
      try {
        await expect(
          engine.provision(foreign, `${name}_other`, 'x'),
        ).rejects.toThrow(/was not created by the sandbox/);
        await expect(
          engine.provision(uniqueName('sbx_my_'), `${foreign}_u`, 'x'),
        ).rejects.toThrow(/was not created by the sandbox/);
        const [still] = await root.query<mysql.RowDataPacket[]>(
          'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
          [foreign],
        );
        expect(still).toHaveLength(1);
      } finally {
        await root.query(`DROP DATABASE IF EXISTS ${foreign}`);
        await root.query(`DROP USER IF EXISTS '${foreign}_u'@'%'`);
      }
    } finally {
      await root.end();
    }
  }, 60_000);
});
