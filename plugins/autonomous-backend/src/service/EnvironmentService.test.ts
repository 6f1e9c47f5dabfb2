import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { mockServices } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import {
  SandboxProjects,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { migrateTestDatabase } from '../database/migrations';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { ReleaseWorkStore } from '../database/ReleaseWorkStore';
import { ReleaseOrchestrator } from '../orchestrator/ReleaseOrchestrator';
import { DEFAULT_ORCHESTRATOR_SETTINGS } from '../orchestrator/types';
import { EnvironmentService, summarize } from './EnvironmentService';

jest.setTimeout(60_000);

let upstream: SandboxProjects;
let knex: Knex;
let releases: DatabaseReleaseStore;
let orchestrator: ReleaseOrchestrator;
const changes: Release[] = [];

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject('storefront');
  knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  await migrateTestDatabase(knex);
  releases = new DatabaseReleaseStore(knex);
  orchestrator = new ReleaseOrchestrator({
    work: new ReleaseWorkStore(knex),
    releases,
    clients: upstream.clients,
    resolveProject: ref => upstream.resolve(ref),
    settings: { ...DEFAULT_ORCHESTRATOR_SETTINGS, pollIntervalMs: 100 },
    logger: mockServices.logger.mock(),
    onChange: release => {
      changes.push(release);
    },
  });
});

afterAll(async () => {
  orchestrator.stop();
  await knex.destroy();
  await upstream.stop();
});

async function deploy(version: string): Promise<Release> {
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
}

describe('EnvironmentService.status', () => {
  it('shows a failed deploy with the previous version still serving as exactly that', async () => {
    const good = await deploy('v1');
    expect(good.status).toBe('healthy');
    await upstream.control('/builds', { fail: true });
    const bad = await deploy('v2');
    await upstream.control('/builds', { fail: false });
    expect(bad.status).toBe('failed');

    const service = new EnvironmentService(
      upstream.clients,
      new ReleaseWorkStore(knex),
    );
    const status = await service.status(
      await upstream.resolve('component:default/storefront'),
    );
    const [production] = status.environments;
    expect(production).toMatchObject({
      environment: 'production',
      namespace: 'storefront-production',
      argocdApplication: 'storefront',
      lastRelease: { id: bad.id, status: 'failed' },
      runningRelease: { id: good.id, version: 'v1' },
      running: {
        digest: good.imageRef!.split('@')[1],
        readyReplicas: 1,
        desiredReplicas: 1,
        rolloutComplete: true,
      },
      sync: { status: 'Synced', automated: false },
      health: { status: 'Healthy' },
      summary: 'Release v2 is failed; v1 is serving (1/1 ready)',
    });
    expect(production.errors).toBeUndefined();
  });

  it('announces every move of a release for the pages', () => {
    const moves = changes.map(r => `${r.version}:${r.status}`);
    expect(moves).toEqual(
      expect.arrayContaining([
        'v1:building',
        'v1:built',
        'v1:syncing',
        'v1:progressing',
        'v1:healthy',
        'v2:failed',
      ]),
    );
  });

  it('still answers when ArgoCD is down, saying what could not be read', async () => {
    await upstream.control('/faults', { system: 'argocd', down: true });
    try {
      const service = new EnvironmentService(
        upstream.clients,
        new ReleaseWorkStore(knex),
      );
      const status = await service.status(
        await upstream.resolve('component:default/storefront'),
      );
      const [production] = status.environments;
      expect(production.lastRelease?.version).toBe('v2');
      expect(production.errors?.[0]).toMatch(/ArgoCD/);
      expect(production.summary).toBe(
        'Release v2 is failed; nothing could be read from the cluster',
      );
    } finally {
      await upstream.control('/faults', undefined, 'DELETE');
    }
  });
});

describe('summarize', () => {
  const release = (version: string, status: Release['status']) =>
    ({ id: version, version, status } as Release);
  const running = {
    images: [],
    desiredReplicas: 2,
    readyReplicas: 2,
    updatedReplicas: 2,
    availableReplicas: 2,
    rolloutComplete: true,
  };

  it('says a release is live when it is what runs', () => {
    const v3 = release('v3', 'healthy');
    expect(
      summarize({
        environment: 'production',
        namespace: 'ns',
        lastRelease: v3,
        runningRelease: v3,
        running,
      }),
    ).toBe('v3 is live (2/2 ready)');
  });

  it('says when something no release deployed is serving', () => {
    expect(
      summarize({ environment: 'production', namespace: 'ns', running }),
    ).toBe(
      'No release yet; an image no release of this portal deployed is serving (2/2 ready)',
    );
  });
});
