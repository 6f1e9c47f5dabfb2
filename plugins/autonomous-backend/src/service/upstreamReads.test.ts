import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { mockServices } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import {
  sandboxConfig,
  SandboxProjects,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { migrateTestDatabase } from '../database/migrations';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { ReleaseWorkStore } from '../database/ReleaseWorkStore';
import { ReleaseOrchestrator } from '../orchestrator/ReleaseOrchestrator';
import { DEFAULT_ORCHESTRATOR_SETTINGS } from '../orchestrator/types';
import { EnvironmentService } from './EnvironmentService';
import { forgetReadsOfRelease } from './upstreamReads';

jest.setTimeout(60_000);

let upstream: SandboxProjects;
let knex: Knex;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject('storefront');
  knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  await migrateTestDatabase(knex);
});

afterAll(async () => {
  await knex.destroy();
  await upstream.stop();
});

describe('the status read after a release moves', () => {
  it('shows what the release deployed at once, not what the shared cache read before', async () => {
    // What the status route reads through: 10 s shared reads, as the portal runs it.
    const cached = UpstreamClients.fromConfig(
      sandboxConfig(upstream.sandbox.url),
    );
    expect(cached.settings.cacheTtlSeconds).toBe(10);
    const releases = new DatabaseReleaseStore(knex);
    const orchestrator = new ReleaseOrchestrator({
      work: new ReleaseWorkStore(knex),
      releases,
      clients: upstream.clients,
      resolveProject: ref => upstream.resolve(ref),
      settings: { ...DEFAULT_ORCHESTRATOR_SETTINGS, pollIntervalMs: 100 },
      logger: mockServices.logger.mock(),
      onChange: async (release, resolved) => {
        if (resolved) await forgetReadsOfRelease(cached, resolved, release);
      },
    });
    const deploy = async (version: string): Promise<Release> => {
      const { id } = await releases.createRelease({
        entityRef: 'component:default/storefront',
        environment: 'production',
        version,
        ref: 'main',
        trigger: 'api',
        requestedBy: 'user:default/owner',
        buildJob: 'shop/storefront',
        argocdApplication: 'storefront',
      });
      for (;;) {
        await orchestrator.tick();
        const release = (await releases.getRelease(id))!;
        if (['healthy', 'failed'].includes(release.status)) return release;
        await new Promise(r => setTimeout(r, 50));
      }
    };
    const environments = new EnvironmentService(
      cached,
      new ReleaseWorkStore(knex),
    );
    const production = async () =>
      (
        await environments.status(
          await upstream.resolve('component:default/storefront'),
        )
      ).environments[0];

    try {
      const v1 = await deploy('v1');
      expect((await production()).summary).toBe(
        `Release #${v1.number} (v1) is live · 1/1 ready`,
      );

      const started = Date.now();
      const v2 = await deploy('v2');
      expect(v2.status).toBe('healthy');
      const after = await production();
      // Well inside the cache time: only forgetting the stale reads makes this fresh.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(after).toMatchObject({
        runningRelease: { id: v2.id },
        running: { digest: v2.imageRef!.split('@')[1] },
        sync: { status: 'Synced' },
        summary: `Release #${v2.number} (v2) is live · 1/1 ready`,
      });
      expect(v1.imageRef).not.toBe(v2.imageRef);
    } finally {
      orchestrator.stop();
    }
  });
});
