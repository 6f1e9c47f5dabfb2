import { Config } from '@backstage/config';
import { DEFAULT_ORCHESTRATOR_SETTINGS, OrchestratorSettings } from './types';

type DurationKey = Exclude<
  keyof OrchestratorSettings,
  'enabled' | 'batchSize' | 'concurrency'
>;

const SECONDS: Array<[DurationKey, string]> = [
  ['pollIntervalMs', 'pollIntervalSeconds'],
  ['leaseMs', 'leaseSeconds'],
  ['retryWindowMs', 'retryWindowSeconds'],
  ['maxBackoffMs', 'maxBackoffSeconds'],
];
const MINUTES: Array<[DurationKey, string]> = [
  ['buildTimeoutMs', 'buildTimeoutMinutes'],
  ['syncTimeoutMs', 'syncTimeoutMinutes'],
  ['rolloutTimeoutMs', 'rolloutTimeoutMinutes'],
];

/** `autonomous.orchestrator.*`, each optional, with the defaults in DEFAULT_ORCHESTRATOR_SETTINGS. */
export function readOrchestratorSettings(config: Config): OrchestratorSettings {
  const c = config.getOptionalConfig('autonomous.orchestrator');
  const settings = { ...DEFAULT_ORCHESTRATOR_SETTINGS };
  if (!c) return settings;
  settings.enabled = c.getOptionalBoolean('enabled') ?? true;
  for (const [key, name] of SECONDS) {
    const value = c.getOptionalNumber(name);
    if (value !== undefined) settings[key] = positive(value, name) * 1000;
  }
  for (const [key, name] of MINUTES) {
    const value = c.getOptionalNumber(name);
    if (value !== undefined) settings[key] = positive(value, name) * 60_000;
  }
  for (const name of ['batchSize', 'concurrency'] as const) {
    const value = c.getOptionalNumber(name);
    if (value !== undefined)
      settings[name] = Math.max(1, Math.floor(positive(value, name)));
  }
  return settings;
}

function positive(value: number, name: string): number {
  if (!(value > 0)) {
    throw new Error(
      `autonomous.orchestrator.${name} must be a positive number, got ${value}`,
    );
  }
  return value;
}
