import type { RealEngine } from '../databases/engine.ts';
import type {
  ChartCredentials,
  DatabaseServers,
} from '../databases/servers.ts';
import type { KubernetesState } from '../kubernetes/index.ts';
import { DATABASE_ENGINES } from './manifests.ts';
import { helmValues } from './sources.ts';

/** A database chart whose engine runs on a real server here, with the credentials it names. */
export interface RealChartDatabase {
  engine: RealEngine;
  credentials: ChartCredentials;
}

function secretValue(secret: any, key: string): string | undefined {
  const data = secret?.data?.[key];
  return data === undefined
    ? undefined
    : Buffer.from(String(data), 'base64').toString('utf8');
}

/**
 * The real server a chart's database goes to, when its engine is real here and its values name
 * the credentials: the owner is the Secret's `ownerUsername` (the Secret is
 * `auth.existingSecret`), else `auth.username`; the password the Secret's key named by
 * `auth.secretKeys.userPasswordKey` or `auth.existingSecretPasswordKey` (default
 * `ownerPassword`), else `auth.password`; the database is `auth.database` (default the release
 * name with `_` for `-`). Otherwise undefined (simulated), told once.
 */
export function realChartDatabase(
  servers: DatabaseServers,
  kube: KubernetesState,
  app: any,
  source: any,
  ns: string,
  warned: Set<string>,
): RealChartDatabase | undefined {
  const chartId = `${source.chart ?? ''} ${source.path ?? ''}`.toLowerCase();
  const db = DATABASE_ENGINES.find(e => e.pattern.test(chartId));
  const engine = db && servers.engineFor(db.engine);
  if (!engine) return undefined;
  const appName: string = app.metadata.name;
  const values = helmValues(source);
  const secretName = values['auth.existingSecret'];
  const secret = secretName ? kube.get('secrets', ns, secretName) : undefined;
  const owner =
    secretValue(secret, 'ownerUsername') ??
    values['auth.username'] ??
    secretValue(secret, 'username');
  // Bitnami charts name the Secret's password key in their values.
  const passwordKey =
    values['auth.secretKeys.userPasswordKey'] ??
    values['auth.existingSecretPasswordKey'] ??
    'ownerPassword';
  const password =
    secretValue(secret, passwordKey) ??
    secretValue(secret, 'password') ??
    values['auth.password'];
  const database =
    values['auth.database'] ??
    (values.fullnameOverride || appName).replace(/-/g, '_');
  let problem: string | undefined;
  if (secretName && !secret) {
    problem = `its Secret ${ns}/${secretName} (auth.existingSecret) does not exist`;
  } else if (!owner || !password) {
    problem =
      'its values name no owner credentials (auth.existingSecret with ownerUsername/ownerPassword, or auth.username/auth.password)';
  }
  if (problem) {
    const key = `${appName}:${problem}`;
    if (!warned.has(key)) {
      warned.add(key);
      servers.log(
        `sandbox databases: application ${appName}: ${problem}; its ${
          db!.engine
        } database is simulated`,
      );
    }
    return undefined;
  }
  return {
    engine,
    credentials: { database, owner: owner!, password: password! },
  };
}

/**
 * After the chart's objects are applied: the Service answers at the real server
 * (`status.loadBalancer.ingress[0]` and its port), and the database and owner are created.
 * Should that fail, the Service goes back to the chart's own port and no address.
 */
export function connectChartDatabase(
  servers: DatabaseServers,
  kube: KubernetesState,
  appName: string,
  ns: string,
  serviceName: string,
  chartPort: number,
  real: RealChartDatabase,
) {
  const { host } = real.engine.address;
  const ingress = /^[\d.]+$|:/.test(host) ? { ip: host } : { hostname: host };
  kube.patch('services', ns, serviceName, 'application/merge-patch+json', {
    status: { loadBalancer: { ingress: [ingress] } },
  });
  servers.chartApplied(appName, real.engine, real.credentials, () => {
    if (!kube.get('services', ns, serviceName)) return;
    kube.patch('services', ns, serviceName, 'application/merge-patch+json', {
      spec: {
        ports: [
          {
            name: 'db',
            port: chartPort,
            targetPort: chartPort,
            protocol: 'TCP',
          },
        ],
      },
      status: { loadBalancer: { ingress: null } },
    });
  });
}
