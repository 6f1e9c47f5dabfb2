import {
  mockApis,
  MockFetchApi,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ResponseError } from '@backstage/errors';
import {
  ProjectStatus,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AutonomousClient } from './AutonomousClient';

const baseUrl = 'http://localhost:7007/api/autonomous';
const projectUrl = `${baseUrl}/projects/component/default/shop`;

const release: Release = {
  id: 'rel-2',
  number: 2,
  entityRef: 'component:default/shop',
  environment: 'staging',
  version: 'v2',
  trigger: 'manual',
  requestedBy: 'user:default/jane',
  status: 'queued',
  createdAt: '2025-01-01T10:00:00.000Z',
};

interface Seen {
  method: string;
  path: string;
  body: unknown;
  contentType: string | null;
}

describe('AutonomousClient release actions', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new AutonomousClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: new MockFetchApi(),
  });

  function record(status: number, answer: unknown) {
    const seen: Seen[] = [];
    server.use(
      http.all(`${baseUrl}/*`, async ({ request }) => {
        const text = await request.text();
        seen.push({
          method: request.method,
          path: new URL(request.url).pathname.replace('/api/autonomous', ''),
          body: text ? JSON.parse(text) : undefined,
          contentType: request.headers.get('content-type'),
        });
        return HttpResponse.json(answer as any, { status });
      }),
    );
    return seen;
  }

  it('creates a release with a JSON body at the project path', async () => {
    const seen = record(201, release);

    await expect(
      client.createRelease('component:default/shop', {
        environment: 'staging',
        ref: 'main',
        reason: 'ship the fix',
        trigger: 'manual',
      }),
    ).resolves.toEqual(release);

    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/projects/component/default/shop/releases',
        body: {
          environment: 'staging',
          ref: 'main',
          reason: 'ship the fix',
          trigger: 'manual',
        },
        contentType: 'application/json',
      },
    ]);
  });

  it('cancels, redeploys and rolls back at the release paths, escaping the id', async () => {
    const seen = record(200, release);

    await client.cancelRelease('rel 2', { reason: 'wrong branch' });
    await client.redeployRelease('rel-2', {
      environment: 'production',
      onConflict: 'queue',
    });
    await client.rollbackRelease('rel-1');

    expect(seen.map(s => [s.method, s.path, s.body])).toEqual([
      ['POST', '/releases/rel%202/cancel', { reason: 'wrong branch' }],
      [
        'POST',
        '/releases/rel-2/redeploy',
        { environment: 'production', onConflict: 'queue' },
      ],
      ['POST', '/releases/rel-1/rollback', {}],
    ]);
  });

  it('reads the project status', async () => {
    const status: ProjectStatus = {
      entityRef: 'component:default/shop',
      environments: [
        {
          environment: 'staging',
          namespace: 'shop-staging',
          summary: 'v2 is serving (2/2 ready)',
        },
      ],
    };
    server.use(
      http.get(`${projectUrl}/status`, () => HttpResponse.json(status)),
    );

    await expect(
      client.getProjectStatus({
        kind: 'Component',
        namespace: 'default',
        name: 'shop',
      }),
    ).resolves.toEqual(status);
  });

  it('syncs, hard-refreshes and switches automated sync per environment', async () => {
    const seen = record(202, { message: 'Sync requested' });

    await expect(
      client.syncEnvironment('component:default/shop', 'staging'),
    ).resolves.toEqual({ message: 'Sync requested' });
    await client.refreshEnvironment('component:default/shop', 'pre prod');
    await client.reconcileEnvironment('component:default/shop', 'staging');
    await client.setAutomatedSync('component:default/shop', 'staging', false);

    expect(seen.map(s => [s.method, s.path, s.body])).toEqual([
      [
        'POST',
        '/projects/component/default/shop/environments/staging/sync',
        undefined,
      ],
      [
        'POST',
        '/projects/component/default/shop/environments/pre%20prod/refresh',
        undefined,
      ],
      [
        'POST',
        '/projects/component/default/shop/environments/staging/reconcile',
        undefined,
      ],
      [
        'PUT',
        '/projects/component/default/shop/environments/staging/automated-sync',
        { enabled: false },
      ],
    ]);
  });

  it("surfaces a 409's message so the page can offer to queue or supersede", async () => {
    server.use(
      http.post(`${projectUrl}/releases`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'Release v7 is still building for staging',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );

    const error = await client
      .createRelease('component:default/shop', { environment: 'staging' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).statusCode).toBe(409);
    expect((error as ResponseError).cause.message).toBe(
      'Release v7 is still building for staging',
    );
  });
});
