import { Knex } from 'knex';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import {
  SandboxProjects,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import {
  newRelease,
  orchestratorHarness,
} from '../__testUtils__/orchestratorHarness';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { ReleaseWorkStore } from '../database/ReleaseWorkStore';
import { ReleaseOrchestrator } from './ReleaseOrchestrator';
import { OrchestratorSettings } from './types';

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();
let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject('storefront');
  await upstream.addProject('checkout', { automatedSync: true });
  await upstream.addProject('catalog', { autoRollback: true });
});
afterAll(() => upstream.stop());
afterEach(async () => {
  await upstream.control('/faults', undefined, 'DELETE');
  await upstream.control('/argocd/degrade', undefined, 'DELETE');
  await upstream.control('/builds', { fail: false });
});

describe.each(databases.ids)('ReleaseOrchestrator on %s', databaseId => {
  let knex: Knex;
  let releases: DatabaseReleaseStore;
  let orchestrator: ReleaseOrchestrator;
  let drive: ReturnType<typeof orchestratorHarness>['drive'];

  beforeAll(async () => {
    knex = await databases.migrated(databaseId);
  });

  function start(settings: Partial<OrchestratorSettings> = {}) {
    const harness = orchestratorHarness(knex, upstream, settings);
    releases = harness.releases;
    orchestrator = harness.orchestrator;
    drive = harness.drive;
    return orchestrator;
  }
  afterEach(() => orchestrator?.stop());

  it('builds once, pins the digest, syncs and rolls out to healthy', async () => {
    start();
    const before = await upstream.buildTriggers();
    const created = await releases.createRelease(newRelease('storefront'));
    const done = await drive(created.id);

    expect(done.status).toBe('healthy');
    expect(done.imageRef).toMatch(
      /^127\.0\.0\.1:\d+\/shop\/storefront@sha256:[0-9a-f]{64}$/,
    );
    expect(done.buildNumber).toBeGreaterThan(0);
    expect(await upstream.buildTriggers()).toBe(before + 1);
    const { events } = (await releases.getReleaseWithEvents(created.id))!;
    const moves = events.filter(e => e.from !== e.to).map(e => e.to);
    expect(moves).toEqual([
      'queued',
      'building',
      'built',
      'syncing',
      'progressing',
      'healthy',
    ]);
    expect(events.map(e => e.message).join('\n')).toContain(
      `Jenkins build #${done.buildNumber} started`,
    );
    const live = await upstream.clients
      .get('kubernetes')
      .getRolloutStatus('storefront-production', 'storefront');
    expect(live.liveImageDigests).toContain(done.imageRef!.split('@')[1]);
  });

  it('records the commit the build checked out and its subject, as Jenkins reported them', async () => {
    start();
    const created = await releases.createRelease(
      newRelease('storefront', { ref: undefined, commitSha: '3f2a9c1' }),
    );
    const done = await drive(created.id);
    expect(done.status).toBe('healthy');
    const build = await upstream.clients
      .get('jenkins')
      .getBuild('shop/storefront', done.buildNumber!);
    const git = (build.actions as any[]).find(
      a => a._class === 'hudson.plugins.git.util.BuildData',
    );
    const [change] = (build.changeSets as any[])[0].items;
    expect(done.commitSha).toMatch(/^3f2a9c1[0-9a-f]{33}$/);
    expect(done.commitSha).toBe(git.lastBuiltRevision.SHA1);
    expect(done.commitSubject).toBe(change.msg);
    const { events } = (await releases.getReleaseWithEvents(created.id))!;
    expect(events.map(e => e.message).join('\n')).toContain(
      `it built commit ${done.commitSha!.slice(0, 7)}`,
    );
  });

  it('replaces the ref with the commit a branch build checked out', async () => {
    start();
    const created = await releases.createRelease(newRelease('storefront'));
    expect(created.commitSha).toBeUndefined();
    const done = await drive(created.id);
    expect(done).toMatchObject({ ref: 'main', status: 'healthy' });
    expect(done.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(done.commitSubject).toBeTruthy();
  });

  it("fails with Jenkins's result when the build fails", async () => {
    start();
    await upstream.control('/builds', { fail: true });
    const created = await releases.createRelease(newRelease('storefront'));
    const done = await drive(created.id);
    expect(done.status).toBe('failed');
    const { events } = (await releases.getReleaseWithEvents(created.id))!;
    expect(events[events.length - 1].message).toMatch(
      /Jenkins build #\d+ of shop\/storefront finished FAILURE: see the build log/,
    );
  });

  it('redeploys and rolls back by digest without building, also with automated sync on', async () => {
    start();
    const first = await drive(
      (
        await releases.createRelease(newRelease('checkout'))
      ).id,
    );
    const second = await drive(
      (
        await releases.createRelease(newRelease('checkout'))
      ).id,
    );
    expect(second.imageRef).not.toBe(first.imageRef);
    const builds = await upstream.buildTriggers();

    const rollback = await releases.createRelease(
      newRelease('checkout', {
        trigger: 'rollback',
        version: first.version,
        imageRef: first.imageRef,
        sourceReleaseId: first.id,
      }),
    );
    const done = await drive(rollback.id);
    expect(done.status).toBe('healthy');
    expect(await upstream.buildTriggers()).toBe(builds);
    const live = await upstream.clients
      .get('kubernetes')
      .getRolloutStatus('checkout-production', 'checkout');
    expect(live.liveImageDigests).toEqual([first.imageRef!.split('@')[1]]);
  });

  it('finds the build a crashed backend already asked for instead of building again', async () => {
    start();
    const created = await releases.createRelease(newRelease('storefront'));
    // The state a backend leaves when it dies right after Jenkins accepted its trigger.
    const jenkins = upstream.clients.get('jenkins');
    const from = await jenkins.getNextBuildNumber('shop/storefront');
    await knex('releases')
      .where({ id: created.id })
      .update({ status: 'building', build_from_number: from });
    await jenkins.triggerBuild('shop/storefront', {
      GIT_COMMIT: 'main',
      IMAGE_REPOSITORY: 'shop/storefront',
      IMAGE_TAG: created.version,
      AUTONOMOUS_RELEASE_ID: created.id,
    });
    const before = await upstream.buildTriggers();
    const done = await drive(created.id);
    expect(done.status).toBe('healthy');
    expect(await upstream.buildTriggers()).toBe(before);
    const { events } = (await releases.getReleaseWithEvents(created.id))!;
    expect(events.map(e => e.message).join('\n')).toMatch(
      /asked for before a restart/,
    );
  });

  it('rolls a Degraded release back to the last healthy one when the project asks for it', async () => {
    start();
    const good = await drive(
      (
        await releases.createRelease(newRelease('catalog'))
      ).id,
    );
    expect(good.status).toBe('healthy');
    await upstream.control('/argocd/degrade', {
      application: 'catalog',
      sticky: false,
    });
    const bad = await releases.createRelease(newRelease('catalog'));
    // The new build's image crashes: mark its digest bad as soon as it is known.
    let built = await drive(bad.id, ['built', 'syncing', 'progressing']);
    await upstream.control('/argocd/degrade', {
      digest: built.imageRef!.split('@')[1],
    });
    built = await drive(bad.id);
    expect(built.status).toBe('rolled-back');
    const history = await new ReleaseWorkStore(knex).environmentHistory(
      'component:default/catalog',
      'production',
      { afterId: bad.id },
    );
    expect(history[0]).toMatchObject({
      trigger: 'rollback',
      status: 'healthy',
      imageRef: good.imageRef,
      requestedBy: 'autonomous (automatic rollback)',
    });
  });

  it('lets a queued release wait for the one ahead of it in the environment', async () => {
    start();
    const first = await releases.createRelease(newRelease('storefront'));
    const second = await releases.createRelease(newRelease('storefront'));
    await orchestrator.tick();
    expect((await releases.getRelease(second.id))!.status).toBe('queued');
    expect((await releases.getRelease(first.id))!.status).not.toBe('queued');
    expect((await drive(first.id)).status).toBe('healthy');
    expect((await drive(second.id)).status).toBe('healthy');
  });
});
