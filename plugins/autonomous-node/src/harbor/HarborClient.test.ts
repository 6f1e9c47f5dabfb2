import { http, HttpResponse, delay } from 'msw';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import { HarborClient, harborRepositoryPath } from './HarborClient';

const BASE = 'http://harbor.test';
const API = `${BASE}/api/v2.0`;
const PASSWORD = 'Harbor-Admin-Pa55word';

describe('HarborClient', () => {
  const server = setupUpstreamServer([{ system: 'harbor', baseUrl: BASE }]);
  const sleep = jest.fn(async () => {});
  const client = () =>
    new HarborClient(
      { name: 'main', url: BASE, username: 'admin', password: PASSWORD },
      { sleep },
    );
  beforeEach(() => sleep.mockClear());

  it('checks every request against the Harbor API contract', () => {
    expect(server.contractCheckActive).toBe(true);
  });

  it('encodes repository names twice', () => {
    expect(harborRepositoryPath('team/web')).toBe('team%252Fweb');
  });

  it('names the registry host images are pulled by', () => {
    expect(client().registryHost).toBe('harbor.test');
    expect(
      new HarborClient({
        name: 'main',
        url: 'http://127.0.0.1:7200/harbor',
      }).registryHost,
    ).toBe('127.0.0.1:7200');
    expect(
      new HarborClient({
        name: 'main',
        url: BASE,
        registryHost: 'harbor.example.com',
      }).registryHost,
    ).toBe('harbor.example.com');
    expect(
      () =>
        new HarborClient({
          name: 'main',
          url: BASE,
          registryHost: 'https://harbor.example.com',
        }),
    ).toThrow('without a scheme or path');
  });

  it('creates a project with an immutability rule and a retention policy', async () => {
    const calls: Array<[string, any]> = [];
    let created = false;
    server.use(
      http.post(`${API}/projects`, async ({ request }) => {
        expect(request.headers.get('authorization')).toBe(
          `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`,
        );
        calls.push(['project', await request.json()]);
        created = true;
        return new HttpResponse(null, {
          status: 201,
          headers: { Location: '/api/v2.0/projects/7' },
        });
      }),
      http.get(`${API}/projects/shop`, () =>
        created
          ? HttpResponse.json({
              project_id: 7,
              name: 'shop',
              metadata: calls.some(c => c[0] === 'retention')
                ? { public: 'false', retention_id: '3' }
                : { public: 'false' },
            })
          : HttpResponse.json(
              { errors: [{ code: 'NOT_FOUND', message: 'not found' }] },
              { status: 404 },
            ),
      ),
      http.get(`${API}/projects/shop/immutabletagrules`, () =>
        HttpResponse.json([]),
      ),
      http.post(
        `${API}/projects/shop/immutabletagrules`,
        async ({ request }) => {
          calls.push(['immutable', await request.json()]);
          return new HttpResponse(null, { status: 201 });
        },
      ),
      http.post(`${API}/retentions`, async ({ request }) => {
        calls.push(['retention', await request.json()]);
        return new HttpResponse(null, { status: 201 });
      }),
    );
    const project = await client().ensureProject('shop', {
      retainLatestPushed: 10,
    });
    expect(project.metadata?.retention_id).toBe('3');
    expect(calls.map(c => c[0])).toEqual(['project', 'immutable', 'retention']);
    expect(calls[0][1]).toEqual({
      project_name: 'shop',
      public: false,
      metadata: { public: 'false' },
    });
    expect(calls[1][1]).toMatchObject({
      action: 'immutable',
      tag_selectors: [
        { kind: 'doublestar', decoration: 'matches', pattern: '**' },
      ],
    });
    expect(calls[2][1]).toMatchObject({
      rules: [{ template: 'latestPushedK', params: { latestPushedK: 10 } }],
      scope: { level: 'project', ref: 7 },
    });
  });

  it('keeps an existing project as it is', async () => {
    const posts: string[] = [];
    server.use(
      http.post(`${API}/projects`, () => {
        posts.push('project');
        return HttpResponse.json(
          {
            errors: [
              {
                code: 'CONFLICT',
                message: 'The project named shop already exists',
              },
            ],
          },
          { status: 409 },
        );
      }),
      http.get(`${API}/projects/shop`, () =>
        HttpResponse.json({
          project_id: 7,
          name: 'shop',
          metadata: { retention_id: '3' },
        }),
      ),
      http.get(`${API}/projects/shop/immutabletagrules`, () =>
        HttpResponse.json([
          { id: 1, disabled: false, tag_selectors: [{ pattern: '**' }] },
        ]),
      ),
    );
    await client().ensureProject('shop');
    expect(posts).toEqual(['project']);
  });

  it('resolves a tag to its digest in a nested repository', async () => {
    let path = '';
    server.use(
      http.get(
        `${API}/projects/shop/repositories/:repo/artifacts/:ref`,
        ({ request }) => {
          const url = new URL(request.url);
          path = url.pathname;
          expect(url.searchParams.get('with_scan_overview')).toBe('true');
          return HttpResponse.json({
            digest: 'sha256:abc',
            tags: [{ name: '1.0.0' }],
          });
        },
      ),
    );
    await expect(
      client().resolveDigest('shop', 'team/web', '1.0.0'),
    ).resolves.toBe('sha256:abc');
    expect(path).toBe(
      '/api/v2.0/projects/shop/repositories/team%252Fweb/artifacts/1.0.0',
    );
  });

  it('lists artifacts with their scan overview', async () => {
    server.use(
      http.get(
        `${API}/projects/shop/repositories/web/artifacts`,
        ({ request }) => {
          expect(
            new URL(request.url).searchParams.get('with_scan_overview'),
          ).toBe('true');
          return HttpResponse.json([
            {
              digest: 'sha256:abc',
              scan_overview: {
                'application/vnd.security.vulnerability.report; version=1.1': {
                  scan_status: 'Success',
                  severity: 'High',
                },
              },
            },
          ]);
        },
      ),
    );
    const artifacts = await client().listArtifacts('shop', 'web');
    expect(Object.values(artifacts[0].scan_overview!)[0].severity).toBe('High');
  });

  it('creates a robot account and hands back its secret', async () => {
    let body: any;
    server.use(
      http.post(`${API}/robots`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(
          {
            id: 5,
            name: 'robot$shop+ci',
            secret: 'robot-secret-xyz',
            expires_at: -1,
          },
          { status: 201 },
        );
      }),
    );
    await expect(client().createRobotAccount('shop', 'ci')).resolves.toEqual({
      id: 5,
      name: 'robot$shop+ci',
      secret: 'robot-secret-xyz',
      expiresAt: -1,
    });
    expect(body).toMatchObject({
      name: 'ci',
      level: 'project',
      permissions: [{ kind: 'project', namespace: 'shop' }],
    });
  });

  it('maps Harbor errors: 401, 404, 5xx retried for reads', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/projects/shop/repositories/web/artifacts/missing`, () =>
        HttpResponse.json(
          {
            errors: [
              {
                code: 'NOT_FOUND',
                message: 'artifact shop/web:missing not found',
              },
            ],
          },
          { status: 404 },
        ),
      ),
      http.get(`${API}/projects/shop/repositories/web/artifacts/locked`, () =>
        HttpResponse.json(
          { errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized' }] },
          { status: 401 },
        ),
      ),
      http.get(`${API}/projects/shop/repositories/web/artifacts/flaky`, () => {
        calls++;
        return calls < 2
          ? HttpResponse.json(
              { errors: [{ code: 'UNKNOWN', message: 'internal' }] },
              { status: 500 },
            )
          : HttpResponse.json({ digest: 'sha256:fff' });
      }),
    );
    const c = client();
    const notFound = await c
      .getArtifact('shop', 'web', 'missing')
      .catch(e => e);
    expect(notFound.message).toBe(
      'Harbor read of artifact "shop/web:missing" failed: 404 Not Found: artifact shop/web:missing not found',
    );
    const unauthorized = await c
      .getArtifact('shop', 'web', 'locked')
      .catch(e => e);
    expect(unauthorized).toMatchObject({ status: 401, reason: 'unauthorized' });
    expect(unauthorized.message).not.toContain(PASSWORD);
    await expect(c.resolveDigest('shop', 'web', 'flaky')).resolves.toBe(
      'sha256:fff',
    );
    expect(calls).toBe(2);
  });

  it('does not retry creating a robot account on 503', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/robots`, () => {
        calls++;
        return new HttpResponse('unavailable', { status: 503 });
      }),
    );
    await expect(
      client().createRobotAccount('shop', 'ci'),
    ).rejects.toMatchObject({
      status: 503,
    });
    expect(calls).toBe(1);
  });

  it('times out a slow artifact read, retrying it first', async () => {
    let calls = 0;
    server.use(
      http.get(
        `${API}/projects/shop/repositories/web/artifacts/slow`,
        async () => {
          calls++;
          await delay(300);
          return HttpResponse.json({ digest: 'sha256:abc' });
        },
      ),
    );
    const error = await new HarborClient(
      { name: 'main', url: BASE, username: 'admin', password: PASSWORD },
      { sleep, timeoutMs: 20, retries: 1 },
    )
      .getArtifact('shop', 'web', 'slow')
      .catch(e => e);
    expect(error.message).toBe(
      'Harbor read of artifact "shop/web:slow" failed: no answer within 20 ms',
    );
    expect(calls).toBe(2);
  });
});
