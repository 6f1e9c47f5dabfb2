import {
  SignInPage as CoreSignInPage,
  IdentityProviders,
  SignInProviderConfig,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import {
  SignInPageBlueprint,
  SignInPageProps,
} from '@backstage/plugin-app-react';
import { oidcAuthApiRef } from './oidcAuthApi';

const oidcProvider: SignInProviderConfig = {
  id: 'oidc-auth-provider',
  title: 'Keycloak',
  message: 'Sign in with your company account',
  apiRef: oidcAuthApiRef,
};

/**
 * The sign-in options for an `auth.environment`.
 *
 * The backend's auth.providers are not visible to the browser, but auth.environment is: the
 * development portal offers the guest provider; any other environment (production sets
 * `auth.environment: production` and configures auth.providers.oidc.production) offers OIDC.
 */
export function signInProviders(environment?: string): IdentityProviders {
  return (environment ?? 'development') === 'development'
    ? ['guest']
    : [oidcProvider];
}

function PortalSignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  return (
    <CoreSignInPage
      {...props}
      align="center"
      providers={signInProviders(
        configApi.getOptionalString('auth.environment'),
      )}
    />
  );
}

export const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => PortalSignInPage,
  },
});
