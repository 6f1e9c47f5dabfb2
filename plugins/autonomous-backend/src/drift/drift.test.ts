import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  SandboxProjects,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { DriftStore } from '../database/DriftStore';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { ReleaseWorkStore } from '../database/ReleaseWorkStore';
import { ReleaseOrchestrator } from '../orchestrator/ReleaseOrchestrator';
import { DEFAULT_ORCHESTRATOR_SETTINGS } from '../orchestrator/types';
import { EnvironmentService } from '../service/EnvironmentService';
import { DriftMonitor } from './DriftMonitor';

jest.setTimeout(90_000);

const databases = createStoreTestDatabases();
const REF = 'component:default/drifty';

describe.each(databases.ids)('drift on %s', databaseId => {
  let upstream: SandboxProjects;
  let knex: Knex;
  let releases: DatabaseReleaseStore;
  let orchestrator: ReleaseOrchestrator;
  let service: EnvironmentService;
  const announced: Release[] = [];

  beforeAll(async () => {
    upstream = await startSandboxProjects();
    await upstream.addProject('drifty');
    knex = await databases.migrated(databaseId);
    releases = new DatabaseReleaseStore(knex);
    const work = new ReleaseWorkStore(knex);
    orchestrator = new ReleaseOrchestrator({
      work,
      releases,
      clients: upstream.clients,
      resolveProject: ref => upstream.resolve(ref),
      settings: { ...DEFAULT_ORCHESTRATOR_SETTINGS, pollIntervalMs: 100 },
      logger: mockServices.logger.mock(),
    });
    service = new EnvironmentService(
      upstream.clients,
      work,
      undefined,
      new DriftMonitor({
        store: new DriftStore(knex),
        onChange: release => announced.push(release),
      }),
    );
  });

  afterAll(async () => {
    orchestrator.stop();
    await upstream.stop();
  });

  const create = (version: string) =>
    releases.createRelease({
      entityRef: REF,
      environment: 'production',
      version,
      ref: 'main',
      trigger: 'api',
      requestedBy: 'user:default/owner',
      buildJob: 'shop/drifty',
      argocdApplication: 'drifty',
    });

  async function deploy(version: string): Promise<Release> {
    const { id } = await create(version);
    for (;;) {
      await orchestrator.tick();
      const release = (await releases.getRelease(id))!;
      if (['healthy', 'failed'].includes(release.status)) return release;
      await new Promise(r => setTimeout(r, 50));
    }
  }

  const production = async () =>
    (await service.status(await upstream.resolve(REF))).environments[0];

  async function untilInSync() {
    for (let i = 0; i < 200; i++) {
      const status = await production();
      if (
        status.sync?.status === 'Synced' &&
        !status.sync.operationPhase?.match(/Running/)
      ) {
        return status;
      }
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error('the application never came back in sync');
  }

  const driftEvents = async (id: string) =>
    (await releases.getReleaseWithEvents(id))!.events
      .map(e => e.message)
      .filter(m => m.startsWith('Drift'));

  it('reports a hand-made change with its diff once per episode, and a sync corrects it', async () => {
    const release = await deploy('v1');
    expect(release.status).toBe('healthy');
    expect((await production()).drift).toBeUndefined();

    await upstream.control('/argocd/drift', { application: 'drifty' });
    const drifted = await production();
    expect(drifted.drift).toMatchObject({
      environment: 'production',
      argocdApplication: 'drifty',
      drifted: true,
      resources: [
        {
          group: 'apps',
          kind: 'Deployment',
          name: 'drifty',
          changes: [{ path: 'spec.replicas', live: '2', desired: '1' }],
        },
      ],
    });
    const resolved = await upstream.resolve(REF);
    const read = await service.driftOf(resolved, 'production');
    expect(read.since).toBe(drifted.drift!.since);
    await production();
    expect(await driftEvents(release.id)).toEqual([
      'Drift detected: drifty is OutOfSync with no release in flight: Deployment drifty (spec.replicas: 2 live, 1 in Git)',
    ]);
    expect(announced.map(r => r.id)).toEqual([release.id]);

    // A sync nobody asked the portal for (the ArgoCD CLI): ArgoCD's account is all there is.
    await upstream.clients.get('argocd').sync('drifty', { prune: true });
    const healed = await untilInSync();
    expect(healed.drift).toBeUndefined();
    expect(await driftEvents(release.id)).toEqual([
      expect.stringContaining('Drift detected: drifty is OutOfSync'),
      expect.stringMatching(
        /^Drift corrected by a sync as ArgoCD account \S+: drifty is in sync with Git again$/,
      ),
    ]);
    expect(announced).toHaveLength(2);
  });

  it('names who asked the portal for the sync or the reconcile that corrected a drift', async () => {
    const [release] = await releases
      .listReleases(REF, { limit: 1 })
      .then(page => page.items);
    const resolved = await upstream.resolve(REF);
    for (const [act, who] of [
      ['sync', 'user:default/alice'],
      ['reconcile', 'user:default/bob'],
    ] as const) {
      await upstream.control('/argocd/drift', { application: 'drifty' });
      expect((await production()).drift?.drifted).toBe(true);
      await service[act](resolved, 'production', who);
      expect((await untilInSync()).drift).toBeUndefined();
      expect((await driftEvents(release.id)).at(-1)).toBe(
        `Drift corrected by a sync requested by ${who}: drifty is in sync with Git again`,
      );
    }
  });

  it('reconciles by force: a hard refresh and a sync', async () => {
    await upstream.control('/argocd/drift', {
      application: 'drifty',
      resources: [
        { kind: 'Service', path: 'metadata.labels.team', value: 'x' },
      ],
    });
    const resolved = await upstream.resolve(REF);
    expect((await service.driftOf(resolved, 'production')).resources).toEqual([
      expect.objectContaining({
        kind: 'Service',
        changes: [{ path: 'metadata.labels.team', live: '"x"' }],
      }),
    ]);
    expect(await service.reconcile(resolved, 'production')).toEqual({
      message:
        'ArgoCD compared drifty with its source again (hard refresh) and is syncing it',
    });
    expect((await untilInSync()).drift).toBeUndefined();
  });

  it('does not call a difference drift while a release is in flight', async () => {
    await upstream.control('/argocd/drift', { application: 'drifty' });
    const queued = await create('v2');
    const resolved = await upstream.resolve(REF);
    const drift = await service.driftOf(resolved, 'production');
    expect(drift).toMatchObject({
      drifted: false,
      notChecked: `release #${queued.number} is queued: a difference from Git is expected until it ends`,
      resources: [],
    });
    expect((await production()).drift).toBeUndefined();
    await releases.transition(queued.id, 'cancelled', 'not needed');
    expect((await service.driftOf(resolved, 'production')).drifted).toBe(true);
  });

  it('refuses an environment the project does not have', async () => {
    await expect(
      service.driftOf(await upstream.resolve(REF), 'qa'),
    ).rejects.toThrow(
      'environment "qa" is not one of component:default/drifty',
    );
  });
});
