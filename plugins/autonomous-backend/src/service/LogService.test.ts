import { RunningSandbox } from '@autonomous-dev/sandbox';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DatabaseProjectStore } from '../database/ProjectStore';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { ReleaseWorkStore } from '../database/ReleaseWorkStore';
import { LogService } from './LogService';
import { ProjectService } from './ProjectService';
import {
  deployWebApp,
  eventually,
  memoryReleaseStores,
  monolithEntity,
  startLogsSandbox,
  TIMED_JOB_XML,
} from '../__testUtils__/logsHarness';

jest.setTimeout(60_000);

const SHOP = 'component:default/shop';

let sandbox: RunningSandbox;
let setup: UpstreamClients;
let logs: LogService;
let releases: DatabaseReleaseStore;
let work: ReleaseWorkStore;

type Pod = Awaited<ReturnType<typeof shopPods>>[number];
const ready = (p: Pod) => p.status?.containerStatuses?.[0]?.ready === true;
const shopPods = () =>
  setup
    .get('kubernetes')
    .listPods('shop-production', 'app.kubernetes.io/instance=shop');

beforeAll(async () => {
  const started = await startLogsSandbox();
  ({ sandbox, setup } = started);
  const { config } = started;
  await setup.get('jenkins').upsertJob('', 'shop', TIMED_JOB_XML);
  await deployWebApp(setup, 'shop', 'shop-production', 'registry.invalid/shop');
  await eventually(async () => (await shopPods()).some(p => ready(p)));

  const stores = await memoryReleaseStores();
  const { knex } = stores;
  ({ releases, work } = stores);
  const catalog = catalogServiceMock({ entities: [monolithEntity('shop')] });
  logs = new LogService({
    projects: new ProjectService(
      catalog,
      new DatabaseProjectStore(knex),
      mockServices.auth(),
    ),
    releases,
    clients: UpstreamClients.fromConfig(config),
    freshClients: UpstreamClients.fromConfig(config, { readCache: false }),
    limits: { pollIntervalMs: 200 },
    buildStartWaitMs: 10_000,
  });
});

afterAll(async () => {
  await sandbox?.stop();
});

function newRelease() {
  return releases.createRelease({
    entityRef: SHOP,
    environment: 'production',
    version: '1',
    trigger: 'api',
    requestedBy: 'user:default/owner',
    buildJob: 'shop',
  });
}

async function collect(pieces: AsyncIterable<string>) {
  const all: string[] = [];
  for await (const piece of pieces) all.push(piece);
  return all;
}

describe('LogService', () => {
  it('follows a build from the moment Jenkins starts it to its end', async () => {
    const release = await newRelease();
    const controller = new AbortController();
    const following = collect(logs.followBuildLog(release, controller.signal));
    const { buildNumber } = await setup
      .get('jenkins')
      .triggerBuildAndWait(
        'shop',
        { SANDBOX_DURATION_MS: '1500' },
        { pollMs: 20 },
      );
    const claimed = await work.claim(release.id, 60_000);
    await work.write(claimed!, { to: 'building', progress: { buildNumber } });

    const pieces = await following;
    const res = await fetch(
      `${sandbox.url}/jenkins/job/shop/${buildNumber}/consoleText`,
      {
        headers: { Authorization: `Basic ${btoa('autonomous:sandbox')}` },
      },
    );
    expect(pieces.join('')).toBe(await res.text());
    expect(pieces.filter(Boolean).length).toBeGreaterThan(1);

    // A caller who leaves while the build is queued ends the wait at once, with nothing.
    const queued = await newRelease();
    const leaving = new AbortController();
    const started = Date.now();
    const waiting = collect(logs.followBuildLog(queued, leaving.signal));
    setTimeout(() => leaving.abort(), 300);
    expect(await waiting).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('finds a pod the cached list has not seen yet: only the live list may say no', async () => {
    const before = await logs.listPods(SHOP, 'production');
    await setup
      .get('argocd')
      .setHelmParameters('shop', [{ name: 'replicaCount', value: '2' }]);
    await setup.get('argocd').sync('shop');
    const added = await eventually(async () =>
      (
        await shopPods()
      ).find(p => ready(p) && !before.some(b => b.name === p.metadata?.name)),
    );
    // The cached list is a minute old and does not have the new pod yet.
    expect(await logs.listPods(SHOP, 'production')).toEqual(before);
    const log = await logs.openPodLog(
      SHOP,
      'production',
      added.metadata!.name!,
      { previous: false, follow: false },
      new AbortController().signal,
    );
    expect(log.text).toContain('Listening on http://0.0.0.0:8080');
  });

  it('reads a previous log of a container that restarted after the list was cached', async () => {
    const [pod] = await logs.listPods(SHOP, 'production');
    expect(pod.hasPreviousLogs).toBe(false);
    await fetch(`${sandbox.url}/_sandbox/argocd/degrade`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ application: 'shop' }),
    });
    await eventually(async () =>
      (
        await shopPods()
      ).some(
        p =>
          p.metadata?.name === pod.name &&
          (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0,
      ),
    );
    const log = await logs.openPodLog(
      SHOP,
      'production',
      pod.name,
      { previous: true, follow: false },
      new AbortController().signal,
    );
    expect(log.fileName).toBe(`${pod.name}-shop-previous.log`);
    expect(log.text).toContain('Error: failed to start');
  });

  it("turns upstream failures into the caller's errors, never the upstream's status", async () => {
    await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ system: 'kubernetes', errorRate: 1, status: 401 }),
    });
    try {
      // The cached list does not know this pod, so the live list is asked, and fails.
      const error = await logs
        .openPodLog(
          SHOP,
          'production',
          'shop-0',
          { previous: false, follow: false },
          new AbortController().signal,
        )
        .catch(e => e);
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.status).toBeUndefined();
      expect(error.message).toMatch(
        /^Kubernetes listing of pods in "shop-production".* failed: 401/,
      );
    } finally {
      await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
    }
    const release = await newRelease();
    const claimed = await work.claim(release.id, 60_000);
    await work.write(claimed!, {
      to: 'building',
      progress: { buildNumber: 999 },
    });
    const missing = await logs
      .readBuildLog((await releases.getRelease(release.id))!, 0)
      .catch(e => e);
    expect(missing.name).toBe('NotFoundError');
    expect(missing.message).toContain('404');
  });
});
