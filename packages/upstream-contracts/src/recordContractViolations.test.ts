import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { recordContractViolations } from './recordContractViolations';

const server = setupServer(
  http.all('http://localhost:7200/argocd/*', async ({ request }) =>
    HttpResponse.json({
      received: request.method === 'POST' ? await request.json() : null,
    }),
  ),
  http.post(
    'http://jenkins.test/job/:name/buildWithParameters',
    () => new HttpResponse(null, { status: 201 }),
  ),
  http.get('http://elsewhere.test/anything', () => HttpResponse.json({})),
);

describe('recordContractViolations', () => {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  const contracts = recordContractViolations(server, [
    { system: 'argocd', baseUrl: 'http://localhost:7200/argocd' },
    { system: 'jenkins', baseUrl: 'http://jenkins.test/' },
  ]);
  afterEach(() => contracts.reset());

  it('records nothing for valid requests and ignores other hosts', async () => {
    await fetch('http://localhost:7200/argocd/api/v1/applications/shop', {
      headers: { Authorization: 'Bearer t' },
    });
    await fetch(
      'http://jenkins.test/job/deploy/buildWithParameters?VERSION=1',
      {
        method: 'POST',
        headers: { Authorization: `Basic ${btoa('ci:token')}` },
      },
    );
    await fetch('http://elsewhere.test/anything');
    expect(contracts.violations()).toEqual([]);
    expect(() => contracts.expectNoViolations()).not.toThrow();
  });

  it('reports a bad request made through fetch, and the handler still reads the body', async () => {
    const response = await fetch(
      'http://localhost:7200/argocd/api/v1/applications?upsert=maybe',
      {
        method: 'POST',
        headers: {
          Authorization: 'Bearer t',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          metadata: { name: 'shop' },
          spec: { source: { repoURL: 7 } },
        }),
      },
    );
    expect(await response.json()).toEqual({
      received: {
        metadata: { name: 'shop' },
        spec: { source: { repoURL: 7 } },
      },
    });
    await fetch('http://jenkins.test/job/deploy/buildWithParameters', {
      method: 'POST',
    });

    expect(contracts.violations()).toEqual([
      {
        system: 'argocd',
        method: 'POST',
        url: 'http://localhost:7200/argocd/api/v1/applications?upsert=maybe',
        problems: [
          'POST /api/v1/applications: query parameter upsert must be boolean (got "maybe")',
          'POST /api/v1/applications: body.spec.source.repoURL must be string',
        ],
      },
      {
        system: 'jenkins',
        method: 'POST',
        url: 'http://jenkins.test/job/deploy/buildWithParameters',
        problems: [expect.stringMatching(/a POST needs HTTP basic auth/)],
      },
    ]);
    expect(() => contracts.expectNoViolations()).toThrow(
      /2 request\(s\) do not match the upstream API specifications:\n {2}argocd: POST http:\/\/localhost:7200\/argocd\/api\/v1\/applications\?upsert=maybe\n {4}- POST \/api\/v1\/applications: query parameter upsert/,
    );
  });

  it('forgets violations on reset', async () => {
    await fetch('http://localhost:7200/argocd/api/v1/nothing-here');
    expect(contracts.violations()).toHaveLength(1);
    contracts.reset();
    expect(contracts.violations()).toEqual([]);
  });
});
