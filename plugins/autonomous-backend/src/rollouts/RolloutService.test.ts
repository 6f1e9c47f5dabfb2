import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  SandboxProjects,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { RolloutService } from './RolloutService';

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const CANARY = {
  'rollout.strategy': 'canary',
  'rollout.steps': '20,pause,50,pause',
};
const digest = (c: string) => `sha256:${c.repeat(64)}`;

/** Polls until `fn` gives a value, or fails after `timeoutMs`. */
async function eventually<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 50));
  }
}

let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
});
afterAll(() => upstream.stop());

describe.each(databases.ids)('rollout actions in release history on %s', id => {
  const suffix = id.toLowerCase().replace(/[^a-z0-9]/g, '');
  let releases: DatabaseReleaseStore;
  let service: RolloutService;
  const changed: Release[] = [];

  beforeAll(async () => {
    releases = new DatabaseReleaseStore(await databases.migrated(id));
    service = new RolloutService({
      clients: upstream.clients,
      freshClients: upstream.clients,
      releases,
      onChange: release => changed.push(release),
    });
  });

  /** Rolls `name` out to a new digest, as the release being rolled out had ArgoCD do. */
  async function rollOut(name: string, d: string) {
    const argocd = upstream.clients.get('argocd');
    await argocd.setHelmParameters(
      name,
      Object.entries({ replicaCount: '4', ...CANARY, 'image.digest': d }).map(
        ([k, value]) => ({ name: k, value }),
      ),
    );
    await argocd.sync(name, { prune: true });
  }

  const pausedAt = (name: string, step: number) =>
    eventually(async () => {
      const view = await service.get(
        await upstream.resolve(`component:default/${name}`),
        'production',
      );
      return view.paused && view.currentStepIndex === step ? view : undefined;
    });

  /** A release of `name` the orchestrator has brought to progressing. */
  async function progressing(name: string): Promise<Release> {
    const release = await releases.createRelease({
      entityRef: `component:default/${name}`,
      environment: 'production',
      trigger: 'manual',
      requestedBy: ALICE,
      argocdApplication: name,
    });
    for (const to of ['built', 'syncing', 'progressing'] as const) {
      await releases.transition(release.id, to, `to ${to}`);
    }
    return release;
  }

  const notes = async (releaseId: string) =>
    (await releases.getReleaseWithEvents(releaseId))!.events
      .filter(e => e.from === e.to)
      .map(e => e.message);

  it('writes who promoted at which step, and who aborted, in the history of the release being rolled out', async () => {
    const name = `storefront${suffix}`;
    const ns = `${name}-production`;
    await upstream.addProject(name);
    await rollOut(name, digest('a'));
    await eventually(async () => {
      const app = await upstream.clients.get('argocd').getApplication(name);
      return app.status?.operationState?.phase === 'Succeeded' &&
        app.status.health?.status === 'Healthy'
        ? app
        : undefined;
    });
    const resolved = await upstream.resolve(`component:default/${name}`);
    const earlier = await releases.createRelease({
      entityRef: `component:default/${name}`,
      environment: 'production',
      trigger: 'manual',
      requestedBy: ALICE,
    });
    await releases.transition(earlier.id, 'cancelled', 'not needed');
    const release = await progressing(name);
    await rollOut(name, digest('b'));
    await pausedAt(name, 1);
    const stable = (await service.get(resolved, 'production')).stableRevision;

    await service.promote(resolved, 'production', {}, ALICE);
    expect(await notes(release.id)).toEqual([
      `${ALICE} promoted rollout ${name} in ${ns} at step 2 of 4 (pause, canary at 20%)`,
    ]);
    expect(changed.map(r => [r.id, r.status])).toEqual([
      [release.id, 'progressing'],
    ]);

    await pausedAt(name, 3);
    await service.abort(resolved, 'production', BOB);
    expect((await notes(release.id))[1]).toBe(
      `${BOB} aborted rollout ${name} in ${ns} at step 4 of 4 (pause, canary at 50%): traffic goes back to the stable revision ${stable}`,
    );
    expect(changed).toHaveLength(2);
    // Only the release being rolled out hears of it.
    expect(await notes(earlier.id)).toEqual([]);
  });

  it('writes a full promote, and nothing when no release is rolling out', async () => {
    const name = `checkout${suffix}`;
    const ns = `${name}-production`;
    await upstream.addProject(name);
    await rollOut(name, digest('a'));
    await eventually(async () => {
      const app = await upstream.clients.get('argocd').getApplication(name);
      return app.status?.health?.status === 'Healthy' ? app : undefined;
    });
    const resolved = await upstream.resolve(`component:default/${name}`);

    // A Rollout no release of the portal started: promoted, written nowhere but the audit.
    await rollOut(name, digest('b'));
    await pausedAt(name, 1);
    const before = changed.length;
    await service.promote(resolved, 'production', {}, ALICE);
    expect(changed).toHaveLength(before);

    await pausedAt(name, 3);
    await service.promote(resolved, 'production', { full: true }, ALICE);
    await eventually(async () =>
      (await service.get(resolved, 'production')).inProgress ? undefined : true,
    );
    const release = await progressing(name);
    await rollOut(name, digest('c'));
    await pausedAt(name, 1);
    await service.promote(resolved, 'production', { full: true }, BOB);
    expect(await notes(release.id)).toEqual([
      `${BOB} promoted rollout ${name} in ${ns} fully at step 2 of 4 (pause, canary at 20%), past its remaining steps`,
    ]);
  });
});
