import {
  mockApis,
  MockFetchApi,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ResponseError } from '@backstage/errors';
import {
  Project,
  Release,
  ReleaseWithEvents,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AutonomousClient } from './AutonomousClient';

const baseUrl = 'http://localhost:7007/api/autonomous';

const project: Project = {
  entityRef: 'component:default/shop',
  kind: 'monolith',
  autoDeploy: true,
  environments: [
    {
      name: 'production',
      namespace: 'shop',
      branch: 'main',
      autoDeploy: true,
      domains: ['shop.example.com'],
    },
  ],
  upstreams: {},
};

const release: Release = {
  id: 'rel-1',
  number: 1,
  entityRef: 'component:default/shop',
  environment: 'production',
  version: 'v1',
  trigger: 'webhook',
  requestedBy: 'user:default/jane',
  status: 'healthy',
  createdAt: '2025-01-01T10:00:00.000Z',
};

describe('AutonomousClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new AutonomousClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: new MockFetchApi(),
  });

  it('reads the project of an entity at its kind/namespace/name path', async () => {
    server.use(
      http.get(`${baseUrl}/projects/component/default/shop`, () =>
        HttpResponse.json(project),
      ),
    );

    await expect(client.getProject('Component:default/shop')).resolves.toEqual(
      project,
    );
  });

  it('asks for the newest page without a cursor and passes limit and cursor when given', async () => {
    const seen: URL[] = [];
    server.use(
      http.get(
        `${baseUrl}/projects/component/default/shop/releases`,
        ({ request }) => {
          seen.push(new URL(request.url));
          return HttpResponse.json({ items: [release], nextCursor: 'c2' });
        },
      ),
    );

    await expect(
      client.listReleases({
        kind: 'component',
        namespace: 'default',
        name: 'shop',
      }),
    ).resolves.toEqual({ items: [release], nextCursor: 'c2' });
    await client.listReleases('component:default/shop', {
      limit: 5,
      cursor: 'opaque/+=cursor',
    });

    expect(seen[0].search).toBe('');
    expect(seen[1].searchParams.get('limit')).toBe('5');
    expect(seen[1].searchParams.get('cursor')).toBe('opaque/+=cursor');
  });

  it('reads one release with its events, escaping the id', async () => {
    const withEvents: ReleaseWithEvents = { ...release, events: [] };
    let path = '';
    server.use(
      http.get(`${baseUrl}/releases/:id`, ({ request, params }) => {
        path = new URL(request.url).pathname;
        return params.id === 'rel 1'
          ? HttpResponse.json(withEvents)
          : new HttpResponse(null, { status: 500 });
      }),
    );

    await expect(client.getRelease('rel 1')).resolves.toEqual(withEvents);
    expect(path).toBe('/api/autonomous/releases/rel%201');
  });

  it("turns the backend's error body into a ResponseError carrying its message", async () => {
    server.use(
      http.get(`${baseUrl}/projects/component/default/plain`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'component:default/plain is not an Autonomous project',
            },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );

    const error = await client
      .getProject('component:default/plain')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).statusCode).toBe(404);
    expect((error as ResponseError).cause).toMatchObject({
      name: 'NotFoundError',
      message: 'component:default/plain is not an Autonomous project',
    });
  });
});
