import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
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
 * Two real backends share one PostgreSQL database and 200 releases in flight: every release
 * must end healthy having been moved exactly once through each stage and built exactly once.
 */

jest.setTimeout(600_000);

const PG = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const RELEASES = 200;
const PROJECTS = 40;
const ENVIRONMENTS = ['production', 'staging', 'qa', 'dev', 'demo'];
const MOVES = [
  'queued',
  'building',
  'built',
  'syncing',
  'progressing',
  'healthy',
];

const describeIfPg = PG ? describe : describe.skip;

describeIfPg('two backends on one PostgreSQL', () => {
  const prefix = `autonomous_two_${randomBytes(4).toString('hex')}_`;
  const database = `${prefix}autonomous`;
  let upstream: SandboxProjects;
  let admin: Knex;
  let knex: Knex;
  const backends: ChildBackend[] = [];

  beforeAll(async () => {
    upstream = await startSandboxProjects();
    admin = knexFactory({ client: 'pg', connection: PG });
    await admin.raw(`CREATE DATABASE ${database}`);
    // A connection string wins over a `database` field in node-postgres: set it in the URL.
    const url = new URL(PG!);
    url.pathname = `/${database}`;
    knex = knexFactory({ client: 'pg', connection: url.toString() });
    await migrateTestDatabase(knex);
  });

  afterAll(async () => {
    for (const backend of backends) await backend.kill();
    await knex?.destroy();
    await admin?.raw(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin?.destroy();
    await upstream?.stop();
  });

  it('moves each of 200 releases exactly once with both backends competing for them', async () => {
    const entities = [];
    for (let p = 0; p < PROJECTS; p++) {
      const name = `svc${p}`;
      await upstream.addProject(name, { environments: ENVIRONMENTS });
      entities.push(entityFor(name, { environments: ENVIRONMENTS }));
    }
    const releases = new DatabaseReleaseStore(knex);
    const ids: string[] = [];
    for (let n = 0; n < RELEASES; n++) {
      const name = `svc${n % PROJECTS}`;
      const environment = ENVIRONMENTS[Math.floor(n / PROJECTS)];
      const release = await releases.createRelease({
        entityRef: `component:default/${name}`,
        environment,
        version: `r${n}`,
        ref: 'main',
        trigger: 'api',
        requestedBy: 'user:default/owner',
        buildJob: `shop/${name}`,
        argocdApplication:
          environment === 'production' ? name : `${name}-${environment}`,
      });
      ids.push(release.id);
    }

    const upstreams = sandboxConfigData(upstream.sandbox.url);
    for (let b = 0; b < 2; b++) {
      backends.push(
        await ChildBackend.create({
          entities,
          config: () => ({
            backend: {
              database: {
                client: 'pg',
                connection: PG,
                prefix,
              },
            },
            ...upstreams,
            autonomous: {
              ...upstreams.autonomous,
              orchestrator: { pollIntervalSeconds: 0.5, concurrency: 8 },
            },
          }),
        }),
      );
    }
    // One after the other: two backends creating Backstage's own tables in an empty database
    // at the same instant race each other (a rolling deploy never does that).
    for (const backend of backends) await backend.start();

    const deadline = Date.now() + 400_000;
    for (;;) {
      const rows: Array<{ status: string; n: string | number }> = await knex(
        'releases',
      )
        .whereIn('id', ids)
        .select('status')
        .count({ n: '*' })
        .groupBy('status');
      const done = rows.find(r => r.status === 'healthy');
      if (Number(done?.n ?? 0) === RELEASES) break;
      const failed = rows.find(r => r.status === 'failed');
      if (failed) throw new Error(`${failed.n} releases failed`);
      if (Date.now() > deadline) {
        throw new Error(`not all healthy: ${JSON.stringify(rows)}`);
      }
      await new Promise(r => setTimeout(r, 500));
    }

    const events = await knex('release_events')
      .whereIn('release_id', ids)
      .whereRaw('from_status is distinct from to_status')
      .orderBy('seq')
      .select('release_id', 'to_status');
    const moves = new Map<string, string[]>();
    for (const e of events) {
      moves.set(e.release_id, [
        ...(moves.get(e.release_id) ?? []),
        e.to_status,
      ]);
    }
    for (const id of ids) expect(moves.get(id)).toEqual(MOVES);

    const state = await upstream.control('/state');
    const builds = state.jenkins.jobs
      .flatMap((j: any) => j.builds)
      .map((b: any) => b.params?.AUTONOMOUS_RELEASE_ID)
      .filter((id: string) => ids.includes(id));
    expect(builds.length).toBe(RELEASES);
    expect(new Set(builds).size).toBe(RELEASES);
  });
});
