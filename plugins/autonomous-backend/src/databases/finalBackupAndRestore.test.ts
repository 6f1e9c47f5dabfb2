import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { databaseEntity } from '../__testUtils__/databaseEntities';
import {
  SandboxProjects,
  sandboxConfigData,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseEventStore } from '../database/DatabaseEventStore';
import { DatabaseDatabaseInstanceStore } from '../database/DatabaseInstanceStore';
import { DatabaseWorkStore } from '../database/DatabaseWorkStore';
import { DatabaseBackupHooks } from './backupHooks';
import { DatabaseProvisioner } from './DatabaseProvisioner';
import { DatabaseService } from './DatabaseService';
import { readDatabaseSettings } from './settings';

/*
 * The provisioning worker's side of the backups hooks: a restore into a new instance runs
 * before its profile, and a delete waits for the final backup; a failed one removes nothing.
 * The hooks here stand for the backups module, answering as it would.
 */

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();
let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
});
afterAll(() => upstream?.stop());

/** The backups module as the worker sees it: each job runs for two polls, then ends as told. */
function scriptedHooks(
  outcome: { state: 'succeeded' } | { state: 'failed'; reason: string },
) {
  const calls: string[] = [];
  const polls = new Map<string, number>();
  const hooks: DatabaseBackupHooks = {
    async startFinalBackup(instance, requestedBy) {
      calls.push(`final ${instance.name} by ${requestedBy}`);
      return `final-${instance.id}`;
    },
    async startRestore(instance, backupId) {
      calls.push(`restore ${backupId} into ${instance.name}`);
      return `restore-${instance.id}`;
    },
    async progress(id) {
      const n = (polls.get(id) ?? 0) + 1;
      polls.set(id, n);
      return n < 3 ? { state: 'running' } : outcome;
    },
  };
  return { hooks, calls };
}

describe.each(databases.ids)('backups hooks on %s', databaseId => {
  let knex: Knex;
  const suffix = databaseId.toLowerCase().slice(0, 5);

  beforeAll(async () => {
    knex = await databases.migrated(databaseId);
  });

  function setup(hooks: DatabaseBackupHooks) {
    const base = sandboxConfigData(upstream.sandbox.url);
    const config = new ConfigReader({
      autonomous: {
        ...base.autonomous,
        databases: { pollInterval: '50ms', lease: '5s' },
      },
    });
    const settings = readDatabaseSettings(config);
    const clients = UpstreamClients.fromConfig(config, { readCache: false });
    const work = new DatabaseWorkStore(knex);
    const entity = databaseEntity('ledger-db', { engine: 'mysql' });
    const provisioner = new DatabaseProvisioner({
      work,
      clients,
      settings,
      logger: mockServices.logger.mock(),
      entity: async () => entity,
      hooks,
    });
    const service = new DatabaseService({
      instances: new DatabaseDatabaseInstanceStore(knex),
      events: new DatabaseEventStore(knex),
      work,
      settings,
      clients,
      entity: async () => entity,
      wake: () => provisioner.wake(),
    });
    return { provisioner, service, clients };
  }

  async function until(
    service: DatabaseService,
    id: string,
    status: DatabaseInstance['status'],
  ) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const instance = await service.get(id);
      if (instance.status === status) return instance;
      if (Date.now() > deadline) {
        throw new Error(
          `${instance.status}: ${(await service.listEvents(id))
            .map(e => `${e.step} ${e.status}: ${e.message}`)
            .join(' | ')}`,
        );
      }
      await new Promise(r => setTimeout(r, 50));
    }
  }

  it('restores the backup into a new instance before its profile, once', async () => {
    const { hooks, calls } = scriptedHooks({ state: 'succeeded' });
    const { provisioner, service } = setup(hooks);
    const instance = await service.provision({
      entityRef: 'resource:default/ledger-db',
      name: `copy-${suffix}`,
      requestedBy: 'user:default/owner',
      restoreFromBackupId: 'b-42',
    });
    expect(instance.restoreFromBackupId).toBe('b-42');
    await until(service, instance.id, 'ready');
    provisioner.stop();
    const steps = (await service.listEvents(instance.id)).map(
      e => `${e.step} ${e.status}`,
    );
    expect(steps.slice(-7)).toEqual([
      'users started',
      'users succeeded',
      'restore started',
      'restore succeeded',
      'profile started',
      'profile succeeded',
      'ready succeeded',
    ]);
    expect(calls).toEqual([`restore b-42 into copy-${suffix}`]);
  });

  it('keeps everything when the final backup fails, and deletes after one that succeeds', async () => {
    const failing = scriptedHooks({
      state: 'failed',
      reason: 'mysqldump: Got error 2013',
    });
    const first = setup(failing.hooks);
    const { clients } = first;
    let { provisioner, service } = first;
    const name = `gone-${suffix}`;
    const instance = await service.provision({
      entityRef: 'resource:default/ledger-db',
      name,
      requestedBy: 'user:default/owner',
    });
    await until(service, instance.id, 'ready');
    await service.delete(await service.get(instance.id), {
      confirm: name,
      finalBackup: true,
      requestedBy: 'user:default/carol',
    });
    const back = await until(service, instance.id, 'ready');
    expect(back.statusMessage).toBe(
      'final-backup failed: The final backup failed, so nothing was deleted: mysqldump: Got error 2013',
    );
    expect(failing.calls).toEqual([`final ${name} by user:default/carol`]);
    expect(
      (await clients.get('argocd').getApplication(`db-${name}`)).metadata.name,
    ).toBe(`db-${name}`);
    expect(
      await clients.get('vault').readMetadata(`autonomous/databases/${name}`),
    ).toBeDefined();
    provisioner.stop();

    const succeeding = scriptedHooks({ state: 'succeeded' });
    ({ provisioner, service } = setup(succeeding.hooks));
    await service.delete(await service.get(instance.id), {
      confirm: name,
      finalBackup: true,
      requestedBy: 'user:default/carol',
    });
    await until(service, instance.id, 'deleted');
    provisioner.stop();
    const events = (await service.listEvents(instance.id)).map(
      e => `${e.step} ${e.status}`,
    );
    expect(events.slice(-9)).toEqual([
      'deleting info',
      'final-backup started',
      'final-backup failed',
      'deleting info',
      'final-backup started',
      'final-backup succeeded',
      'deleting started',
      'deleting succeeded',
      'deleted succeeded',
    ]);
    expect(
      await clients.get('vault').readMetadata(`autonomous/databases/${name}`),
    ).toBeUndefined();
  });
});
