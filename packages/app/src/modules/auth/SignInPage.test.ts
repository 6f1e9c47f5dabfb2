import { oidcAuthApiRef } from './oidcAuthApi';
import { signInProviders } from './SignInPage';

describe('signInProviders', () => {
  it('offers the guest in development, the default environment', () => {
    expect(signInProviders()).toEqual(['guest']);
    expect(signInProviders('development')).toEqual(['guest']);
  });

  it('offers OIDC sign-in in every other environment', () => {
    expect(signInProviders('production')).toEqual([
      expect.objectContaining({
        id: 'oidc-auth-provider',
        apiRef: oidcAuthApiRef,
      }),
    ]);
    expect(signInProviders('staging')).not.toContain('guest');
  });
});
