import { LoggerService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { DEFAULT_ORCHESTRATOR_SETTINGS, OrchestratorSettings } from './types';

type DurationKey = Exclude<
  keyof OrchestratorSettings,
  'enabled' | 'batchSize' | 'concurrency'
>;

/** Each duration: its key (a human duration), and the number key it replaces with its unit. */
const DURATIONS: Array<[DurationKey, string, string, number]> = [
  ['pollIntervalMs', 'pollInterval', 'pollIntervalSeconds', 1000],
  ['leaseMs', 'lease', 'leaseSeconds', 1000],
  ['retryWindowMs', 'retryWindow', 'retryWindowSeconds', 1000],
  ['maxBackoffMs', 'maxBackoff', 'maxBackoffSeconds', 1000],
  ['buildTimeoutMs', 'buildTimeout', 'buildTimeoutMinutes', 60_000],
  ['syncTimeoutMs', 'syncTimeout', 'syncTimeoutMinutes', 60_000],
  ['rolloutTimeoutMs', 'rolloutTimeout', 'rolloutTimeoutMinutes', 60_000],
];

const MS_PER_UNIT: Record<string, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
};

/**
 * A duration in config, read with Backstage's `readDurationFromConfig` (`{ seconds: 5 }`, an
 * ISO 8601 duration such as `PT5S`, or `5s`), in milliseconds.
 */
export function readDurationMs(config: Config, key: string): number {
  const duration = readDurationFromConfig(config, { key }) as Record<
    string,
    number | undefined
  >;
  let ms = 0;
  for (const [unit, value] of Object.entries(duration)) {
    if (value === undefined) continue;
    const factor = MS_PER_UNIT[unit];
    if (factor === undefined) {
      throw new Error(
        `${key} must be given in weeks or smaller units (got ${unit}): months and years have no fixed length`,
      );
    }
    ms += value * factor;
  }
  return ms;
}

/**
 * `autonomous.orchestrator.*`, each optional, with the defaults in DEFAULT_ORCHESTRATOR_SETTINGS.
 * The older number keys (`pollIntervalSeconds`…) still work, with a deprecation warning.
 */
export function readOrchestratorSettings(
  config: Config,
  logger?: LoggerService,
): OrchestratorSettings {
  const c = config.getOptionalConfig('autonomous.orchestrator');
  const settings = { ...DEFAULT_ORCHESTRATOR_SETTINGS };
  if (!c) return settings;
  settings.enabled = c.getOptionalBoolean('enabled') ?? true;
  for (const [key, name, oldName, unitMs] of DURATIONS) {
    if (c.has(name)) {
      settings[key] = positive(
        readDurationMs(c, name),
        `autonomous.orchestrator.${name}`,
      );
      continue;
    }
    const old = c.getOptionalNumber(oldName);
    if (old !== undefined) {
      logger?.warn(
        `autonomous.orchestrator.${oldName} is deprecated: write ${name} as a duration instead, e.g. ${name}: { seconds: ${
          (old * unitMs) / 1000
        } }`,
      );
      settings[key] =
        positive(old, `autonomous.orchestrator.${oldName}`) * unitMs;
    }
  }
  for (const name of ['batchSize', 'concurrency'] as const) {
    const value = c.getOptionalNumber(name);
    if (value !== undefined)
      settings[name] = Math.max(
        1,
        Math.floor(positive(value, `autonomous.orchestrator.${name}`)),
      );
  }
  return settings;
}

/**
 * `autonomous.permissionDecisionCache` (a duration) in milliseconds; the older
 * `permissionDecisionCacheMs` still works, with a deprecation warning. Default 5 s.
 */
export function readPermissionDecisionCacheMs(
  config: Config,
  logger?: LoggerService,
): number {
  if (config.has('autonomous.permissionDecisionCache')) {
    return readDurationMs(config, 'autonomous.permissionDecisionCache');
  }
  const old = config.getOptionalNumber('autonomous.permissionDecisionCacheMs');
  if (old === undefined) return 5_000;
  logger?.warn(
    'autonomous.permissionDecisionCacheMs is deprecated: write autonomous.permissionDecisionCache as a duration instead, e.g. { seconds: 5 }',
  );
  return old;
}

function positive(value: number, name: string): number {
  if (!(value > 0)) {
    throw new Error(`${name} must be a positive duration, got ${value}`);
  }
  return value;
}
