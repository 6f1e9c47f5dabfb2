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

/*
 * Upstream faults injected in the sandbox: 5xx bursts, timeouts, ArgoCD down. The release is
 * retried with backoff and either recovers or fails with the upstream's own reason; it never
 * stays stuck. The retry window is 3 s here (180 s by default), so "down for a minute" is
 * down for longer than half the window.
 */

jest.setTimeout(120_000);

const databases = createStoreTestDatabases();
let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject('storefront');
});
afterAll(() => upstream.stop());
afterEach(() => upstream.control('/faults', undefined, 'DELETE'));

const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

describe.each(databases.ids)('a release meeting upstream faults on %s', id => {
  let knex: Knex;
  let harness: ReturnType<typeof orchestratorHarness>;

  beforeAll(async () => {
    knex = await databases.migrated(id);
  });
  afterEach(() => harness?.orchestrator.stop());

  /** Starts a release with a fault in place and turns until it reaches `built`. */
  async function builtWith(fault: object, settings = {}) {
    harness = orchestratorHarness(knex, upstream, settings);
    await upstream.control('/faults', fault);
    const created = await harness.releases.createRelease(
      newRelease('storefront'),
    );
    await harness.drive(created.id, ['built']);
    return created.id;
  }

  /** Keeps turning for `ms` while the fault holds; the release must stay where it was. */
  async function turnFor(releaseId: string, ms: number) {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      await harness.orchestrator.tick();
      await pause(100);
    }
    const release = await harness.releases.getRelease(releaseId);
    expect(release!.status).toBe('built');
  }

  it('rides out a burst of ArgoCD 503s', async () => {
    const releaseId = await builtWith({
      system: 'argocd',
      errorRate: 1,
      status: 503,
    });
    await turnFor(releaseId, 800);
    await upstream.control('/faults', undefined, 'DELETE');
    expect((await harness.drive(releaseId)).status).toBe('healthy');
    expect(await harness.messages(releaseId)).toMatch(
      /Retrying with backoff: .*ArgoCD.*503/,
    );
  });

  it('rides out ArgoCD answering slower than the timeout', async () => {
    // sandboxConfig sets the clients' timeout to 2 s.
    const releaseId = await builtWith({ system: 'argocd', latencyMs: 2_500 });
    await turnFor(releaseId, 1_000);
    await upstream.control('/faults', undefined, 'DELETE');
    expect((await harness.drive(releaseId)).status).toBe('healthy');
    expect(await harness.messages(releaseId)).toMatch(
      /Retrying with backoff: ArgoCD .* no answer within 2000 ms/,
    );
  });

  it('rides out ArgoCD down for most of the retry window', async () => {
    const releaseId = await builtWith({ system: 'argocd', down: true });
    await turnFor(releaseId, 2_000);
    await upstream.control('/faults', undefined, 'DELETE');
    expect((await harness.drive(releaseId)).status).toBe('healthy');
  });

  it("fails with the upstream's reason when ArgoCD stays down past the retry window", async () => {
    harness = orchestratorHarness(knex, upstream, { retryWindowMs: 1_500 });
    await upstream.control('/faults', { system: 'argocd', down: true });
    const created = await harness.releases.createRelease(
      newRelease('storefront'),
    );
    const done = await harness.drive(created.id);
    expect(done.status).toBe('failed');
    const { events } = (await harness.releases.getReleaseWithEvents(
      created.id,
    ))!;
    expect(events[events.length - 1].message).toMatch(
      /^Gave up after \d+ attempts over \d+ s: .*ArgoCD/,
    );
  });

  it('builds exactly once while Jenkins fails half of its answers', async () => {
    // A 502 to the trigger is retried only after asking Jenkins whether it queued the build.
    harness = orchestratorHarness(knex, upstream, { retryWindowMs: 30_000 });
    await upstream.control('/faults', {
      system: 'jenkins',
      errorRate: 0.5,
      status: 502,
    });
    const created = await harness.releases.createRelease(
      newRelease('storefront'),
    );
    const done = await harness.drive(created.id);
    await upstream.control('/faults', undefined, 'DELETE');
    const state = await upstream.control('/state');
    const builds = state.jenkins.jobs
      .flatMap((j: any) => j.builds)
      .filter((b: any) => b.params?.AUTONOMOUS_RELEASE_ID === created.id);
    expect(done.status).toBe('healthy');
    expect(builds).toHaveLength(1);
  });
});
