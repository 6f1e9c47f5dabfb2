import { readFile } from 'node:fs/promises';
import { auth, startTestSandbox } from '../__testUtils__/contractClient.ts';
import type { ContractClient } from '../__testUtils__/contractClient.ts';
import {
  provisionDatabase,
  runDatabaseJob,
  uniqueName,
} from '../__testUtils__/databaseJobs.ts';
import type { RunningSandbox } from '../sandbox.ts';

describe('simulated database engines', () => {
  let running: RunningSandbox;
  let client: ContractClient;
  let logs: string[];

  beforeEach(async () => {
    logs = [];
    // PostgreSQL is asked for, but nothing listens on port 1: the engine falls back to simulated.
    ({ running, client } = await startTestSandbox({
      databases: { real: ['postgresql'], servers: { postgresql: { port: 1 } } },
      log: m => logs.push(m),
    }));
  });

  afterEach(async () => {
    await running.stop();
    client.assertNoProblems();
  });

  it('falls back to simulated with a line in the sandbox log when the server is unreachable', async () => {
    expect(logs.join('\n')).toMatch(
      /postgresql server 127\.0\.0\.1:1 is unreachable .*simulated/,
    );
    const db = await provisionDatabase(
      client,
      'postgresql',
      uniqueName('sim_'),
    );
    const service = await client.call(
      'kubernetes',
      `/api/v1/namespaces/${db.namespace}/services/${db.app}`,
      { headers: auth.kubernetes },
    );
    expect(service.json.status.loadBalancer).toEqual({});
    expect(service.json.spec.ports[0].port).toBe(5432);
    const users = await runDatabaseJob(client, db, 'users', 'postgresql');
    expect(users.outcome).toBe('Complete');
    expect(users.log).toContain('(simulated)');
  }, 30_000);

  it('runs Jobs of engines without a real server: a placeholder dump to a volume, restore of it', async () => {
    const db = await provisionDatabase(client, 'mongodb', uniqueName('sim_'));
    const backup = await runDatabaseJob(client, db, 'backup', 'mongodb', {
      AUTONOMOUS_BACKUP_TARGET: `file:///backups/${db.database}/b1.dump`,
    });
    expect(backup.outcome).toBe('Complete');
    const file = `${running.sandbox.databases.options.backupDir}/${db.database}/b1.dump`;
    expect(await readFile(file, 'utf8')).toContain('placeholder dump');
    expect(backup.log).not.toContain(db.ownerPassword);

    const restore = await runDatabaseJob(client, db, 'restore', 'mongodb', {
      AUTONOMOUS_RESTORE_SOURCE: `file:///backups/${db.database}/b1.dump`,
    });
    expect(restore.outcome).toBe('Complete');
    const missing = await runDatabaseJob(client, db, 'restore', 'mongodb', {
      AUTONOMOUS_RESTORE_SOURCE: `file:///backups/${db.database}/none.dump`,
    });
    expect(missing.outcome).toBe('Failed');
    expect(missing.log).toContain('No such file or directory');
    const offVolume = await runDatabaseJob(client, db, 'backup', 'mongodb', {
      AUTONOMOUS_BACKUP_TARGET: `file:///tmp/${db.database}.dump`,
    });
    expect(offVolume.outcome).toBe('Failed');
    expect(offVolume.log).toContain('is not on a mounted volume');
  }, 30_000);

  it('fails a Job whose Secret is missing, saying so', async () => {
    const db = await provisionDatabase(client, 'mongodb', uniqueName('sim_'));
    await client.call(
      'kubernetes',
      `/api/v1/namespaces/${db.namespace}/secrets/${db.database.replace(
        /_/g,
        '-',
      )}-credentials`,
      {
        method: 'DELETE',
        headers: auth.kubernetes,
      },
    );
    const job = await runDatabaseJob(client, db, 'users', 'mongodb');
    expect(job.outcome).toBe('Failed');
    expect(job.log).toContain('CreateContainerConfigError: secret');
  }, 30_000);
});
