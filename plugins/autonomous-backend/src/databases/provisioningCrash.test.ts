import knexFactory, { Knex } from 'knex';
import { join } from 'node:path';
import { ChildBackend } from '../__testUtils__/childBackend';
import { databaseEntity } from '../__testUtils__/databaseEntities';
import {
  SandboxProjects,
  sandboxConfigData,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { DatabaseDatabaseInstanceStore } from '../database/DatabaseInstanceStore';
import { migrateTestDatabase } from '../database/migrations';

/*
 * A real backend process is SIGKILLed in the middle of each provisioning step (the upstream the
 * step calls is slowed so the kill lands inside it) and started again: the database must end
 * ready, with one ArgoCD application, one version of its Vault secret, one users Job, and each
 * step's success written once.
 */

jest.setTimeout(600_000);

interface KillPoint {
  step: string;
  /** Slows the system the step calls, so the kill lands while it waits for the answer. */
  slow: 'kubernetes' | 'vault' | 'argocd';
}

const KILL_POINTS: KillPoint[] = [
  { step: 'namespace', slow: 'kubernetes' },
  { step: 'credentials', slow: 'vault' },
  { step: 'secret', slow: 'kubernetes' },
  { step: 'application', slow: 'argocd' },
  { step: 'readiness', slow: 'kubernetes' },
  { step: 'users', slow: 'kubernetes' },
  { step: 'profile', slow: 'kubernetes' },
];

let upstream: SandboxProjects;
let backend: ChildBackend;
let knex: Knex;
let instances: DatabaseDatabaseInstanceStore;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  backend = await ChildBackend.create({
    entities: [databaseEntity('crash-db', { engine: 'postgresql' })],
    config: () => ({
      ...sandboxConfigData(upstream.sandbox.url),
      autonomous: {
        ...sandboxConfigData(upstream.sandbox.url).autonomous,
        orchestrator: { enabled: false },
        databases: {
          enabled: true,
          pollInterval: '100ms',
          lease: '2s',
          readinessTimeout: '2m',
          jobTimeout: '2m',
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
  instances = new DatabaseDatabaseInstanceStore(knex);
});

afterAll(async () => {
  await backend?.kill();
  await knex?.destroy();
  await upstream?.stop();
});

type Row = { status: string; step: string | null; step_started_at: unknown };

async function waitFor(
  id: string,
  done: (row: Row) => boolean,
  what: string,
): Promise<Row> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const row: Row = await knex('database_instances').where({ id }).first();
    if (done(row)) return row;
    if (row.status === 'failed') {
      const events = await knex('database_events').where({ database_id: id });
      throw new Error(
        `failed while waiting for ${what}: ${events
          .map(e => `${e.step} ${e.status}: ${e.message}`)
          .join(' | ')}\n${backend.log()}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what} (${row.status}/${row.step})`,
      );
    }
    await new Promise(r => setTimeout(r, 10));
  }
}

describe('a backend killed mid-provisioning', () => {
  it.each(KILL_POINTS.map((p, i) => [p.step, p, i] as const))(
    'ends ready after a SIGKILL during %s, with one of everything',
    async (_step, point, i) => {
      const name = `crash-${i}-${point.step.slice(0, 6)}`;
      const instance = await instances.createInstance({
        entityRef: 'resource:default/crash-db',
        name,
        engine: 'postgresql',
        version: '17',
        mode: 'single',
        environment: 'default',
        namespace: `db-${name}`,
        storageGi: 2,
        credentialsPath: `autonomous/databases/${name}`,
        createdBy: 'user:default/owner',
      });
      await upstream.control('/faults', {
        system: point.slow,
        latencyMs: 1_200,
      });
      await backend.start();
      await waitFor(
        instance.id,
        r => r.step === point.step && r.step_started_at !== null,
        `${point.step} started`,
      );
      // Inside the step: its upstream call is on its way.
      await new Promise(r => setTimeout(r, 300));
      await backend.kill();
      await upstream.control('/faults', undefined, 'DELETE');

      await backend.start();
      await waitFor(instance.id, r => r.status === 'ready', 'ready');
      await backend.kill();

      const { clients } = upstream;
      const apps = (await clients.get('argocd').getApplication(`db-${name}`))
        .metadata.name;
      expect(apps).toBe(`db-${name}`);
      const metadata = await clients
        .get('vault')
        .readMetadata(`autonomous/databases/${name}`);
      expect(metadata?.current_version).toBe(1);
      const jobs = await clients
        .get('kubernetes')
        .listJobs(`db-${name}`, 'autonomous.dev/job-kind=users');
      expect(jobs).toHaveLength(1);
      const events = await knex('database_events')
        .where({ database_id: instance.id })
        .orderBy('seq');
      const succeeded = events
        .filter(e => e.status === 'succeeded')
        .map(e => e.step);
      expect(succeeded).toEqual([
        'namespace',
        'credentials',
        'secret',
        'application',
        'readiness',
        'users',
        'profile',
        'ready',
      ]);
      expect(events.filter(e => e.status === 'failed')).toEqual([]);
    },
  );
});
