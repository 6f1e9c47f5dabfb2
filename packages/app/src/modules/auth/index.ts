import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { oidcAuthApi } from './oidcAuthApi';
import { signInPage } from './SignInPage';

/** Sign-in for the portal: guest in development, OIDC (Keycloak) in production. */
export const authModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage, oidcAuthApi],
});

export { oidcAuthApiRef } from './oidcAuthApi';
