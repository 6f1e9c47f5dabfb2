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
import {
  ArgoCdApplication,
  ArgoCdOperationInProgressError,
  UpstreamError,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import {
  EnvironmentService,
  summarize,
  syncWhenFree,
} from './EnvironmentService';

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
      summary: `Release #${bad.number} (v2) failed · running #${good.number} (v1) · 1/1 ready`,
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
        `Release #${
          production.lastRelease!.number
        } (v2) failed · the cluster could not be read`,
      );
    } finally {
      await upstream.control('/faults', undefined, 'DELETE');
    }
  });
});

describe('summarize', () => {
  const release = (
    number: number,
    version: string,
    status: Release['status'],
  ) => ({ id: version, number, version, status } as Release);
  const running = {
    images: ['harbor.local/shop/storefront@sha256:d17525d9aa'],
    digest: 'sha256:d17525d9aa',
    desiredReplicas: 2,
    readyReplicas: 2,
    updatedReplicas: 2,
    availableReplicas: 2,
    rolloutComplete: true,
  };
  const env = { environment: 'production', namespace: 'ns' };

  it('says a release is live when it is what runs, and nothing more', () => {
    const live = release(12, 'main-12', 'healthy');
    expect(
      summarize({ ...env, lastRelease: live, runningRelease: live, running }),
    ).toBe('Release #12 (main-12) is live · 2/2 ready');
  });

  it('says plainly what runs when no release of this portal deployed it', () => {
    expect(summarize({ ...env, running })).toBe(
      'Running d17525d9 (not deployed from this portal) · 2/2 ready',
    );
  });

  it('says what still serves while the last release failed or is on its way', () => {
    const serving = release(2, 'main-2', 'healthy');
    expect(
      summarize({
        ...env,
        lastRelease: release(3, 'main-3', 'failed'),
        runningRelease: serving,
        running: { ...running, readyReplicas: 1 },
      }),
    ).toBe('Release #3 (main-3) failed · running #2 (main-2) · 1/2 ready');
    expect(
      summarize({
        ...env,
        lastRelease: release(4, 'main-4', 'rolling-back'),
        running,
      }),
    ).toBe(
      'Release #4 (main-4) is rolling back · running d17525d9 (not deployed from this portal) · 2/2 ready',
    );
  });

  it('says when the cluster could not be read or nothing runs', () => {
    expect(summarize({ ...env })).toBe(
      'No release yet · the cluster could not be read',
    );
    expect(
      summarize({
        ...env,
        running: {
          ...running,
          images: [],
          digest: undefined,
          desiredReplicas: 0,
          readyReplicas: 0,
        },
      }),
    ).toBe('No release yet · nothing is running');
  });

  it('never says "no release" twice or reads as a double negative', () => {
    const sentences = [
      summarize({ ...env, running }),
      summarize({
        ...env,
        lastRelease: release(9, 'v9', 'cancelled'),
        running,
      }),
    ];
    for (const sentence of sentences) {
      expect(sentence).not.toMatch(
        /no release .*no release|an image no release/i,
      );
    }
    expect(sentences[1]).toBe(
      'Release #9 (v9) was cancelled · running d17525d9 (not deployed from this portal) · 2/2 ready',
    );
  });
});

describe('syncWhenFree', () => {
  const busy = new ArgoCdOperationInProgressError(
    'shop',
    new UpstreamError({
      system: 'argocd',
      operation: 'sync of application "shop"',
      status: 400,
      reason: 'another operation is already in progress',
    }),
  );
  /** ArgoCD that is busy for the first `busyFor` syncs. */
  const argocd = (busyFor: number) => {
    let calls = 0;
    return {
      calls: () => calls,
      sync: async () => {
        calls++;
        if (calls <= busyFor) throw busy;
        return { metadata: { name: 'shop' } } as ArgoCdApplication;
      },
    };
  };

  it('waits for the running operation to end, then syncs', async () => {
    const app = argocd(2);
    await syncWhenFree(app, 'shop', { waitMs: 1_000, pollMs: 10 });
    expect(app.calls()).toBe(3);
  });

  it('refuses at once without a wait, and with the caller’s words when the wait runs out', async () => {
    const now = argocd(1);
    await expect(syncWhenFree(now, 'shop', { waitMs: 0 })).rejects.toThrow(
      'ArgoCD is already running an operation on shop: try again when it ends',
    );
    expect(now.calls()).toBe(1);
    await expect(
      syncWhenFree(argocd(1_000), 'shop', {
        waitMs: 50,
        pollMs: 10,
        busyMessage: 'saved, sync it later',
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: 'saved, sync it later',
    });
  });

  it('lets any other refusal through as it came', async () => {
    const denied = new UpstreamError({
      system: 'argocd',
      operation: 'sync of application "shop"',
      status: 403,
      reason: 'permission denied',
    });
    await expect(
      syncWhenFree({ sync: async () => Promise.reject(denied) }, 'shop', {
        waitMs: 1_000,
      }),
    ).rejects.toBe(denied);
  });
});
