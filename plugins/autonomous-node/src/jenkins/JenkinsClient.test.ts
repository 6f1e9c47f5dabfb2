import { http, HttpResponse, delay } from 'msw';
import { setupUpstreamServer } from '../__testUtils__/setupUpstreamServer';
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
});
