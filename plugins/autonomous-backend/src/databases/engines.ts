import {
  DATABASE_CLUSTER_MODE_UNAVAILABLE,
  DATABASE_ENGINE_TITLES,
  DATABASE_ENGINES,
  DatabaseEngine,
  DatabaseEngineInfo,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Config, JsonObject } from '@backstage/config';

/** How the backend installs and reaches one engine (`autonomous.databases.engines.<engine>`). */
export interface EngineSettings {
  engine: DatabaseEngine;
  /** Helm repository and chart ArgoCD installs. */
  repoURL: string;
  chart: string;
  /** The chart's version (not the engine's). */
  chartVersion: string;
  /**
   * Helm values, flattened to dotted keys and sent as parameters. `${name}`, `${database}`,
   * `${owner}`, `${secret}`, `${version}`, `${storage}` are replaced per instance.
   */
  values: Record<string, string>;
  versions: string[];
  defaultVersion: string;
  defaultStorageGi: number;
  /** The image the users, backup and restore Jobs run (the engine's own client tools). */
  toolsImage: string;
  /** The port the engine listens on when the Service does not say. */
  port: number;
}

/*
 * The values every default names the same way (Bitnami's `auth.*`): the database, the owner,
 * and the Secret the provisioning writes (keys ownerUsername, ownerPassword, readonlyUsername,
 * readonlyPassword). `fullnameOverride` makes the StatefulSet and Service `<name>`.
 */
const COMMON_VALUES: Record<string, string> = {
  fullnameOverride: '${name}',
  'auth.existingSecret': '${secret}',
  'auth.database': '${database}',
  'auth.username': '${owner}',
  'auth.secretKeys.userPasswordKey': 'ownerPassword',
  'auth.secretKeys.adminPasswordKey': 'ownerPassword',
  'image.tag': '${version}',
  'primary.persistence.size': '${storage}',
  'persistence.size': '${storage}',
};

const BITNAMI = 'https://charts.bitnami.com/bitnami';

type Defaults = Omit<EngineSettings, 'engine' | 'values'> & {
  values?: Record<string, string>;
};

const DEFAULTS: Record<DatabaseEngine, Defaults> = {
  postgresql: {
    repoURL: BITNAMI,
    chart: 'postgresql',
    chartVersion: '16.7.27',
    versions: ['17', '16', '15', '14'],
    defaultVersion: '17',
    defaultStorageGi: 8,
    toolsImage: 'docker.io/bitnami/postgresql:17',
    port: 5432,
  },
  mysql: {
    repoURL: BITNAMI,
    chart: 'mysql',
    chartVersion: '14.0.3',
    versions: ['8.4', '8.0'],
    defaultVersion: '8.4',
    defaultStorageGi: 8,
    toolsImage: 'docker.io/bitnami/mysql:8.4',
    port: 3306,
  },
  mongodb: {
    repoURL: BITNAMI,
    chart: 'mongodb',
    chartVersion: '16.5.45',
    versions: ['8.0', '7.0'],
    defaultVersion: '8.0',
    defaultStorageGi: 8,
    toolsImage: 'docker.io/bitnami/mongodb:8.0',
    port: 27017,
    values: {
      'auth.usernames[0]': '${owner}',
      'auth.databases[0]': '${database}',
    },
  },
  redis: {
    repoURL: BITNAMI,
    chart: 'redis',
    chartVersion: '21.2.13',
    versions: ['8.0', '7.4'],
    defaultVersion: '8.0',
    defaultStorageGi: 2,
    toolsImage: 'docker.io/bitnami/redis:8.0',
    port: 6379,
    values: {
      architecture: 'standalone',
      'auth.existingSecretPasswordKey': 'ownerPassword',
      'master.persistence.size': '${storage}',
    },
  },
  cassandra: {
    repoURL: BITNAMI,
    chart: 'cassandra',
    chartVersion: '12.3.11',
    versions: ['5.0', '4.1'],
    defaultVersion: '5.0',
    defaultStorageGi: 16,
    toolsImage: 'docker.io/bitnami/cassandra:5.0',
    port: 9042,
    values: {
      replicaCount: '1',
      'dbUser.user': '${owner}',
      'dbUser.existingSecret': '${secret}',
    },
  },
  oracle: {
    repoURL: 'https://oracle.github.io/oracle-db-operator/charts',
    chart: 'oracle-database-free',
    chartVersion: '1.0.0',
    versions: ['23ai'],
    defaultVersion: '23ai',
    defaultStorageGi: 16,
    toolsImage: 'container-registry.oracle.com/database/sqlcl:latest',
    port: 1521,
  },
  mssql: {
    repoURL: 'https://simcubeltd.github.io/simcube-helm-charts',
    chart: 'mssqlserver-2022',
    chartVersion: '1.2.3',
    versions: ['2022', '2019'],
    defaultVersion: '2022',
    defaultStorageGi: 16,
    toolsImage: 'mcr.microsoft.com/mssql-tools:latest',
    port: 1433,
  },
};

function flatten(
  value: unknown,
  prefix: string,
  out: Record<string, string>,
): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as JsonObject)) {
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (value !== null && value !== undefined) {
    out[prefix] = String(value);
  }
}

/** Each engine's settings: the defaults above, with `autonomous.databases.engines.<engine>` over them. */
export function readEngineSettings(
  config: Config,
): Record<DatabaseEngine, EngineSettings> {
  const out = {} as Record<DatabaseEngine, EngineSettings>;
  for (const engine of DATABASE_ENGINES) {
    const d = DEFAULTS[engine];
    const c = config.getOptionalConfig(
      `autonomous.databases.engines.${engine}`,
    );
    const where = `autonomous.databases.engines.${engine}`;
    const values = { ...COMMON_VALUES, ...d.values };
    const configured = c?.getOptional<JsonObject>('values');
    if (configured !== undefined) flatten(configured, '', values);
    const versions = c?.getOptionalStringArray('versions') ?? d.versions;
    const defaultVersion =
      c?.getOptionalString('defaultVersion') ?? versions[0];
    if (!versions.length || !versions.includes(defaultVersion)) {
      throw new Error(
        `${where}: defaultVersion ${defaultVersion} is not one of versions (${versions.join(
          ', ',
        )})`,
      );
    }
    const defaultStorageGi =
      c?.getOptionalNumber('defaultStorageGi') ?? d.defaultStorageGi;
    if (!Number.isInteger(defaultStorageGi) || defaultStorageGi < 1) {
      throw new Error(`${where}.defaultStorageGi must be a whole number of Gi`);
    }
    out[engine] = {
      engine,
      repoURL: c?.getOptionalString('repoURL') ?? d.repoURL,
      chart: c?.getOptionalString('chart') ?? d.chart,
      chartVersion: c?.getOptionalString('version') ?? d.chartVersion,
      values,
      versions,
      defaultVersion,
      defaultStorageGi,
      toolsImage: c?.getOptionalString('toolsImage') ?? d.toolsImage,
      port: c?.getOptionalNumber('port') ?? d.port,
    };
  }
  return out;
}

/** What the provision form offers: every engine, single mode only. */
export function engineInfo(settings: EngineSettings): DatabaseEngineInfo {
  return {
    engine: settings.engine,
    title: DATABASE_ENGINE_TITLES[settings.engine],
    versions: settings.versions,
    defaultVersion: settings.defaultVersion,
    defaultStorageGi: settings.defaultStorageGi,
    modes: [
      { mode: 'single', available: true },
      {
        mode: 'cluster',
        available: false,
        reason: DATABASE_CLUSTER_MODE_UNAVAILABLE,
      },
    ],
  };
}

/** The Helm parameters of one instance: the engine's values with its names filled in. */
export function helmParametersFor(
  settings: EngineSettings,
  instance: {
    name: string;
    database: string;
    owner: string;
    secret: string;
    version: string;
    storageGi: number;
  },
): Array<{ name: string; value: string; forceString: true }> {
  const vars: Record<string, string> = {
    name: instance.name,
    database: instance.database,
    owner: instance.owner,
    secret: instance.secret,
    version: instance.version,
    storage: `${instance.storageGi}Gi`,
  };
  return Object.entries(settings.values)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({
      name,
      value: value.replace(/\$\{(\w+)\}/g, (m, v: string) => vars[v] ?? m),
      forceString: true as const,
    }));
}
