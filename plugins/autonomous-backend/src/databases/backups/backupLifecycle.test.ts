import {
  Backup,
  DatabaseInstance,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { S3BackupStorage } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { RunningSandbox, startSandbox } from '@autonomous-dev/sandbox';
import { mockCredentials } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/config';
import { Server } from 'node:http';
import { Client } from 'pg';
import request from 'supertest';
import {
  databaseEntity,
  databaseTestConfig,
} from '../../__testUtils__/databaseEntities';
import { sandboxConfig } from '../../__testUtils__/sandboxProject';
import { startAutonomousTestBackend } from '../../__testUtils__/testBackend';
import { createStoreTestDatabases } from '../../__testUtils__/testDatabases';

jest.setTimeout(240_000);

const OWNER = 'user:default/owner';
const READER = 'user:default/reader';
const owner = { Authorization: mockCredentials.user.header(OWNER) };
const reader = { Authorization: mockCredentials.user.header(READER) };
const API = '/api/autonomous';
const ENTITY = 'resource:default/ledger-db';

const databases = createStoreTestDatabases();

/**
 * PostgreSQL end to end through the API, against the sandbox with its real PostgreSQL (this
 * machine's, at 127.0.0.1:5432): provision → rows → backup → download → restore into a new
 * instance (the same rows) → a corrupt dump fails the restore and leaves the source → delete.
 */
describe.each(databases.ids)(
  'PostgreSQL backups through the API on %s',
  databaseId => {
    let sandbox: RunningSandbox;
    let server: Server;
    let storage: S3BackupStorage;

    beforeAll(async () => {
      sandbox = await startSandbox({
        port: 0,
        speed: 'fast',
        databases: { real: ['postgresql'] },
      });
      const storageConfig = {
        type: 's3' as const,
        bucket: 'autonomous-backups',
        region: 'us-east-1',
        endpoint: `${sandbox.url}/s3`,
        forcePathStyle: true,
        credentialsSecret: 'backup-storage',
        accessKeyId: 'sandbox',
        secretAccessKey: 'sandbox-secret',
      };
      storage = new S3BackupStorage(storageConfig);
      const config = sandboxConfig(sandbox.url).get() as JsonObject;
      const dbConfig = databaseTestConfig().databases;
      server = await startAutonomousTestBackend({
        knex: await databases.migrated(databaseId),
        config: {
          ...config,
          autonomous: {
            ...(config.autonomous as JsonObject),
            databases: {
              ...dbConfig,
              backups: { storage: storageConfig, pollInterval: '100ms' },
            },
          },
        },
        entities: [databaseEntity('ledger-db', { engine: 'postgresql' })],
        policy: {
          allows: (who, permission) =>
            who === OWNER ||
            (who === READER && permission === 'autonomous.project.read'),
        },
      });
    });
    afterAll(async () => {
      await sandbox?.stop();
    });

    async function poll<T>(read: () => Promise<T>, done: (v: T) => boolean) {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const value = await read();
        if (done(value)) return value;
        if (Date.now() > deadline)
          throw new Error(`not done: ${JSON.stringify(value)}`);
        await new Promise(r => setTimeout(r, 100));
      }
    }

    const instance = (id: string) =>
      poll(
        async () =>
          (await request(server).get(`${API}/databases/${id}`).set(owner))
            .body as DatabaseInstance,
        i => ['ready', 'failed'].includes(i.status),
      );

    const backupOf = (databaseIdOf: string, backupId: string) =>
      poll(
        async () => {
          const res = await request(server)
            .get(`${API}/databases/${databaseIdOf}/backups`)
            .set(owner)
            .expect(200);
          return (res.body.items as Backup[]).find(b => b.id === backupId)!;
        },
        b => ['succeeded', 'failed'].includes(b.status),
      );

    async function connect(db: DatabaseInstance) {
      const creds = await request(server)
        .get(`${API}/databases/${db.id}/credentials?user=owner`)
        .set(owner)
        .expect(200);
      const client = new Client({
        host: db.connection!.host,
        port: db.connection!.port,
        database: db.connection!.database,
        user: creds.body.username,
        password: creds.body.password,
      });
      await client.connect();
      return client;
    }

    const rowsOf = async (db: DatabaseInstance) => {
      const client = await connect(db);
      try {
        return (await client.query('SELECT id, item FROM orders ORDER BY id'))
          .rows;
      } finally {
        await client.end();
      }
    };

    it('backs up, downloads and restores into a new instance with the same rows', async () => {
      const suffix = databaseId.toLowerCase().slice(0, 4);
      const created = await request(server)
        .post(`${API}/databases`)
        .set(owner)
        .send({ entityRef: ENTITY, name: `ledger-${suffix}` })
        .expect(202);
      const source = await instance(created.body.id);
      expect(source.status).toBe('ready');
      const client = await connect(source);
      await client.query('CREATE TABLE orders (id int PRIMARY KEY, item text)');
      await client.query(
        "INSERT INTO orders VALUES (1, 'espresso'), (2, 'flat white'), (3, 'cortado')",
      );
      await client.end();

      // Without the backup permission: refused, nothing made.
      await request(server)
        .post(`${API}/databases/${source.id}/backups`)
        .set(reader)
        .expect(403);

      const accepted = await request(server)
        .post(`${API}/databases/${source.id}/backups`)
        .set(owner)
        .expect(202);
      expect(accepted.body).toMatchObject({
        status: 'pending',
        trigger: 'manual',
      });
      const backup = await backupOf(source.id, accepted.body.id);
      expect(backup).toMatchObject({
        status: 'succeeded',
        engine: 'postgresql',
      });
      expect(backup.sizeBytes).toBeGreaterThan(0);
      expect(backup.durationMs).toBeGreaterThanOrEqual(0);

      await request(server)
        .get(`${API}/databases/${source.id}/backups/${backup.id}/download`)
        .set(reader)
        .expect(403);
      const download = await request(server)
        .get(`${API}/databases/${source.id}/backups/${backup.id}/download`)
        .set(owner)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(download.headers['content-disposition']).toBe(
        `attachment; filename="${backup.fileName}"`,
      );
      expect(Number(download.headers['content-length'])).toBe(backup.sizeBytes);
      const bytes = download.body as Buffer;
      expect(bytes.length).toBe(backup.sizeBytes);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('PGDMP'); // pg_dump -Fc

      const restored = await request(server)
        .post(`${API}/databases/${source.id}/backups/${backup.id}/restore`)
        .set(owner)
        .send({ target: 'new', name: `ledger-${suffix}-copy` })
        .expect(202);
      const copy = await instance(restored.body.instance.id);
      expect(copy.status).toBe('ready');
      expect(await rowsOf(copy)).toEqual([
        { id: 1, item: 'espresso' },
        { id: 2, item: 'flat white' },
        { id: 3, item: 'cortado' },
      ]);

      // A corrupt dump: the restore fails with the tool's reason; the source keeps its rows.
      await storage.put(
        `${source.name}/${backup.id}.dump`,
        Buffer.from('not a dump'),
      );
      const corrupt = await request(server)
        .post(`${API}/databases/${source.id}/backups/${backup.id}/restore`)
        .set(owner)
        .send({ target: 'new', name: `ledger-${suffix}-bad` })
        .expect(202);
      const failed = await instance(corrupt.body.instance.id);
      expect(failed.status).toBe('failed');
      expect(failed.statusMessage).toMatch(
        /could not be restored: The restore failed and the database was left as it was: .*pg_restore/s,
      );
      expect(await rowsOf(source)).toHaveLength(3);

      await request(server)
        .delete(`${API}/databases/${source.id}/backups/${backup.id}`)
        .set(owner)
        .expect(204);
      const list = await request(server)
        .get(`${API}/databases/${source.id}/backups`)
        .set(owner)
        .expect(200);
      expect(
        list.body.items.find((b: Backup) => b.id === backup.id).status,
      ).toBe('deleted');
      expect(
        await storage.head(`${source.name}/${backup.id}.dump`),
      ).toBeUndefined();

      // Deleting the instance keeps a final backup, which outlives it.
      await request(server)
        .delete(`${API}/databases/${source.id}`)
        .set(owner)
        .send({ confirm: source.name })
        .expect(202);
      const gone = await poll(
        async () =>
          (
            await request(server)
              .get(`${API}/databases/${source.id}`)
              .set(owner)
          ).body as DatabaseInstance,
        i => ['deleted', 'failed'].includes(i.status),
      );
      expect(gone.status).toBe('deleted');
      const after = await request(server)
        .get(`${API}/databases/${source.id}/backups`)
        .set(owner)
        .expect(200);
      const final = (after.body.items as Backup[]).find(
        b => b.trigger === 'final',
      );
      expect(final).toMatchObject({
        status: 'succeeded',
        engine: 'postgresql',
      });
      expect(final!.sizeBytes).toBeGreaterThan(0);
      expect(
        await storage.head(`${source.name}/${final!.id}.dump`),
      ).toMatchObject({ sizeBytes: final!.sizeBytes });
    });
  },
);
