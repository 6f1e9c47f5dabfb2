import { RunningSandbox } from '@autonomous-dev/sandbox';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { ReleaseWorkStore } from '../database/ReleaseWorkStore';
import {
  consoleText as sandboxConsoleText,
  deployWebApp,
  eventually,
  memoryReleaseStores,
  monolithEntity,
  podsOf as podsIn,
  recordBuildStarted,
  startLogsBackend,
  startLogsSandbox,
  TIMED_JOB_XML,
} from '../__testUtils__/logsHarness';

jest.setTimeout(60_000);

const OWNER = 'user:default/owner';
const owner = { Authorization: mockCredentials.user.header(OWNER) };
/** May read the project (its releases, its pods) but not its logs. */
const READER = 'user:default/reader';
const projectReader = {
  Authorization: mockCredentials.user.header(READER),
};
const stranger = {
  Authorization: mockCredentials.user.header('user:default/stranger'),
};

let sandbox: RunningSandbox;
let setup: UpstreamClients;
let base: string;
let releases: DatabaseReleaseStore;
let work: ReleaseWorkStore;

beforeAll(async () => {
  const started = await startLogsSandbox();
  ({ sandbox, setup } = started);
  // Reads of the routes' cached clients stay for a minute: a stream that used them would stall.
  const clients = UpstreamClients.fromConfig(started.config);
  const freshClients = UpstreamClients.fromConfig(started.config, {
    readCache: false,
  });

  await setup.get('jenkins').upsertJob('', 'storefront', TIMED_JOB_XML);
  await deployWebApp(setup, 'storefront', 'storefront-production');
  await deployWebApp(setup, 'intruder', 'storefront-production');
  await deployWebApp(setup, 'checkout', 'checkout-production');
  const ready = (pods: Awaited<ReturnType<typeof podsOf>>) =>
    pods.some(p => p.status?.containerStatuses?.[0]?.ready);
  await eventually(
    async () =>
      ready(await podsOf('storefront-production', 'storefront')) &&
      ready(await podsOf('checkout-production', 'checkout')),
  );
  // Checkout's running pods crash from now on, so they have a previous log.
  await fetch(`${sandbox.url}/_sandbox/argocd/degrade`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ application: 'checkout' }),
  });
  await eventually(async () =>
    (
      await podsOf('checkout-production', 'checkout')
    ).some(p => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0),
  );

  const stores = await memoryReleaseStores();
  ({ releases, work } = stores);
  base = await startLogsBackend({
    stores,
    entities: [monolithEntity('storefront'), monolithEntity('checkout')],
    permissions: mockServices.permissions.mock({
      authorizeConditional: async (requests, options) =>
        requests.map(({ permission }) => {
          const user = (
            options?.credentials?.principal as { userEntityRef?: string }
          )?.userEntityRef;
          const allowed =
            user === OWNER ||
            (user === READER && permission.name === 'autonomous.project.read');
          return {
            result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
          };
        }) as any,
    }),
    features: [
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ],
    releases,
    clients,
    freshClients,
    timing: { buildStartWaitMs: 4_000 },
  });
});

afterAll(async () => {
  await sandbox?.stop();
});

function podsOf(namespace: string, app: string) {
  return podsIn(setup, namespace, app);
}

async function podNames(namespace: string, app: string) {
  return (await podsOf(namespace, app)).map(p => p.metadata!.name!).sort();
}

async function startBuild(durationMs: number) {
  const { buildNumber } = await setup.get('jenkins').triggerBuildAndWait(
    'storefront',
    {
      GIT_COMMIT: 'c0ffee'.repeat(6),
      SANDBOX_DURATION_MS: String(durationMs),
    },
    { pollMs: 20 },
  );
  return buildNumber;
}

function newRelease(extra: { sourceReleaseId?: string } = {}) {
  return releases.createRelease({
    entityRef: 'component:default/storefront',
    environment: 'production',
    version: '1.0.0',
    trigger: 'manual',
    requestedBy: OWNER,
    ...(extra.sourceReleaseId
      ? { sourceReleaseId: extra.sourceReleaseId }
      : { buildJob: 'storefront' }),
  });
}

function recordBuild(id: string, buildNumber: number) {
  return recordBuildStarted(work, id, buildNumber);
}

async function releaseWithBuild(durationMs: number) {
  const buildNumber = await startBuild(durationMs);
  const release = await newRelease();
  await recordBuild(release.id, buildNumber);
  return { id: release.id, buildNumber };
}

function consoleText(buildNumber: number) {
  return sandboxConsoleText(sandbox, 'storefront', buildNumber);
}

function progressiveTextCalls() {
  return (
    sandbox.sandbox.calls.routes[
      'GET /jenkins/job/{name}/{number}/logText/progressiveText'
    ] ?? 0
  );
}

/** Reads a streamed answer piece by piece, as it arrives. */
async function readPieces(res: Response, stopWhen?: (all: string) => boolean) {
  const pieces: string[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pieces.push(decoder.decode(value, { stream: true }));
    if (stopWhen?.(pieces.join(''))) {
      await reader.cancel();
      break;
    }
  }
  return pieces;
}

const get = (
  path: string,
  headers: Record<string, string> = owner,
  signal?: AbortSignal,
) => fetch(`${base}${path}`, { headers, signal });
const errorOf = async (res: Response) =>
  (await res.json()).error.message as string;

describe('build log routes', () => {
  it('streams the log as the build writes it, in order, and ends with the build', async () => {
    const { id, buildNumber } = await releaseWithBuild(3_000);
    const callsBefore = progressiveTextCalls();
    const res = await get(`/releases/${id}/build-log/stream`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const pieces = (await readPieces(res)).filter(Boolean);
    const text = pieces.join('');

    expect(text).toBe(await consoleText(buildNumber));
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('Started by user autonomous');
    expect(lines.indexOf('[Pipeline] { (Checkout)')).toBeLessThan(
      lines.indexOf('[Pipeline] { (Test)'),
    );
    expect(lines[lines.length - 1]).toBe('Finished: SUCCESS');
    // It came while the build ran, not at the end: several pieces, the first unfinished.
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    expect(pieces[0]).not.toContain('Finished:');
    // About one poll a second for a 3 s build.
    const polls = progressiveTextCalls() - callsBefore;
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(polls).toBeLessThanOrEqual(6);

    // The JSON piece is cached for everyone; a stream always asks Jenkins.
    await get(`/releases/${id}/build-log?start=0`);
    const afterJson = progressiveTextCalls();
    await get(`/releases/${id}/build-log?start=0`);
    expect(progressiveTextCalls()).toBe(afterJson);
    await (await get(`/releases/${id}/build-log/stream`)).text();
    expect(progressiveTextCalls()).toBe(afterJson + 1);
  });

  it('waits for a queued release to get its build, and gives up with a 404 that says why', async () => {
    const queued = await newRelease();
    const answer = get(`/releases/${queued.id}/build-log/stream`);
    await new Promise(r => setTimeout(r, 1_200));
    await recordBuild(queued.id, await startBuild(300));
    const res = await answer;
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(
      /^Started by user autonomous\n[\s\S]*Finished: SUCCESS\n$/,
    );

    const never = await newRelease();
    const timedOut = await get(`/releases/${never.id}/build-log/stream`);
    expect(timedOut.status).toBe(404);
    expect(await errorOf(timedOut)).toBe(
      `release ${never.id} has no build yet: it is still queued after 4 s (Jenkins has not started its build); ask again later`,
    );
    await releases.transition(never.id, 'cancelled', 'Cancelled by owner');
    const cancelled = await get(`/releases/${never.id}/build-log/stream`);
    expect(await errorOf(cancelled)).toBe(
      `release ${never.id} is cancelled and its build never started, so there is no build log`,
    );
  });

  it('stops asking Jenkins when the caller goes away', async () => {
    const { id } = await releaseWithBuild(10_000);
    const controller = new AbortController();
    const res = await get(
      `/releases/${id}/build-log/stream`,
      owner,
      controller.signal,
    );
    await readPieces(res, all => all.includes('Checkout'));
    controller.abort();
    await new Promise(r => setTimeout(r, 300));
    const calls = progressiveTextCalls();
    await new Promise(r => setTimeout(r, 2_500));
    expect(progressiveTextCalls()).toBe(calls);
  });

  it('answers a piece as JSON and the whole log as an attachment', async () => {
    const { id, buildNumber } = await releaseWithBuild(200);
    const whole = await eventually(async () => {
      const text = await consoleText(buildNumber);
      return text.includes('Finished:') && text;
    });
    const chunk = await (await get(`/releases/${id}/build-log?start=0`)).json();
    expect(chunk).toEqual({
      text: whole,
      nextStart: Buffer.byteLength(whole),
      more: false,
    });
    const rest = await get(
      `/releases/${id}/build-log?start=${chunk.nextStart}`,
    );
    expect(await rest.json()).toEqual({
      text: '',
      nextStart: chunk.nextStart,
      more: false,
    });

    const download = await get(`/releases/${id}/build-log/download`);
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="storefront-${buildNumber}.log"`,
    );
    expect(await download.text()).toBe(whole);
  });

  it('says why there is no log: unknown release, no build yet, nothing built, bad input', async () => {
    const unknown = await get(
      '/releases/6f1c1b8e-59a6-4a34-9d43-2b7a0c4b8e11/build-log',
    );
    expect(unknown.status).toBe(404);
    const queued = await newRelease();
    const notYet = await get(`/releases/${queued.id}/build-log/download`);
    expect(notYet.status).toBe(404);
    expect(await errorOf(notYet)).toContain(
      `release ${queued.id} has no build yet (it is queued)`,
    );
    const redeploy = await newRelease({ sourceReleaseId: queued.id });
    const none = await get(`/releases/${redeploy.id}/build-log/stream`);
    expect(none.status).toBe(404);
    expect(await errorOf(none)).toBe(
      `release ${redeploy.id} builds nothing: it deploys the image of release ${queued.id}, whose build log has the build`,
    );
    for (const [path, message] of [
      [
        `/releases/${queued.id}/build-log?start=-1`,
        'invalid query: start: must be 0 or more',
      ],
      [
        `/releases/${queued.id}/build-log?start=ten`,
        'invalid query: start: must be a whole number',
      ],
      [`/releases/${queued.id}/build-log/stream?start=5`, 'invalid query'],
      ['/releases/42/build-log', 'must be a release id'],
    ]) {
      const res = await get(path);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toContain(message);
    }
  });
});

describe('pod routes', () => {
  const env = '/projects/component/default/storefront/environments/production';

  it("lists the environment's workload pods and nothing else", async () => {
    const res = await get(`${env}/pods`);
    expect(res.status).toBe(200);
    const pods = await res.json();
    expect(pods.map((p: any) => p.name)).toEqual(
      await podNames('storefront-production', 'storefront'),
    );
    expect(pods[0]).toMatchObject({
      phase: 'Running',
      ready: true,
      restarts: 0,
      containers: ['storefront'],
      images: ['registry.invalid/shop/storefront:1.0.0'],
      hasPreviousLogs: false,
    });
    expect(Date.parse(pods[0].startedAt)).not.toBeNaN();
    const crashed = await (
      await get(
        '/projects/component/default/checkout/environments/production/pods',
      )
    ).json();
    expect(crashed[0]).toMatchObject({ ready: false, hasPreviousLogs: true });
    const staging = await get(
      '/projects/component/default/storefront/environments/staging/pods',
    );
    // The same answer as a deploy or a sync to an environment the project does not have.
    expect(staging.status).toBe(400);
    expect(await errorOf(staging)).toBe(
      `environment "staging" is not one of component:default/storefront's environments (production); set autonomous.dev/environments to add it`,
    );
  });

  it("reads a pod's log, its tail, and its file", async () => {
    const [pod] = await podNames('storefront-production', 'storefront');
    const res = await get(`${env}/pods/${pod}/logs`);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('Listening on http://0.0.0.0:8080\n');
    const tail = await (
      await get(`${env}/pods/${pod}/logs?tailLines=2`)
    ).text();
    expect(tail.trimEnd().split('\n')).toHaveLength(2);
    const file = await get(
      `${env}/pods/${pod}/logs?download=true&container=storefront`,
    );
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="${pod}-storefront.log"`,
    );
  });

  it('follows a pod log as new lines come, until the caller goes away', async () => {
    const [pod] = await podNames('storefront-production', 'storefront');
    const controller = new AbortController();
    const res = await get(
      `${env}/pods/${pod}/logs?follow=true&tailLines=1`,
      owner,
      controller.signal,
    );
    expect(res.status).toBe(200);
    const pieces = await readPieces(res, all => all.split('\n').length > 6);
    controller.abort();
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    expect(pieces.slice(1).join('')).not.toBe('');
    const lines = pieces.join('').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line).toMatch(/^GET \/\S* 200 \d+ms$/);
  });

  it('reads the previous log only of a container that restarted', async () => {
    const [pod] = await podNames('storefront-production', 'storefront');
    const none = await get(`${env}/pods/${pod}/logs?previous=true`);
    expect(none.status).toBe(400);
    expect(await errorOf(none)).toBe(
      `previous: container storefront of pod ${pod} never restarted, so there are no previous logs; leave out previous=true to read its current log`,
    );
    const [crashed] = await podNames('checkout-production', 'checkout');
    const previous = await get(
      `/projects/component/default/checkout/environments/production/pods/${crashed}/logs?previous=true`,
    );
    expect(previous.status).toBe(200);
    expect(await previous.text()).toContain('Error: failed to start');
  });

  it('never reads a pod outside the workload, and names the bad parameter', async () => {
    const [neighbour] = await podNames('storefront-production', 'intruder');
    const [elsewhere] = await podNames('checkout-production', 'checkout');
    for (const pod of [neighbour, elsewhere, 'storefront-0']) {
      const res = await get(`${env}/pods/${pod}/logs`);
      expect(res.status).toBe(404);
      expect(await errorOf(res)).toBe(
        `pod ${pod} is not one of the pods of environment production of component:default/storefront (pods labelled app.kubernetes.io/instance=storefront in namespace storefront-production); list the environment's pods to find its name`,
      );
    }
    const [pod] = await podNames('storefront-production', 'storefront');
    for (const [query, message] of [
      [
        'container=sidecar',
        `container: pod ${pod} has no container "sidecar"; choose one of storefront`,
      ],
      ['tailLines=0', 'invalid query: tailLines: must be at least 1'],
      ['follow=yes', 'invalid query: follow: must be true or false'],
      [
        'follow=true&download=true',
        'invalid query: follow: cannot be combined with download=true',
      ],
    ]) {
      const res = await get(`${env}/pods/${pod}/logs?${query}`);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toContain(message);
    }
    const bad = await get(`${env}/pods/Not_A_Pod/logs`);
    expect(await errorOf(bad)).toContain(
      'invalid path: pod: must be a pod name',
    );
  });
});

describe('every log route', () => {
  it('answers 401 without credentials, and 403 without the logs permission even to a reader of the project', async () => {
    const { id } = await newRelease();
    const [pod] = await podNames('storefront-production', 'storefront');
    const env =
      '/projects/component/default/storefront/environments/production';
    const logs = [
      `/releases/${id}/build-log`,
      `/releases/${id}/build-log/stream`,
      `/releases/${id}/build-log/download`,
      `${env}/pods/${pod}/logs?follow=true`,
    ];
    for (const path of logs) {
      expect((await get(path, {})).status).toBe(401);
      for (const caller of [stranger, projectReader]) {
        const denied = await get(path, caller);
        expect(denied.status).toBe(403);
        expect(await errorOf(denied)).toContain(
          'you are not allowed autonomous.logs.read on component:default/storefront',
        );
      }
    }
    // The pod list is no log: reading the project is enough.
    expect((await get(`${env}/pods`, {})).status).toBe(401);
    const denied = await get(`${env}/pods`, stranger);
    expect(denied.status).toBe(403);
    expect(await errorOf(denied)).toContain(
      'you are not allowed autonomous.project.read on component:default/storefront',
    );
    expect((await get(`${env}/pods`, projectReader)).status).toBe(200);
  });
});
