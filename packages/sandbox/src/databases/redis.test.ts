import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import Redis from 'ioredis';
import { auth, startTestSandbox } from '../__testUtils__/contractClient.ts';
import type { ContractClient } from '../__testUtils__/contractClient.ts';
import {
  deleteApplication,
  provisionDatabase,
  runDatabaseJob,
  uniqueName,
} from '../__testUtils__/databaseJobs.ts';
import type { RunningSandbox } from '../sandbox.ts';
import { RedisEngine } from './redis.ts';

const SERVER = { host: '127.0.0.1', port: 6379 };

function connect(username?: string, password?: string) {
  const r = new Redis({
    ...SERVER,
    username,
    password,
    lazyConnect: true,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  r.on('error', () => {});
  return r;
}

describe('real Redis behind database charts and Jobs', () => {
  let running: RunningSandbox;
  let client: ContractClient;
  const created: string[] = [];

  beforeAll(async () => {
    ({ running, client } = await startTestSandbox({
      databases: { real: ['redis'] },
      log: () => {},
    }));
  });

  afterAll(async () => {
    await running.stop();
    const engine = new RedisEngine(SERVER);
    for (const database of created) await engine.drop(database);
    client.assertNoProblems();
  });

  it('makes a key prefix with an owner and a read-only user, and backs it up and restores it', async () => {
    const source = await provisionDatabase(
      client,
      'redis',
      uniqueName('sbxredis'),
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
    expect(service.json.spec.ports[0].port).toBe(6379);

    const owner = connect(source.owner, source.ownerPassword);
    await owner.connect();
    await owner.set(`${source.database}:greeting`, 'hello');
    await owner.hset(`${source.database}:order:1`, { item: 'tea', qty: '2' });
    await owner.set(`${source.database}:session`, 'x', 'PX', 600_000);
    await expect(owner.set('elsewhere:key', 'no')).rejects.toThrow(/NOPERM/);
    owner.disconnect();

    const users = await runDatabaseJob(client, source, 'users', 'redis');
    expect(users.outcome).toBe('Complete');
    expect(users.log).not.toContain(source.readonlyPassword);
    const ro = connect(source.readonly, source.readonlyPassword);
    await ro.connect();
    expect(await ro.get(`${source.database}:greeting`)).toBe('hello');
    await expect(
      ro.set(`${source.database}:greeting`, 'changed'),
    ).rejects.toThrow(/NOPERM/);
    ro.disconnect();

    const backup = await runDatabaseJob(client, source, 'backup', 'redis', {
      AUTONOMOUS_BACKUP_TARGET: `s3://autonomous-backups/${source.database}/manual.dump`,
    });
    expect(backup.outcome).toBe('Complete');
    expect(backup.log).toContain('dumped 3 key(s)');

    const target = await provisionDatabase(
      client,
      'redis',
      uniqueName('sbxredis'),
    );
    created.push(target.database);
    const admin = connect();
    await admin.connect();
    await admin.set(`${target.database}:stale`, 'old');
    const restore = await runDatabaseJob(client, target, 'restore', 'redis', {
      AUTONOMOUS_RESTORE_SOURCE: `s3://autonomous-backups/${source.database}/manual.dump`,
    });
    expect(restore.outcome).toBe('Complete');
    expect(await admin.get(`${target.database}:greeting`)).toBe('hello');
    expect(await admin.hgetall(`${target.database}:order:1`)).toEqual({
      item: 'tea',
      qty: '2',
    });
    expect(await admin.pttl(`${target.database}:session`)).toBeGreaterThan(0);
    expect(await admin.exists(`${target.database}:stale`)).toBe(0);

    // A damaged dump: the Job fails, the target keeps its keys.
    const file = await running.sandbox.s3.fileOf(
      'autonomous-backups',
      `${source.database}/manual.dump`,
    );
    const damaged = String(await readFile(file, 'utf8')).replace(
      /"v":"(.)/,
      (_m, c) => `"v":"${c === 'A' ? 'B' : 'A'}`,
    );
    await running.sandbox.s3.put(
      'autonomous-backups',
      `${source.database}/damaged.dump`,
      Readable.from([Buffer.from(damaged)]),
    );
    const corrupt = await runDatabaseJob(client, target, 'restore', 'redis', {
      AUTONOMOUS_RESTORE_SOURCE: `s3://autonomous-backups/${source.database}/damaged.dump`,
    });
    expect(corrupt.outcome).toBe('Failed');
    expect(corrupt.log).toContain('not a complete sandbox Redis dump');
    expect(await admin.get(`${target.database}:greeting`)).toBe('hello');

    await deleteApplication(client, source.app);
    await running.sandbox.databases.settle();
    expect(await admin.exists(`${source.database}:greeting`)).toBe(0);
    expect(await admin.acl('GETUSER', source.owner)).toBeNull();
    expect(await admin.acl('GETUSER', source.readonly)).toBeNull();
    admin.disconnect();
    await deleteApplication(client, target.app);
  }, 60_000);

  it('replaces what an earlier run created and leaves an ACL user it did not create', async () => {
    const engine = new RedisEngine(SERVER);
    const name = uniqueName('sbxredis');
    created.push(name);
    const admin = connect();
    await admin.connect();
    try {
      await engine.provision(name, `${name}_owner`, 'old');
      await admin.set(`${name}:leftover`, '1');
      await engine.provision(name, `${name}_owner`, 'new');
      expect(await admin.exists(`${name}:leftover`)).toBe(0);

      const foreign = uniqueName('sbxforeign');
      await admin.call('ACL', 'SETUSER', foreign, 'on', '>x', '~*', '+@all');
      try {
        await expect(
          engine.provision(uniqueName('sbxredis'), foreign, 'y'),
        ).rejects.toThrow(/was not created by the sandbox/);
        const rules = String(await admin.call('ACL', 'LIST'));
        expect(rules).toContain(`user ${foreign} on`);
      } finally {
        await admin.acl('DELUSER', foreign);
      }
    } finally {
      admin.disconnect();
    }
  }, 60_000);
});
