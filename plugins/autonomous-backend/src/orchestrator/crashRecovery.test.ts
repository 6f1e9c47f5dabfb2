import knexFactory, { Knex } from 'knex';
import { join } from 'node:path';
import { ChildBackend } from '../__testUtils__/childBackend';
import {
  entityFor,
  SandboxProjects,
  sandboxConfigData,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { migrateTestDatabase } from '../database/migrations';
import { DatabaseReleaseStore } from '../database/ReleaseStore';

/*
 * A real backend process is SIGKILLed at every stage of a release and started again: the
 * release must still end healthy, and Jenkins must have built it exactly once.
 */

jest.setTimeout(600_000);

type Row = {
  status: string;
  build_from_number: number | null;
  build_queue_id: number | null;
  build_number: number | null;
};

interface KillPoint {
  name: string;
  /** Upstream slowness that holds the release at this point long enough to kill it there. */
  fault?: { system: string; latencyMs: number };
  reached(row: Row): boolean;
}

const KILL_POINTS: KillPoint[] = [
  { name: 'queued, just after the backend started', reached: () => true },
  {
    name: 'building, while the Jenkins trigger is on its way',
    fault: { system: 'jenkins', latencyMs: 1_500 },
    reached: r =>
      r.status === 'building' &&
      r.build_from_number !== null &&
      r.build_queue_id === null,
    // Whether Jenkins got the cut-off trigger depends on the moment of the kill; either way
    // one build must result. ReleaseOrchestrator.test.ts covers "Jenkins got it" exactly.
  },
  {
    name: 'building, while the build runs',
    reached: r => r.status === 'building' && r.build_number !== null,
  },
  {
    name: 'built, while ArgoCD is being given the digest',
    fault: { system: 'argocd', latencyMs: 1_500 },
    reached: r => r.status === 'built',
  },
  { name: 'syncing', reached: r => r.status === 'syncing' },
  { name: 'progressing', reached: r => r.status === 'progressing' },
];

let upstream: SandboxProjects;
let backend: ChildBackend;
let knex: Knex;
let releases: DatabaseReleaseStore;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject('storefront');
  await upstream.addProject('catalog', { autoRollback: true });
  await upstream.control('/timings', {
    queueDelayMs: 600,
    buildDurationMs: 2_500,
    syncDurationMs: 1_200,
    podStartMs: 600,
    podReadyMs: 1_200,
  });
  backend = await ChildBackend.create({
    entities: [
      entityFor('storefront'),
      entityFor('catalog', { autoRollback: true }),
    ],
    config: () => ({
      ...sandboxConfigData(upstream.sandbox.url),
      autonomous: {
        ...sandboxConfigData(upstream.sandbox.url).autonomous,
        orchestrator: {
          pollIntervalSeconds: 0.3,
          leaseSeconds: 2,
          retryWindowSeconds: 120,
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
  releases = new DatabaseReleaseStore(knex);
});

afterAll(async () => {
  await backend?.kill();
  await knex?.destroy();
  await upstream?.stop();
});

async function waitFor(
  id: string,
  done: (row: Row) => boolean,
  what: string,
): Promise<Row> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const row: Row = await knex('releases').where({ id }).first();
    if (done(row)) return row;
    if (['failed', 'cancelled'].includes(row.status)) {
      const events = await knex('release_events').where({ release_id: id });
      throw new Error(
        `release ${row.status} while waiting for ${what}: ${events
          .map(e => e.message)
          .join(' | ')}\n${backend.log()}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what} (${row.status})`);
    }
    await new Promise(r => setTimeout(r, 25));
  }
}

async function buildsOf(id: string): Promise<number> {
  const state = await upstream.control('/state');
  return state.jenkins.jobs
    .flatMap((j: any) => j.builds)
    .filter((b: any) => b.params?.AUTONOMOUS_RELEASE_ID === id).length;
}

describe('a backend killed mid-release', () => {
  it.each(KILL_POINTS.map(p => [p.name, p] as const))(
    'finishes the release after a SIGKILL when %s, with one Jenkins build',
    async (_name, point) => {
      const release = await releases.createRelease({
        entityRef: 'component:default/storefront',
        environment: 'production',
        version: `crash-${Date.now()}`,
        ref: 'main',
        trigger: 'api',
        requestedBy: 'user:default/owner',
        buildJob: 'shop/storefront',
        argocdApplication: 'storefront',
      });
      if (point.fault) await upstream.control('/faults', point.fault);
      await backend.start();
      await waitFor(release.id, point.reached, point.name);
      await backend.kill();
      await upstream.control('/faults', undefined, 'DELETE');

      await backend.start();
      await waitFor(release.id, r => r.status === 'healthy', 'healthy');
      await backend.kill();
      expect(await buildsOf(release.id)).toBe(1);
      const events = await knex('release_events').where({
        release_id: release.id,
      });
      expect(events.map(e => e.message).join('\n')).toMatch(
        /replicas of storefront-production\/storefront ready on sha256:/,
      );
    },
  );

  it('never leaves a degraded release without its rollback when killed as it turns Degraded', async () => {
    const catalogRelease = (version: string) =>
      releases.createRelease({
        entityRef: 'component:default/catalog',
        environment: 'production',
        version,
        ref: 'main',
        trigger: 'api',
        requestedBy: 'user:default/owner',
        buildJob: 'shop/catalog',
        argocdApplication: 'catalog',
      });
    await backend.start();
    try {
      const good = await catalogRelease(`good-${Date.now()}`);
      await waitFor(good.id, r => r.status === 'healthy', 'the good release');
      await upstream.control('/argocd/degrade', {
        application: 'catalog',
        sticky: false,
      });
      const bad = await catalogRelease(`bad-${Date.now()}`);
      await waitFor(
        bad.id,
        r => ['built', 'syncing', 'progressing'].includes(r.status),
        'the bad release built',
      );
      const { image_ref } = await knex('releases')
        .where({ id: bad.id })
        .first('image_ref');
      // Its image crashes: ArgoCD will say Degraded, and the orchestrator rolls back.
      await upstream.control('/argocd/degrade', {
        digest: String(image_ref).split('@')[1],
      });
      await waitFor(
        bad.id,
        r => !['built', 'syncing', 'progressing'].includes(r.status),
        'the move on from progressing',
      );
      await backend.kill();

      // Whatever the moment of the kill, the release is never degraded on its own.
      const atKill = await knex('releases').where({ id: bad.id }).first();
      expect(atKill.status).toBe('rolling-back');
      const rollbacks = await knex('releases').where({
        entity_ref: 'component:default/catalog',
        trigger: 'rollback',
        source_release_id: good.id,
      });
      expect(rollbacks).toHaveLength(1);

      await backend.start();
      await waitFor(bad.id, r => r.status === 'rolled-back', 'rolled back');
    } finally {
      await backend.kill();
      await upstream.control('/argocd/degrade', undefined, 'DELETE');
    }
  });
});
