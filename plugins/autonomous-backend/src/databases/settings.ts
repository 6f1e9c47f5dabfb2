import { DatabaseEngine } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Config } from '@backstage/config';
import { readDurationMs } from '../orchestrator/settings';
import { EngineSettings, readEngineSettings } from './engines';

/** `autonomous.databases.*`: how the provisioning worker runs. */
export interface DatabaseSettings {
  /** Off on a backend that only serves the API (follows autonomous.orchestrator.enabled). */
  enabled: boolean;
  /** Where the credentials live in Vault: `<prefix>/<instance name>`. */
  vaultPathPrefix: string;
  /** The Vault instance to use (default: the first). */
  vaultInstance?: string;
  /** StatefulSet ready, PVC bound and endpoints ready within this, or the instance fails. */
  readinessTimeoutMs: number;
  /** How long the users Job may run. */
  jobTimeoutMs: number;
  /** How long a final backup or a restore (through the backups hook) may take. */
  backupTimeoutMs: number;
  /** Transient upstream errors are retried this long before the step fails. */
  retryWindowMs: number;
  pollIntervalMs: number;
  leaseMs: number;
  engines: Record<DatabaseEngine, EngineSettings>;
}

const DURATIONS: Array<[keyof DatabaseSettings, string, number]> = [
  ['readinessTimeoutMs', 'readinessTimeout', 10 * 60_000],
  ['jobTimeoutMs', 'jobTimeout', 10 * 60_000],
  ['backupTimeoutMs', 'backupTimeout', 60 * 60_000],
  ['retryWindowMs', 'retryWindow', 5 * 60_000],
  ['pollIntervalMs', 'pollInterval', 2_000],
  ['leaseMs', 'lease', 60_000],
];

export function readDatabaseSettings(config: Config): DatabaseSettings {
  const c = config.getOptionalConfig('autonomous.databases');
  const settings: Record<string, unknown> = {
    enabled:
      c?.getOptionalBoolean('enabled') ??
      config.getOptionalBoolean('autonomous.orchestrator.enabled') ??
      true,
    vaultPathPrefix: (
      c?.getOptionalString('vaultPathPrefix') ?? 'autonomous/databases'
    ).replace(/^\/+|\/+$/g, ''),
    vaultInstance: c?.getOptionalString('vaultInstance'),
    engines: readEngineSettings(config),
  };
  for (const [key, name, fallback] of DURATIONS) {
    const ms = c?.has(name) ? readDurationMs(c, name) : fallback;
    if (!(ms > 0)) {
      throw new Error(`autonomous.databases.${name} must be longer than zero`);
    }
    settings[key] = ms;
  }
  if (!settings.vaultPathPrefix) {
    throw new Error(
      'autonomous.databases.vaultPathPrefix must name a path, e.g. autonomous/databases',
    );
  }
  return settings as unknown as DatabaseSettings;
}
