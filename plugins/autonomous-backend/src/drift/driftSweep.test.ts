import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
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
import {
  createDriftMonitor,
  DriftSweep,
  readDriftSettings,
} from './DriftSweep';

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();
const WATCHED = 'component:default/watched';
const QUIET = 'component:default/quiet';

describe('readDriftSettings', () => {
  it('checks every 5 minutes without notifying unless configured', () => {
    expect(readDriftSettings(new ConfigReader({}))).toEqual({
      checkIntervalMs: 300_000,
      notify: false,
    });
    expect(
      readDriftSettings(
        new ConfigReader({
          autonomous: { drift: { checkInterval: '2m', notify: true } },
        }),
      ),
    ).toEqual({ checkIntervalMs: 120_000, notify: true });
    expect(() =>
      readDriftSettings(
        new ConfigReader({
          autonomous: { drift: { checkInterval: { milliseconds: 10 } } },
        }),
      ),
    ).toThrow('autonomous.drift.checkInterval must be at least 1 second');
  });
});

describe.each(databases.ids)('background drift check on %s', databaseId => {
  let upstream: SandboxProjects;
  let knex: Knex;
  let releases: DatabaseReleaseStore;
  let work: ReleaseWorkStore;
  let orchestrator: ReleaseOrchestrator;
  let service: EnvironmentService;
  const announced: Release[] = [];
  const sent: Array<{ recipients: any; payload: any }> = [];
  const notifier = {
    send: async (options: { recipients: any; payload: any }) => {
      sent.push(options);
    },
  };

  /** A check of one project's environments, as the scheduled task runs it. */
  function sweepOf(entityRef: string, notify: boolean) {
    const store = new DriftStore(knex);
    return new DriftSweep({
      store,
      work,
      monitor: createDriftMonitor({
        store,
        settings: { checkIntervalMs: 60_000, notify },
        onChange: release => announced.push(release),
        notifier,
      }),
      clients: upstream.clients,
      // Other tests' projects share the database: each sweep here looks at its own only.
      resolveProject: async ref => {
        if (ref !== entityRef) throw new Error(`${ref} is not watched here`);
        return upstream.resolve(ref);
      },
      logger: mockServices.logger.mock(),
    });
  }

  beforeAll(async () => {
    upstream = await startSandboxProjects();
    await upstream.addProject('watched');
    await upstream.addProject('quiet');
    knex = await databases.migrated(databaseId);
    releases = new DatabaseReleaseStore(knex);
    work = new ReleaseWorkStore(knex);
    orchestrator = new ReleaseOrchestrator({
      work,
      releases,
      clients: upstream.clients,
      resolveProject: ref => upstream.resolve(ref),
      settings: { ...DEFAULT_ORCHESTRATOR_SETTINGS, pollIntervalMs: 100 },
      logger: mockServices.logger.mock(),
    });
    service = new EnvironmentService(upstream.clients, work);
  });

  afterAll(async () => {
    orchestrator.stop();
    await upstream.stop();
  });

  const create = (entityRef: string, version: string) =>
    releases.createRelease({
      entityRef,
      environment: 'production',
      version,
      ref: 'main',
      trigger: 'api',
      requestedBy: 'user:default/owner',
      buildJob: `shop/${entityRef.split('/')[1]}`,
      argocdApplication: entityRef.split('/')[1],
    });

  async function finish(id: string): Promise<Release> {
    for (;;) {
      await orchestrator.tick();
      const release = (await releases.getRelease(id))!;
      if (['healthy', 'failed'].includes(release.status)) return release;
      await new Promise(r => setTimeout(r, 50));
    }
  }

  const deploy = async (entityRef: string, version: string) =>
    finish((await create(entityRef, version)).id);

  const driftEvents = async (id: string) =>
    (await releases.getReleaseWithEvents(id))!.events
      .map(e => e.message)
      .filter(m => m.startsWith('Drift'));

  const outcomeOf = async (sweep: DriftSweep, entityRef: string) =>
    (await sweep.run()).get(`${entityRef} production`);

  async function untilSynced(application: string) {
    const argocd = upstream.clients.get('argocd');
    for (let i = 0; i < 200; i++) {
      const app = await argocd.getApplication(application);
      if (
        app.status?.sync?.status === 'Synced' &&
        app.status.operationState?.phase !== 'Running'
      ) {
        return;
      }
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(`${application} never came back in sync`);
  }

  let first: Release;

  it('detects a drift no page reads, writes it in the history and notifies the owners once', async () => {
    const sweep = sweepOf(WATCHED, true);
    first = await deploy(WATCHED, 'v1');
    expect(first.status).toBe('healthy');
    expect(await outcomeOf(sweep, WATCHED)).toBe('in-sync');

    await upstream.control('/argocd/drift', { application: 'watched' });
    expect(await outcomeOf(sweep, WATCHED)).toBe('drifted');
    expect(await driftEvents(first.id)).toEqual([
      'Drift detected: watched is OutOfSync with no release in flight: Deployment watched (spec.replicas: 2 live, 1 in Git)',
    ]);
    expect(announced.map(r => r.id)).toEqual([first.id]);
    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: WATCHED },
        payload: expect.objectContaining({
          title: 'production of watched drifted from Git',
          description: expect.stringContaining(
            'Deployment watched (spec.replicas: 2 live, 1 in Git)',
          ),
          link: '/catalog/default/component/watched/autonomous',
          scope: `autonomous:drift:${WATCHED}:production`,
        }),
      },
    ]);

    // The same episode seen again: nothing new in the history, no second notification.
    expect(await outcomeOf(sweep, WATCHED)).toBe('drifted');
    expect(await driftEvents(first.id)).toHaveLength(1);
    expect(sent).toHaveLength(1);
  });

  it('records a correction by a sync from the portal, with the account that synced', async () => {
    const sweep = sweepOf(WATCHED, true);
    await service.sync(await upstream.resolve(WATCHED), 'production');
    await untilSynced('watched');
    expect(await outcomeOf(sweep, WATCHED)).toBe('in-sync');
    expect((await driftEvents(first.id))[1]).toMatch(
      /^Drift corrected by a sync as ArgoCD account \S+: watched is in sync with Git again$/,
    );
    expect(announced).toHaveLength(2);
  });

  it('reports no drift while a release is in flight, and none after it applied Git', async () => {
    const sweep = sweepOf(WATCHED, true);
    await upstream.control('/argocd/drift', { application: 'watched' });
    const queued = await create(WATCHED, 'v2');
    expect(await outcomeOf(sweep, WATCHED)).toBe('in-flight');
    expect(await driftEvents(queued.id)).toEqual([]);
    expect(sent).toHaveLength(1);

    expect((await finish(queued.id)).status).toBe('healthy');
    expect(await outcomeOf(sweep, WATCHED)).toBe('in-sync');
    expect(await driftEvents(queued.id)).toEqual([]);
    expect(await driftEvents(first.id)).toHaveLength(2);
  });

  it('records a correction by a release, naming it and who asked for it', async () => {
    const sweep = sweepOf(WATCHED, true);
    await upstream.control('/argocd/drift', { application: 'watched' });
    expect(await outcomeOf(sweep, WATCHED)).toBe('drifted');
    // The second episode updates the owners' notification: the same scope.
    expect(sent.map(s => s.payload.scope)).toEqual([
      `autonomous:drift:${WATCHED}:production`,
      `autonomous:drift:${WATCHED}:production`,
    ]);
    const v2 = (await work.environmentHistory(WATCHED, 'production'))[0];
    const v3 = await deploy(WATCHED, 'v3');
    expect(await outcomeOf(sweep, WATCHED)).toBe('in-sync');
    expect(await driftEvents(v2.id)).toEqual([
      expect.stringMatching(/^Drift detected: watched is OutOfSync/),
      `Drift corrected by release #${v3.number} (v3), requested by user:default/owner: watched is in sync with Git again`,
    ]);
  });

  it('writes the drift in the history but tells no one when notifications are off', async () => {
    const sweep = sweepOf(QUIET, false);
    const release = await deploy(QUIET, 'v1');
    await upstream.control('/argocd/drift', { application: 'quiet' });
    const before = sent.length;
    expect(await outcomeOf(sweep, QUIET)).toBe('drifted');
    expect(await driftEvents(release.id)).toEqual([
      expect.stringMatching(/^Drift detected: quiet is OutOfSync/),
    ]);
    expect(sent).toHaveLength(before);
  });
});
