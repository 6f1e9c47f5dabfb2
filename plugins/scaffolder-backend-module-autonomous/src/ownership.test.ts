import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { mockCredentials } from '@backstage/backend-test-utils';
import { CatalogOwnershipCheck } from './ownership';

const CATALOG = 'http://backstage.test/api/catalog';

describe('CatalogOwnershipCheck', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const tokens: unknown[] = [];
  const check = (ownershipEntityRefs: string[]) =>
    new CatalogOwnershipCheck({
      discovery: {
        getBaseUrl: async () => CATALOG,
        getExternalBaseUrl: async () => CATALOG,
      },
      auth: {
        isPrincipal: (credentials: any, type: string) =>
          credentials.principal.type === type,
        getPluginRequestToken: async (options: any) => {
          tokens.push(options);
          return { token: 'user-token' };
        },
      } as any,
      userInfo: {
        getUserInfo: async () => ({
          userEntityRef: 'user:default/alice',
          ownershipEntityRefs,
        }),
      },
    });

  function serveEntity(owner?: string) {
    const seen: string[] = [];
    server.use(
      http.get(
        `${CATALOG}/entities/by-name/:kind/:ns/:name`,
        ({ params, request }) => {
          seen.push(
            `${params.kind}:${params.ns}/${params.name} ${request.headers.get(
              'authorization',
            )}`,
          );
          if (!owner) return HttpResponse.json({ error: {} }, { status: 404 });
          return HttpResponse.json({
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: params.name, namespace: params.ns },
            spec: { owner },
          });
        },
      ),
    );
    return seen;
  }

  it('lets the owner through, reading the entity on their behalf', async () => {
    const seen = serveEntity('team-a');
    const user = mockCredentials.user('user:default/alice');
    await expect(
      check(['user:default/alice', 'group:default/team-a']).assertOwner(
        'component:default/shop',
        user,
      ),
    ).resolves.toBeUndefined();
    expect(seen).toEqual(['component:default/shop Bearer user-token']);
    expect(tokens).toContainEqual({
      onBehalfOf: user,
      targetPluginId: 'catalog',
    });
  });

  it.each([
    ['group:payments/billing-team', ['group:payments/billing-team']],
    // A ref without a namespace is in the entity's namespace, as the catalog reads it.
    ['user:alice', ['user:payments/alice']],
    ['billing-team', ['group:payments/billing-team']],
  ])('reads owner %s as a full ref', async (owner, refs) => {
    serveEntity(owner);
    await expect(
      check(refs).assertOwner(
        'component:payments/billing',
        mockCredentials.user('user:default/alice'),
      ),
    ).resolves.toBeUndefined();
  });

  it('refuses a user who does not own the entity', async () => {
    serveEntity('team-b');
    await expect(
      check(['user:default/alice', 'group:default/team-a']).assertOwner(
        'component:default/shop',
        mockCredentials.user('user:default/alice'),
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('owned by team-b'),
    });
  });

  it('refuses when the entity is not in the catalog', async () => {
    serveEntity(undefined);
    await expect(
      check(['group:default/team-a']).assertOwner(
        'component:default/shop',
        mockCredentials.user(),
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it('trusts a task started by a backend service, without asking the catalog', async () => {
    const seen = serveEntity('team-b');
    await check([]).assertOwner(
      'component:default/shop',
      mockCredentials.service(),
    );
    expect(seen).toEqual([]);
  });
});
