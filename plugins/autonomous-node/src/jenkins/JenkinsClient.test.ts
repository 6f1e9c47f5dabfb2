import { http, HttpResponse, delay } from 'msw';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import { ReadCache } from '../cache/ReadCache';
import { JenkinsClient, jenkinsJobPath } from './JenkinsClient';

const BASE = 'http://jenkins.test/ci';
const TOKEN = 'jenkins-api-token-0123456789';
const JOB = `${BASE}/job/teams/job/shop%20web`;

describe('JenkinsClient', () => {
  const server = setupUpstreamServer([{ system: 'jenkins', baseUrl: BASE }]);
  const sleep = jest.fn(async () => {});
  const withToken = () =>
    new JenkinsClient(
      { name: 'ci', url: BASE, username: 'robot', apiToken: TOKEN },
      { sleep },
    );
  beforeEach(() => sleep.mockClear());

  it('checks every request against the Jenkins API contract', () => {
    expect(server.contractCheckActive).toBe(true);
  });

  it('turns full names into job paths', () => {
    expect(jenkinsJobPath('a/b/c')).toBe('/job/a/job/b/job/c');
    expect(jenkinsJobPath('team/shop web')).toBe('/job/team/job/shop%20web');
  });

  it('creates a job in a folder, then updates it', async () => {
    let exists = false;
    const seen: string[] = [];
    server.use(
      http.get(`${JOB}/api/json`, () =>
        exists
          ? HttpResponse.json({ name: 'shop web' })
          : new HttpResponse('Not found', { status: 404 }),
      ),
      http.post(`${BASE}/job/teams/createItem`, async ({ request }) => {
        expect(new URL(request.url).searchParams.get('name')).toBe('shop web');
        expect(request.headers.get('content-type')).toBe('application/xml');
        expect(request.headers.get('jenkins-crumb')).toBeNull();
        seen.push(`create ${await request.text()}`);
        exists = true;
        return new HttpResponse(null, { status: 200 });
      }),
      http.post(`${JOB}/config.xml`, async ({ request }) => {
        seen.push(`update ${await request.text()}`);
        return new HttpResponse(null, { status: 200 });
      }),
    );
    const c = withToken();
    await expect(
      c.upsertJob('teams', 'shop web', '<flow-definition/>'),
    ).resolves.toBe('created');
    await expect(
      c.upsertJob('teams', 'shop web', '<flow-definition/>'),
    ).resolves.toBe('updated');
    expect(seen).toEqual([
      'create <flow-definition/>',
      'update <flow-definition/>',
    ]);
  });

  it('triggers a build with form parameters and follows the queue item to a build number', async () => {
    let form: string | undefined;
    let polls = 0;
    server.use(
      http.post(`${JOB}/buildWithParameters`, async ({ request }) => {
        expect(request.headers.get('content-type')).toBe(
          'application/x-www-form-urlencoded',
        );
        expect(request.headers.get('authorization')).toBe(
          `Basic ${Buffer.from(`robot:${TOKEN}`).toString('base64')}`,
        );
        form = await request.text();
        return new HttpResponse(null, {
          status: 201,
          headers: { Location: `${BASE}/queue/item/42/` },
        });
      }),
      http.get(`${BASE}/queue/item/42/api/json`, () => {
        polls++;
        return HttpResponse.json(
          polls < 2
            ? {
                id: 42,
                url: 'queue/item/42/',
                why: 'Waiting for next available executor',
                executable: null,
              }
            : {
                id: 42,
                url: 'queue/item/42/',
                cancelled: false,
                executable: { number: 7, url: `${JOB}/7/` },
              },
        );
      }),
    );
    const result = await withToken().triggerBuildAndWait('teams/shop web', {
      COMMIT: 'abc123',
      ENV: 'production',
    });
    expect(form).toBe('COMMIT=abc123&ENV=production');
    expect(result).toEqual({
      queueId: 42,
      queueUrl: `${BASE}/queue/item/42/`,
      buildNumber: 7,
    });
    expect(polls).toBe(2);
  });

  it('reports a cancelled queue item', async () => {
    server.use(
      http.get(`${BASE}/queue/item/43/api/json`, () =>
        HttpResponse.json({
          id: 43,
          url: 'queue/item/43/',
          cancelled: true,
          executable: null,
        }),
      ),
    );
    await expect(withToken().waitForBuildNumber(43)).rejects.toThrow(
      'Jenkins build of queue item 43 failed: the queue item was cancelled before it started',
    );
  });

  it('never retries a build trigger on 5xx', async () => {
    let calls = 0;
    server.use(
      http.post(`${JOB}/buildWithParameters`, () => {
        calls++;
        return new HttpResponse(
          '<html><body><h2>HTTP ERROR 503</h2></body></html>',
          {
            status: 503,
          },
        );
      }),
    );
    const error = await withToken()
      .triggerBuild('teams/shop web', { COMMIT: 'abc' })
      .catch(e => e);
    expect(calls).toBe(1);
    expect(sleep).not.toHaveBeenCalled();
    expect(error.message).toBe(
      'Jenkins build trigger of job "teams/shop web" failed: 503 Service Unavailable: HTTP ERROR 503',
    );
    expect(error.message).not.toContain(TOKEN);
  });

  it('reports a job that is not parameterized (400) and one that is not buildable (409)', async () => {
    server.use(
      http.post(
        `${JOB}/buildWithParameters`,
        () =>
          new HttpResponse('teams/shop web is not parameterized', {
            status: 400,
          }),
      ),
      http.post(
        `${BASE}/job/disabled/buildWithParameters`,
        () => new HttpResponse('', { status: 409 }),
      ),
    );
    await expect(withToken().triggerBuild('teams/shop web')).rejects.toThrow(
      '400 Bad Request: teams/shop web is not parameterized',
    );
    await expect(withToken().triggerBuild('disabled')).rejects.toMatchObject({
      status: 409,
    });
  });

  it('retries a build read on 502, reports 401 and 404', async () => {
    let calls = 0;
    server.use(
      http.get(`${JOB}/7/api/json`, () => {
        calls++;
        return calls === 1
          ? new HttpResponse('bad gateway', { status: 502 })
          : HttpResponse.json({
              number: 7,
              url: `${JOB}/7/`,
              result: null,
              building: true,
              duration: 0,
              timestamp: 1,
            });
      }),
      http.get(
        `${JOB}/8/api/json`,
        () => new HttpResponse('', { status: 404 }),
      ),
      http.get(
        `${JOB}/9/api/json`,
        () =>
          new HttpResponse('Invalid password/token for user: robot', {
            status: 401,
          }),
      ),
    );
    const c = withToken();
    await expect(c.getBuild('teams/shop web', 7)).resolves.toMatchObject({
      building: true,
      result: null,
    });
    expect(calls).toBe(2);
    await expect(c.getBuild('teams/shop web', 8)).rejects.toMatchObject({
      status: 404,
    });
    const error = await c.getBuild('teams/shop web', 9).catch(e => e);
    expect(error.message).toBe(
      'Jenkins read of build 9 of job "teams/shop web" failed: 401 Unauthorized: Invalid password/token for user: robot',
    );
  });

  it('reads the log progressively', async () => {
    server.use(
      http.get(`${JOB}/7/logText/progressiveText`, ({ request }) => {
        const start = new URL(request.url).searchParams.get('start');
        return start === '0'
          ? new HttpResponse('Started\n', {
              headers: { 'X-Text-Size': '8', 'X-More-Data': 'true' },
            })
          : new HttpResponse('Finished: SUCCESS\n', {
              headers: { 'X-Text-Size': '26' },
            });
      }),
    );
    const c = withToken();
    await expect(c.getLog('teams/shop web', 7)).resolves.toEqual({
      text: 'Started\n',
      nextStart: 8,
      more: true,
    });
    await expect(c.getLog('teams/shop web', 7, 8)).resolves.toEqual({
      text: 'Finished: SUCCESS\n',
      nextStart: 26,
      more: false,
    });
  });

  it('asks for a crumb without an API token, sends it with its session cookie, and stops a build', async () => {
    let crumbs = 0;
    let stopHeaders: Headers | undefined;
    server.use(
      http.get(`${BASE}/crumbIssuer/api/json`, () => {
        crumbs++;
        return HttpResponse.json(
          { crumbRequestField: 'Jenkins-Crumb', crumb: `c${crumbs}` },
          { headers: { 'Set-Cookie': 'JSESSIONID.abc=s1; Path=/; HttpOnly' } },
        );
      }),
      http.post(`${JOB}/7/stop`, ({ request }) => {
        stopHeaders = request.headers;
        return new HttpResponse(null, {
          status: 302,
          headers: { Location: `${JOB}/7/` },
        });
      }),
    );
    const c = new JenkinsClient({ name: 'ci', url: BASE }, { sleep });
    await c.stopBuild('teams/shop web', 7);
    await c.stopBuild('teams/shop web', 7);
    expect(crumbs).toBe(1);
    expect(stopHeaders?.get('jenkins-crumb')).toBe('c1');
    // msw appends its own cookie store after the header the client sent
    expect(stopHeaders?.get('cookie')).toMatch(/^JSESSIONID\.abc=s1(;|$)/);
  });

  it('caches job reads briefly', async () => {
    let calls = 0;
    server.use(
      http.get(`${JOB}/api/json`, () => {
        calls++;
        return HttpResponse.json({ name: 'shop web', url: `${JOB}/` });
      }),
    );
    const c = new JenkinsClient(
      { name: 'ci', url: BASE, username: 'robot', apiToken: TOKEN },
      { cache: new ReadCache() },
    );
    await Promise.all([c.getJob('teams/shop web'), c.getJob('teams/shop web')]);
    expect(calls).toBe(1);
  });

  it('times out a slow queue read', async () => {
    server.use(
      http.get(`${BASE}/queue/item/44/api/json`, async () => {
        await delay(300);
        return HttpResponse.json({ id: 44 });
      }),
    );
    const error = await new JenkinsClient(
      { name: 'ci', url: BASE, username: 'robot', apiToken: TOKEN },
      { sleep, timeoutMs: 20, retries: 0 },
    )
      .getQueueItem(44)
      .catch(e => e);
    expect(error.message).toBe(
      'Jenkins read of queue item 44 failed: no answer within 20 ms',
    );
  });

  it('gets a fresh crumb once when Jenkins refuses the old one', async () => {
    let crumbs = 0;
    const sent: Array<string | null> = [];
    server.use(
      http.get(`${BASE}/crumbIssuer/api/json`, () => {
        crumbs++;
        return HttpResponse.json({
          crumbRequestField: 'Jenkins-Crumb',
          crumb: `c${crumbs}`,
        });
      }),
      http.post(`${BASE}/createItem`, ({ request }) => {
        sent.push(request.headers.get('jenkins-crumb'));
        return sent.length === 1
          ? new HttpResponse('No valid crumb was included in the request', {
              status: 403,
            })
          : new HttpResponse(null, { status: 200 });
      }),
      http.get(
        `${BASE}/job/top/api/json`,
        () => new HttpResponse('', { status: 404 }),
      ),
    );
    const c = new JenkinsClient({ name: 'ci', url: BASE }, { sleep });
    await expect(c.upsertJob('', 'top', '<flow-definition/>')).resolves.toBe(
      'created',
    );
    expect(sent).toEqual(['c1', 'c2']);
  });

  describe('finding a build by a parameter', () => {
    const RELEASE = { name: 'AUTONOMOUS_RELEASE_ID', value: 'rel-42' };
    const parameters = (value: string) => [
      {
        _class: 'hudson.model.ParametersAction',
        parameters: [
          {
            _class: 'hudson.model.StringParameterValue',
            name: 'AUTONOMOUS_RELEASE_ID',
            value,
          },
        ],
      },
      { _class: 'hudson.model.CauseAction' },
    ];
    const queued = (id: number, job: string, value: string) => ({
      _class: 'hudson.model.Queue$WaitingItem',
      id,
      task: {
        _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
        name: job.split('/').pop(),
        url: `${BASE}/${job
          .split('/')
          .map(n => `job/${n.replace(/ /g, '%20')}/`)
          .join('')}`,
      },
      actions: parameters(value),
    });

    /** Serves the queue, the next build number and builds by number; counts build reads. */
    function serve(state: {
      queue: unknown[];
      next: () => number;
      builds: Record<number, string>;
    }) {
      const reads: number[] = [];
      const trees: string[] = [];
      server.use(
        http.get(`${BASE}/queue/api/json`, ({ request }) => {
          trees.push(new URL(request.url).searchParams.get('tree') ?? '');
          return HttpResponse.json({
            _class: 'hudson.model.Queue',
            items: state.queue,
          });
        }),
        http.get(`${JOB}/api/json`, ({ request }) => {
          trees.push(new URL(request.url).searchParams.get('tree') ?? '');
          return HttpResponse.json({
            _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
            nextBuildNumber: state.next(),
          });
        }),
        http.get(`${JOB}/:number/api/json`, ({ params, request }) => {
          const n = Number(params.number);
          reads.push(n);
          trees.push(new URL(request.url).searchParams.get('tree') ?? '');
          if (!(n in state.builds)) {
            return new HttpResponse('Not Found', { status: 404 });
          }
          return HttpResponse.json({
            _class: 'org.jenkinsci.plugins.workflow.job.WorkflowRun',
            number: n,
            queueId: 100 + n,
            actions: parameters(state.builds[n]),
          });
        }),
      );
      return { reads, trees };
    }

    it('finds an item still waiting in the queue, and only one of this job', async () => {
      const { reads, trees } = serve({
        queue: [
          queued(7, 'other/shop web', 'rel-42'),
          queued(8, 'teams/shop web', 'rel-41'),
          queued(9, 'teams/shop web', 'rel-42'),
        ],
        next: () => 12,
        builds: {},
      });
      await expect(
        withToken().findBuildByParameter('teams/shop web', RELEASE, {
          fromBuildNumber: 10,
        }),
      ).resolves.toEqual({ queueId: 9 });
      expect(reads).toEqual([]);
      expect(trees[0]).toBe(
        'items[id,task[name,url],actions[parameters[name,value]]]',
      );
    });

    it('finds a started build among those numbered fromBuildNumber or later', async () => {
      const { reads } = serve({
        queue: [queued(3, 'teams/shop web', 'rel-41')],
        next: () => 9,
        builds: { 5: 'rel-42', 7: 'rel-40', 8: 'rel-42' },
      });
      await expect(
        withToken().findBuildByParameter('teams/shop web', RELEASE, {
          fromBuildNumber: 6,
        }),
      ).resolves.toEqual({ buildNumber: 8, queueId: 108 });
      // 6 was deleted (404) and skipped; 5 is older than the trigger and never read.
      expect(reads).toEqual([6, 7, 8]);
    });

    it('looks at the builds once more after a pause, for an item between queue and build', async () => {
      let next = 3;
      const builds: Record<number, string> = { 1: 'rel-1', 2: 'rel-2' };
      sleep.mockImplementationOnce(async () => {
        // Jenkins gave the build its number while the client paused.
        builds[3] = 'rel-42';
        next = 4;
      });
      const { reads } = serve({ queue: [], next: () => next, builds });
      await expect(
        withToken().findBuildByParameter('teams/shop web', RELEASE, {
          fromBuildNumber: 1,
        }),
      ).resolves.toEqual({ buildNumber: 3, queueId: 103 });
      expect(sleep).toHaveBeenCalledWith(250);
      expect(reads).toEqual([1, 2, 3]);
    });

    it('answers undefined when the trigger never reached Jenkins', async () => {
      const { reads } = serve({
        queue: [],
        next: () => 3,
        builds: { 1: 'rel-1', 2: 'rel-2' },
      });
      await expect(
        withToken().findBuildByParameter('teams/shop web', RELEASE, {
          fromBuildNumber: 2,
          settleMs: 0,
        }),
      ).resolves.toBeUndefined();
      expect(reads).toEqual([2]);
      expect(sleep).not.toHaveBeenCalled();
    });

    it('never answers from the read cache', async () => {
      let next = 1;
      const builds: Record<number, string> = {};
      const { reads } = serve({ queue: [], next: () => next, builds });
      const c = new JenkinsClient(
        { name: 'ci', url: BASE, username: 'robot', apiToken: TOKEN },
        { sleep, cache: new ReadCache() },
      );
      await expect(c.getNextBuildNumber('teams/shop web')).resolves.toBe(1);
      await expect(
        c.findBuildByParameter('teams/shop web', RELEASE, {
          fromBuildNumber: 1,
          settleMs: 0,
        }),
      ).resolves.toBeUndefined();
      builds[1] = 'rel-42';
      next = 2;
      await expect(c.getNextBuildNumber('teams/shop web')).resolves.toBe(2);
      await expect(
        c.findBuildByParameter('teams/shop web', RELEASE, {
          fromBuildNumber: 1,
          settleMs: 0,
        }),
      ).resolves.toEqual({ buildNumber: 1, queueId: 101 });
      expect(reads).toEqual([1]);
    });

    it('refuses a build number below 1 and a parameter without a name', async () => {
      await expect(
        withToken().findBuildByParameter('teams/shop web', RELEASE, {
          fromBuildNumber: 0,
        }),
      ).rejects.toThrow(
        'fromBuildNumber must be a whole number of at least 1, got 0',
      );
      await expect(
        withToken().findBuildByParameter(
          'teams/shop web',
          { name: '', value: 'x' },
          { fromBuildNumber: 1 },
        ),
      ).rejects.toThrow('The build parameter to look for needs a name');
    });
  });
});
