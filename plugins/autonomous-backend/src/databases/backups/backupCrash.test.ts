import knexFactory, { Knex } from 'knex';
import { join } from 'node:path';
import { ChildBackend } from '../../__testUtils__/childBackend';
import { databaseEntity } from '../../__testUtils__/databaseEntities';
import {
  SandboxProjects,
  sandboxConfigData,
  startSandboxProjects,
} from '../../__testUtils__/sandboxProject';
import { BackupStore } from '../../database/BackupStore';
import { DatabaseDatabaseInstanceStore } from '../../database/DatabaseInstanceStore';
import { migrateTestDatabase } from '../../database/migrations';
import { backupTestConfig } from '../../__testUtils__/backupHarness';

/*
 * A real backend process is SIGKILLed while it makes a backup's Job (Kubernetes slowed so the
 * kill lands inside the call) or while the Job runs, and started again: the backup ends
 * succeeded, with one Job.
 */

jest.setTimeout(600_000);

let upstream: SandboxProjects;
let backend: ChildBackend;
let knex: Knex;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  backend = await ChildBackend.create({
    entities: [databaseEntity('crash-db', { engine: 'mongodb' })],
    config: () => ({
      ...sandboxConfigData(upstream.sandbox.url),
      autonomous: {
        ...sandboxConfigData(upstream.sandbox.url).autonomous,
        orchestrator: { enabled: false },
        databases: {
          enabled: true,
          pollInterval: '100ms',
          lease: '2s',
          backups: { ...backupTestConfig(upstream.sandbox.url), lease: '2s' },
        },
      },
    }),
  });
  knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(backend.dir, 'autonomous.sqlite') },
    useNullAsDefault: true,
  });
  await migrateTestDatabase(knex);
});

afterAll(async () => {
  await backend?.kill();
  await knex?.destroy();
  await upstream?.stop();
});

/** A ready instance as provisioning leaves it: its namespace and credentials Secret exist. */
async function readyInstance(name: string) {
  const instances = new DatabaseDatabaseInstanceStore(knex);
  let instance = await instances.createInstance({
    entityRef: 'resource:default/crash-db',
    name,
    engine: 'mongodb',
    version: '8.0',
    mode: 'single',
    environment: 'default',
    namespace: `db-${name}`,
    storageGi: 1,
    credentialsPath: `autonomous/databases/${name}`,
    createdBy: 'user:default/owner',
  });
  for (const s of ['preparing', 'installing', 'checking', 'ready'] as const) {
    instance = await instances.setStatus(instance.id, s);
  }
  const kube = upstream.clients.get('kubernetes');
  await kube.ensureNamespace(instance.namespace);
  await kube.applySecret(instance.namespace, `${name}-credentials`, {
    ownerUsername: `${name}_owner`,
    ownerPassword: 'owner-password',
  });
  return instance;
}

async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out: ${JSON.stringify(value)}\n${backend.log()}`);
    }
    await new Promise(r => setTimeout(r, 10));
  }
}

describe('a backend killed during a backup', () => {
  it.each([
    ['while it creates the Job', 'creating'],
    ['while the Job runs', 'running'],
  ] as const)('ends succeeded with one Job when killed %s', async (_, when) => {
    const name = `crash-${when}`;
    const instance = await readyInstance(name);
    const backup = await new BackupStore(knex).createBackup({
      databaseId: instance.id,
      instanceName: name,
      engine: 'mongodb',
      trigger: 'manual',
      requestedBy: 'user:default/owner',
    });
    const row = () => knex('backups').where({ id: backup.id }).first();
    if (when === 'creating') {
      await upstream.control('/faults', {
        system: 'kubernetes',
        latencyMs: 1_200,
      });
    }
    await backend.start();
    if (when === 'creating') {
      await waitFor(row, r => r.lease_token !== null);
      await new Promise(r => setTimeout(r, 300));
    } else {
      await waitFor(row, r => r.status === 'running');
    }
    await backend.kill();
    await upstream.control('/faults', undefined, 'DELETE');

    await backend.start();
    const done = await waitFor(row, r =>
      ['succeeded', 'failed'].includes(r.status),
    );
    await backend.kill();
    expect({ status: done.status, message: done.message }).toEqual({
      status: 'succeeded',
      message: null,
    });
    expect(Number(done.size_bytes)).toBeGreaterThan(0);
    const jobs = await upstream.clients
      .get('kubernetes')
      .listJobs(`db-${name}`, `autonomous.dev/backup-id=${backup.id}`);
    expect(jobs.map(j => j.metadata?.name)).toEqual([`backup-${backup.id}`]);
  });
});
