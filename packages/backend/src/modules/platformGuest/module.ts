import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
  SignInResolver,
} from '@backstage/plugin-auth-node';

/** The provider's id: its routes are /api/auth/platform-guest/… */
export const PLATFORM_GUEST_PROVIDER_ID = 'platform-guest';

const platformGuestAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize: () => undefined,
  async authenticate() {
    return { result: {} };
  },
});

/**
 * Signs in the configured catalog user, with the groups the catalog gives it; until the
 * catalog has read that user, with the configured ownership refs (as the guest provider does).
 */
export function signInAsPlatformGuest(config: Config): SignInResolver<{}> {
  const userEntityRef = config.getString('userEntityRef');
  const ownershipEntityRefs = config.getStringArray('ownershipEntityRefs');
  return async (_info, ctx) => {
    try {
      return await ctx.signInWithCatalogUser({ entityRef: userEntityRef });
    } catch {
      return ctx.issueToken({
        claims: { sub: userEntityRef, ent: ownershipEntityRefs },
      });
    }
  };
}

/**
 * A second development identity beside the guest: the browser tests sign in a member of
 * the admin group with it (the Template Editor and dry runs are for admins), while the guest
 * stays an ordinary member of shop-team. Idle unless auth.providers.platform-guest is
 * configured (only app-config.e2e.yaml does); configured outside development, the backend
 * does not start, and there is no switch to allow it.
 */
export const authModulePlatformGuestProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'platform-guest-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        const own = config.getOptionalConfig(
          `auth.providers.${PLATFORM_GUEST_PROVIDER_ID}`,
        );
        if (!own) {
          return;
        }
        if (process.env.NODE_ENV !== 'development') {
          throw new Error(
            `auth.providers.${PLATFORM_GUEST_PROVIDER_ID} signs anyone in as an admin and is for development portals only (NODE_ENV=development); remove it from this portal's config`,
          );
        }
        providers.registerProvider({
          providerId: PLATFORM_GUEST_PROVIDER_ID,
          factory: createProxyAuthProviderFactory({
            authenticator: platformGuestAuthenticator,
            signInResolver: signInAsPlatformGuest(own),
          }),
        });
      },
    });
  },
});
