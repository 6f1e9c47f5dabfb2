import { Config } from '@backstage/config';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0']);

/**
 * What production must set, as problems a person can act on; none when the config is fine.
 *
 * Production is the config with `auth.environment: production` (app-config.production.yaml)
 * or a process with NODE_ENV=production. app-config.yaml carries localhost defaults for
 * development, and a missing environment variable falls through to them, so the check is
 * on the values the backend would run with. `productionSettings.check: false` turns it off for
 * a production build that is only measured locally (the benchmarks), never for a portal.
 */
export function checkProductionSettings(
  config: Config,
  nodeEnv: string | undefined,
): string[] {
  const production =
    config.getOptionalString('auth.environment') === 'production' ||
    nodeEnv === 'production';
  // A production build measured on one machine over loopback (bench/) says so explicitly.
  if (
    !production ||
    config.getOptionalBoolean('productionSettings.check') === false
  ) {
    return [];
  }

  const problems: string[] = [];
  if (nodeEnv !== 'production') {
    problems.push(
      `NODE_ENV is ${
        nodeEnv ?? 'not set'
      }: run the built backend with NODE_ENV=production, otherwise the guest sign-in is live and errors answer with stack traces`,
    );
  }
  for (const key of ['app.baseUrl', 'backend.baseUrl']) {
    const value = config.getOptionalString(key);
    let url: URL | undefined;
    try {
      url = value ? new URL(value) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || LOOPBACK_HOSTS.has(url.hostname)) {
      problems.push(
        `${key} is ${
          value ?? 'not set'
        }: set APP_BASE_URL to the portal's public https URL`,
      );
    } else if (url.protocol !== 'https:') {
      problems.push(
        `${key} is ${value}: the portal must be reached over https, or its cookies are not secure`,
      );
    }
  }
  const database = config.getOptionalConfig('backend.database');
  if (
    database?.getOptionalString('client') === 'pg' &&
    typeof database.getOptional('connection') === 'object' &&
    !database.getOptionalString('connection.host')
  ) {
    problems.push(
      'backend.database.connection.host is not set: set POSTGRES_HOST (and POSTGRES_USER, POSTGRES_PASSWORD)',
    );
  }
  return problems;
}
