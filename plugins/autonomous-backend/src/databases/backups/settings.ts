import {
  DATABASE_ENGINES,
  DatabaseEngine,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  BackupStorageConfig,
  readBackupStorageConfig,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Config } from '@backstage/config';
import { readDurationMs } from '../../orchestrator/settings';
import { DEFAULT_TOOL_COMMANDS, ToolCommands } from './toolCommands';

/** `autonomous.databases.backups` and each engine's dump and restore commands. */
export interface BackupSettingsConfig {
  storage?: BackupStorageConfig;
  /** How often the worker looks at running backups and restores, and the CronJobs. */
  pollIntervalMs: number;
  leaseMs: number;
  /** How long after a run fell due its Job may still appear before it counts as missed. */
  missedGraceMs: number;
  /** The Kubernetes instance (of `autonomous.kubernetes`) the databases run in; default the first. */
  kubernetesInstance?: string;
  /** The tools image per engine (`autonomous.databases.engines.<engine>.toolsImage`). */
  toolsImages: Record<DatabaseEngine, string>;
  ports: Record<DatabaseEngine, number>;
  commands: Record<DatabaseEngine, ToolCommands>;
}

const DEFAULT_TOOLS_IMAGES: Record<DatabaseEngine, string> = {
  postgresql: 'docker.io/bitnami/postgresql:17',
  mysql: 'docker.io/bitnami/mysql:8.4',
  mongodb: 'docker.io/bitnami/mongodb:8.0',
  redis: 'docker.io/bitnami/redis:8.0',
  cassandra: 'docker.io/bitnami/cassandra:5.0',
  oracle: 'container-registry.oracle.com/database/sqlcl:latest',
  mssql: 'mcr.microsoft.com/mssql-tools:latest',
};

/** The engine's port, for a Job that runs before the instance has its connection profile. */
export const DEFAULT_PORTS: Record<DatabaseEngine, number> = {
  postgresql: 5432,
  mysql: 3306,
  mongodb: 27017,
  redis: 6379,
  cassandra: 9042,
  oracle: 1521,
  mssql: 1433,
};

function durationOr(config: Config, key: string, fallback: number): number {
  return config.has(key) ? readDurationMs(config, key) : fallback;
}

export function readBackupSettingsConfig(config: Config): BackupSettingsConfig {
  const base = 'autonomous.databases.backups';
  const toolsImages = {} as Record<DatabaseEngine, string>;
  const commands = {} as Record<DatabaseEngine, ToolCommands>;
  const ports = {} as Record<DatabaseEngine, number>;
  for (const engine of DATABASE_ENGINES) {
    const c = config.getOptionalConfig(
      `autonomous.databases.engines.${engine}`,
    );
    toolsImages[engine] =
      c?.getOptionalString('toolsImage') ?? DEFAULT_TOOLS_IMAGES[engine];
    ports[engine] = c?.getOptionalNumber('port') ?? DEFAULT_PORTS[engine];
    commands[engine] = {
      backup:
        c?.getOptionalString('backupCommand') ??
        DEFAULT_TOOL_COMMANDS[engine].backup,
      restore:
        c?.getOptionalString('restoreCommand') ??
        DEFAULT_TOOL_COMMANDS[engine].restore,
    };
  }
  return {
    storage: readBackupStorageConfig(config),
    pollIntervalMs: durationOr(config, `${base}.pollInterval`, 2000),
    leaseMs: durationOr(config, `${base}.lease`, 60_000),
    missedGraceMs: durationOr(config, `${base}.missedGrace`, 15 * 60_000),
    kubernetesInstance: config.getOptionalString(`${base}.kubernetesInstance`),
    toolsImages,
    ports,
    commands,
  };
}
