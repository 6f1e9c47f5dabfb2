import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import { authModulePlatformGuestProvider } from './module';

const configured = {
  app: { baseUrl: 'http://localhost:3000' },
  auth: {
    providers: {
      'platform-guest': {
        userEntityRef: 'user:default/alice',
        ownershipEntityRefs: [
          'user:default/alice',
          'group:default/platform-team',
        ],
      },
    },
  },
};

/** The guest sign-in's call, as the portal's sign-in page makes it. */
function refresh(server: { port(): number }) {
  return fetch(
    `http://localhost:${server.port()}/api/auth/platform-guest/refresh`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
}

function startAuth(data: object) {
  return startTestBackend({
    features: [
      authPlugin,
      authModulePlatformGuestProvider,
      mockServices.rootConfig.factory({ data }),
    ],
  });
}

describe('the platform-guest sign-in', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('signs a development portal in as the configured member of the admin group', async () => {
    process.env.NODE_ENV = 'development';
    const { server } = await startAuth(configured);
    const res = await refresh(server);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: [
        'user:default/alice',
        'group:default/platform-team',
      ],
    });
  });

  it('is not there unless the portal configures it', async () => {
    process.env.NODE_ENV = 'development';
    const { server } = await startAuth({ app: configured.app });
    const res = await refresh(server);
    expect(res.status).toBe(404);
  });

  it('stops a portal outside development that configures it from starting', async () => {
    process.env.NODE_ENV = 'production';
    await expect(startAuth(configured)).rejects.toThrow(
      /auth.providers.platform-guest .* is for development portals only/,
    );
  });
});
