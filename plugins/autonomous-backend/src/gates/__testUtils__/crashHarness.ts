import { Entity } from '@backstage/catalog-model';
import knexFactory, { Knex } from 'knex';
import { join } from 'node:path';
import { ChildBackend } from '../../__testUtils__/childBackend';
import { SandboxProjects } from '../../__testUtils__/sandboxProject';
import { HealthGateStore } from '../../database/HealthGateStore';
import { migrateTestDatabase } from '../../database/migrations';
import { DatabaseReleaseStore } from '../../database/ReleaseStore';
import { gateConfigData } from './gateHarness';

export type CrashRow = { id: string; status: string; image_ref: string | null };

/**
 * A real backend process with health gates on the sandbox, to be SIGKILLed and started again,
 * and the stores of its SQLite file, read from the test as the backend writes them.
 */
export async function startGateCrashBackend(
  upstream: SandboxProjects,
  entities: Entity[],
) {
  const backend = await ChildBackend.create({
    entities,
    config: () => {
      const config = gateConfigData(upstream.sandbox.url);
      return {
        ...config,
        autonomous: {
          ...config.autonomous,
          orchestrator: {
            pollInterval: { milliseconds: 300 },
            lease: { seconds: 2 },
            retryWindow: { minutes: 2 },
          },
        },
      };
    },
  });
  const knex: Knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(backend.dir, 'autonomous.sqlite') },
    useNullAsDefault: true,
  });
  await migrateTestDatabase(knex);
  const releases = new DatabaseReleaseStore(knex);
  const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

  /** Waits until the release row passes `done`; a release that ended otherwise fails the test. */
  async function waitFor(
    id: string,
    done: (row: CrashRow) => boolean | Promise<boolean>,
    what: string,
    options: { timeoutMs?: number; endedIf?: string[] } = {},
  ): Promise<CrashRow> {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    const ended = options.endedIf ?? ['failed', 'cancelled'];
    for (;;) {
      const row: CrashRow = await knex('releases').where({ id }).first();
      if (await done(row)) return row;
      if (ended.includes(row.status)) {
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
      await pause(25);
    }
  }

  /** A release of the sample project `name` to production, as the API would create it. */
  function create(name: string, version: string) {
    return releases.createRelease({
      entityRef: `component:default/${name}`,
      environment: 'production',
      version,
      ref: 'main',
      trigger: 'api',
      requestedBy: 'user:default/owner',
      buildJob: `shop/${name}`,
      argocdApplication: name,
    });
  }

  /** The messages of the release's events, in order. */
  const messagesOf = async (id: string) =>
    (await knex('release_events').where({ release_id: id }).orderBy('seq')).map(
      e => String(e.message),
    );

  return {
    backend,
    knex,
    releases,
    gates: new HealthGateStore(knex),
    waitFor,
    create,
    messagesOf,
    async stop() {
      await backend.kill();
      await knex.destroy();
    },
  };
}
