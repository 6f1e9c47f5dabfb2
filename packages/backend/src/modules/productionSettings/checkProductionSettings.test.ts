import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { loadRepoConfig } from '../../__testUtils__/loadRepoConfig';
import { checkProductionSettings } from './checkProductionSettings';
import { appModuleProductionSettings } from './module';

const PRODUCTION_ENV: Record<string, string> = {
  APP_BASE_URL: 'https://portal.example.com',
  POSTGRES_HOST: 'db.example.com',
  POSTGRES_USER: 'backstage',
  POSTGRES_PASSWORD: 'secret',
  KEYCLOAK_BASE_URL: 'https://keycloak.example.com',
  KEYCLOAK_REALM: 'autonomous',
  AUTH_SESSION_SECRET: 'a-long-random-string',
};

/** Production as the repository's files and this environment make it. */
function loadConfig(files: string[], env: Record<string, string>) {
  const unset = Object.fromEntries(
    Object.keys(PRODUCTION_ENV).map(key => [key, undefined]),
  );
  return loadRepoConfig(files, { ...unset, ...env });
}

const production = ['app-config.yaml', 'app-config.production.yaml'];

describe('the production config', () => {
  it('refuses the development localhost URLs when APP_BASE_URL is missing', async () => {
    const config = await loadConfig(production, {});
    const problems = checkProductionSettings(config, 'production');
    expect(problems).toEqual([
      expect.stringMatching(
        /^app.baseUrl is http:\/\/localhost:3000: set APP_BASE_URL/,
      ),
      expect.stringMatching(
        /^backend.baseUrl is http:\/\/localhost:7007: set APP_BASE_URL/,
      ),
      expect.stringMatching(/^backend.database.connection.host is not set/),
    ]);
  });

  it('is off only when a local measurement says so', async () => {
    const config = await loadConfig(
      ['app-config.yaml', 'bench/release-history/app-config.bench.yaml'],
      {},
    );
    expect(checkProductionSettings(config, 'production')).toEqual([]);
    const withoutOptOut = await loadConfig(['app-config.yaml'], {});
    expect(checkProductionSettings(withoutOptOut, 'production')).not.toEqual(
      [],
    );
  });

  it('refuses to run with NODE_ENV other than production', async () => {
    const config = await loadConfig(production, PRODUCTION_ENV);
    expect(checkProductionSettings(config, 'development')).toEqual([
      expect.stringMatching(
        /^NODE_ENV is development: run the built backend with NODE_ENV=production/,
      ),
    ]);
    expect(checkProductionSettings(config, undefined)).toHaveLength(1);
  });

  it('refuses a public URL without https', async () => {
    const config = await loadConfig(production, {
      ...PRODUCTION_ENV,
      APP_BASE_URL: 'http://portal.example.com',
    });
    expect(checkProductionSettings(config, 'production')).toEqual([
      expect.stringMatching(/^app.baseUrl .* must be reached over https/),
      expect.stringMatching(/^backend.baseUrl .* must be reached over https/),
    ]);
  });

  it('is complete with the documented environment', async () => {
    const config = await loadConfig(production, PRODUCTION_ENV);
    expect(checkProductionSettings(config, 'production')).toEqual([]);
    // The browser may connect only to the portal itself.
    expect(config.getStringArray('backend.csp.connect-src')).toEqual([
      "'self'",
    ]);
    // A sign-in expires instead of lasting the OIDC provider's default 1000 days.
    expect(
      config.getConfig('auth.providers.oidc.production.sessionDuration').get(),
    ).toEqual({ hours: 12 });
    // Listens on all interfaces, behind the ingress.
    expect(config.getString('backend.listen')).toBe(':7007');
  });

  it('leaves development alone', async () => {
    const config = await loadConfig(
      ['app-config.yaml', 'app-config.sandbox.yaml'],
      {},
    );
    expect(checkProductionSettings(config, 'development')).toEqual([]);
  });

  it('stops the backend from starting', async () => {
    const appStandIn = createBackendPlugin({
      pluginId: 'app',
      register(reg) {
        reg.registerInit({ deps: {}, async init() {} });
      },
    });
    await expect(
      startTestBackend({
        features: [
          appStandIn,
          appModuleProductionSettings,
          mockServices.rootConfig.factory({
            data: {
              auth: { environment: 'production' },
              app: { baseUrl: 'http://localhost:3000' },
              backend: { baseUrl: 'http://localhost:7007' },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/the production config is incomplete/);
  });
});
