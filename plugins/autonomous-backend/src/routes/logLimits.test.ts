import { RunningSandbox } from '@autonomous-dev/sandbox';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { ReleaseWorkStore } from '../database/ReleaseWorkStore';
import { boundedFetch } from '../service/logReads/boundedFetch';
import { LogLimits } from '../service/logReads/logLimits';
import {
  consoleText as sandboxConsoleText,
  deployWebApp,
  eventually,
  memoryReleaseStores,
  MemoryReleaseStores,
  monolithEntity,
  podsOf,
  recordBuildStarted,
  startLogsBackend,
  startLogsSandbox,
  TIMED_JOB_XML,
} from '../__testUtils__/logsHarness';

jest.setTimeout(90_000);

const ENV = '/projects/component/default/storefront/environments/production';

let sandbox: RunningSandbox;
let setup: UpstreamClients;
let config: Awaited<ReturnType<typeof startLogsSandbox>>['config'];
let stores: MemoryReleaseStores;
let knex: Knex;
let releases: DatabaseReleaseStore;
let work: ReleaseWorkStore;
let pod: string;

beforeAll(async () => {
  ({ sandbox, setup, config } = await startLogsSandbox());
  await setup.get('jenkins').upsertJob('', 'storefront', TIMED_JOB_XML);
  await deployWebApp(setup, 'storefront', 'storefront-production');
  pod = await eventually(async () => {
    const pods = await podsOf(setup, 'storefront-production', 'storefront');
    return pods.find(p => p.status?.containerStatuses?.[0]?.ready)?.metadata
      ?.name;
  });
  stores = await memoryReleaseStores();
  ({ knex, releases, work } = stores);
});

afterAll(async () => {
  await knex?.destroy();
  await sandbox?.stop();
});

/** Pod log follows the backends opened to Kubernetes. */
let podLogFollows = 0;
const countingFetch: typeof fetch = (input, init) => {
  const url = String(input);
  if (/\/pods\/[^/]+\/log\?/.test(url) && url.includes('follow=true')) {
    podLogFollows += 1;
  }
  return fetch(input, init);
};

/** A backend serving the log routes with these limits; every signed-in user may read logs. */
function startLogsBackendWith(
  logLimits: Partial<LogLimits>,
  downloadPieceBytes?: number,
): Promise<string> {
  return startLogsBackend({
    stores,
    entities: [monolithEntity('storefront')],
    permissions: mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any,
    }),
    releases,
    clients: UpstreamClients.fromConfig(config),
    freshClients: UpstreamClients.fromConfig(config, {
      readCache: false,
      fetch: countingFetch,
    }),
    downloadClients: downloadPieceBytes
      ? UpstreamClients.fromConfig(config, {
          readCache: false,
          fetch: boundedFetch(downloadPieceBytes),
        })
      : undefined,
    logLimits: { pollIntervalMs: 1_000, ...logLimits },
  });
}

const as = (user: string) => ({
  Authorization: mockCredentials.user.header(`user:default/${user}`),
});
const errorOf = async (res: Response) =>
  (await res.json()).error.message as string;

function calls(route: string): number {
  return sandbox.sandbox.calls.routes[route] ?? 0;
}
const PROGRESSIVE_TEXT =
  'GET /jenkins/job/{name}/{number}/logText/progressiveText';

/** A release whose Jenkins build runs for `durationMs`. */
async function releaseWithBuild(durationMs: number) {
  const { buildNumber } = await setup.get('jenkins').triggerBuildAndWait(
    'storefront',
    {
      GIT_COMMIT: 'c0ffee'.repeat(6),
      SANDBOX_DURATION_MS: String(durationMs),
    },
    { pollMs: 20 },
  );
  const release = await releases.createRelease({
    entityRef: 'component:default/storefront',
    environment: 'production',
    version: '1.0.0',
    trigger: 'manual',
    requestedBy: 'user:default/dev',
    buildJob: 'storefront',
  });
  await recordBuildStarted(work, release.id, buildNumber);
  return { id: release.id, buildNumber };
}

function consoleText(buildNumber: number) {
  return sandboxConsoleText(sandbox, 'storefront', buildNumber);
}

async function finishedLog(buildNumber: number) {
  return eventually(async () => {
    const text = await consoleText(buildNumber);
    return text.includes('Finished:') && text;
  });
}

describe('log follows', () => {
  it('hold the caps per caller and in total under 50 concurrent followers, and free a slot when one closes', async () => {
    const base = await startLogsBackendWith({
      maxFollowsPerCaller: 3,
      maxFollows: 20,
    });
    const before = podLogFollows;
    const controllers = Array.from({ length: 50 }, () => new AbortController());
    const answers = await Promise.all(
      controllers.map((controller, i) =>
        fetch(`${base}${ENV}/pods/${pod}/logs?follow=true&tailLines=1`, {
          headers: as(`dev-${i % 10}`),
          signal: controller.signal,
        }).then(res => ({ res, user: `dev-${i % 10}`, controller })),
      ),
    );
    const following = answers.filter(a => a.res.status === 200);
    try {
      const refused = answers.filter(a => a.res.status === 429);
      expect(following).toHaveLength(20);
      expect(refused).toHaveLength(30);
      // Nobody holds more than their share, and Kubernetes saw only the admitted follows.
      for (let i = 0; i < 10; i++) {
        expect(
          following.filter(a => a.user === `dev-${i}`).length,
        ).toBeLessThanOrEqual(3);
      }
      expect(podLogFollows - before).toBe(20);
      const messages = await Promise.all(refused.map(a => errorOf(a.res)));
      for (const [i, message] of messages.entries()) {
        expect(message).toMatch(
          /^too many log follows: .*\(autonomous\.logs\.(maxFollowsPerCaller|maxFollows)\).*retry in \d+ s/,
        );
        expect(
          Number(refused[i].res.headers.get('retry-after')),
        ).toBeGreaterThan(0);
      }

      // A follow that closes gives its slot back.
      const closing = following[0];
      closing.controller.abort();
      await eventually(async () => {
        const again = await fetch(
          `${base}${ENV}/pods/${pod}/logs?follow=true&tailLines=1`,
          { headers: as(closing.user.replace('dev', 'late')) },
        );
        if (again.status !== 200) return false;
        await again.body?.cancel();
        return true;
      });
    } finally {
      for (const controller of controllers) controller.abort();
    }
  });

  it('of one build share one poller, however many follow it', async () => {
    const base = await startLogsBackendWith({ maxFollowsPerCaller: 10 });
    const { id, buildNumber } = await releaseWithBuild(3_000);
    const before = calls(PROGRESSIVE_TEXT);
    const texts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fetch(`${base}/releases/${id}/build-log/stream`, {
          headers: as(`follower-${i}`),
        }).then(async res => {
          expect(res.status).toBe(200);
          return res.text();
        }),
      ),
    );
    const whole = await consoleText(buildNumber);
    expect(whole).toContain('Finished: SUCCESS');
    for (const text of texts) expect(text).toBe(whole);
    // About one poll a second for a 3 s build, as one follower alone would make; ten
    // pollers would have made 30 or more.
    expect(calls(PROGRESSIVE_TEXT) - before).toBeLessThanOrEqual(6);
  });

  it('ends at its maximum duration, cleanly, and frees its slot', async () => {
    const base = await startLogsBackendWith({
      maxFollowsPerCaller: 1,
      maxFollowDurationMs: 1_500,
    });
    const { id } = await releaseWithBuild(20_000);
    const started = Date.now();
    const build = await fetch(`${base}/releases/${id}/build-log/stream`, {
      headers: as('watcher'),
    });
    expect(build.status).toBe(200);
    const text = await build.text();
    const lasted = Date.now() - started;
    expect(lasted).toBeGreaterThanOrEqual(1_400);
    expect(lasted).toBeLessThan(6_000);
    expect(text).toMatch(/^Started by user autonomous\n/);
    expect(text).not.toContain('Finished:');

    // The slot is free again: the same caller follows a pod log, which ends the same way.
    const podStarted = Date.now();
    const podLog = await fetch(
      `${base}${ENV}/pods/${pod}/logs?follow=true&tailLines=1`,
      { headers: as('watcher') },
    );
    expect(podLog.status).toBe(200);
    expect(await podLog.text()).toMatch(/GET \/\S* 200 \d+ms\n/);
    const podLasted = Date.now() - podStarted;
    expect(podLasted).toBeGreaterThanOrEqual(1_400);
    expect(podLasted).toBeLessThan(6_000);
  });
});

describe('log downloads', () => {
  it('read Jenkins in pieces and give every one of 50 concurrent downloaders the whole log', async () => {
    const base = await startLogsBackendWith({ maxLogBytes: 1024 * 1024 }, 64);
    const { id, buildNumber } = await releaseWithBuild(100);
    const whole = await finishedLog(buildNumber);
    const before = calls(PROGRESSIVE_TEXT);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${base}/releases/${id}/build-log/download`, {
          headers: as(`reader-${i}`),
        }).then(res => res.text()),
      ),
    );
    for (const text of answers) expect(text).toBe(whole);
    // Each download read 64-byte pieces: no answer from Jenkins was held whole.
    const pieces = Math.ceil(Buffer.byteLength(whole) / 64);
    expect(calls(PROGRESSIVE_TEXT) - before).toBe(50 * pieces);
  });

  it('stop at the byte limit and say where to read on, for each of 50 concurrent downloaders', async () => {
    const base = await startLogsBackendWith({ maxLogBytes: 300 }, 64);
    const { id, buildNumber } = await releaseWithBuild(100);
    const whole = await finishedLog(buildNumber);
    expect(Buffer.byteLength(whole)).toBeGreaterThan(300);
    const before = calls(PROGRESSIVE_TEXT);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${base}/releases/${id}/build-log/download`, {
          headers: as(`reader-${i}`),
        }),
      ),
    );
    const head = Buffer.from(whole).subarray(0, 300).toString('utf8');
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(
        `${head}\n[download stopped at 300 bytes (autonomous.logs.maxLogBytes); read on with GET /releases/${id}/build-log?start=300]\n`,
      );
    }
    // Five 64-byte pieces make 300 bytes: nothing past the limit was asked for.
    expect(calls(PROGRESSIVE_TEXT) - before).toBe(50 * 5);
  });
});

describe('log requests', () => {
  it('are limited per caller per window, with a 429 that names the limit and when to retry', async () => {
    const base = await startLogsBackendWith({
      requestsPerWindow: 3,
      windowMs: 60_000,
    });
    const { id, buildNumber } = await releaseWithBuild(100);
    await finishedLog(buildNumber);
    const read = (user: string) =>
      fetch(`${base}/releases/${id}/build-log?start=0`, { headers: as(user) });
    for (let i = 0; i < 3; i++) expect((await read('busy')).status).toBe(200);
    const refused = await read('busy');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await errorOf(refused)).toBe(
      `too many log requests: user:default/busy may make 3 in 1 min (autonomous.logs.rateLimit); retry in ${retryAfter} s`,
    );
    // Another caller has a budget of their own.
    expect((await read('calm')).status).toBe(200);
  });
});
