import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { FAST_SETTINGS } from '../../__testUtils__/orchestratorHarness';
import {
  SandboxProjects,
  sandboxConfigData,
} from '../../__testUtils__/sandboxProject';
import { HealthGateStore } from '../../database/HealthGateStore';
import { DatabaseReleaseStore } from '../../database/ReleaseStore';
import { ReleaseWorkStore } from '../../database/ReleaseWorkStore';
import {
  ReleaseNotifier,
  ReleaseOrchestrator,
} from '../../orchestrator/ReleaseOrchestrator';
import { OrchestratorSettings } from '../../orchestrator/types';
import { ReleaseGates } from '../ReleaseGates';
import { StepGateStore } from '../StepGateStore';
import { HealthGate } from '../types';

/** The sandbox config with its Prometheus, which health gates query. */
export function gateConfigData(url: string) {
  const base = sandboxConfigData(url);
  return {
    ...base,
    autonomous: {
      ...base.autonomous,
      prometheus: {
        instances: [{ name: 'sandbox', url: `${url}/prometheus` }],
      },
    },
  };
}

/** The error ratio of the release's namespace, as a platform team would write it. */
export const ERROR_RATIO_GATE: HealthGate = {
  name: 'error-ratio',
  query:
    'sum(rate(http_requests_total{namespace="{{namespace}}",code=~"5.."}[1m])) / sum(rate(http_requests_total{namespace="{{namespace}}"}[1m]))',
  comparison: '<',
  threshold: 0.01,
  durationMs: 4_000,
  intervalMs: 400,
};

/** An in-process orchestrator with health gates and a notifier that records what it sent. */
export function gateHarness(
  knex: Knex,
  upstream: SandboxProjects,
  settings: Partial<OrchestratorSettings> = {},
  /** Runs when the owners are told something, before the orchestrator goes on. */
  onNotify?: () => Promise<void>,
) {
  const merged = { ...FAST_SETTINGS, ...settings };
  const clients = UpstreamClients.fromConfig(
    new ConfigReader(gateConfigData(upstream.sandbox.url)),
    { readCache: false },
  );
  const store = new HealthGateStore(knex);
  const releases = new DatabaseReleaseStore(knex);
  const sent: Array<Parameters<ReleaseNotifier['send']>[0]> = [];
  const steps = new StepGateStore(knex);
  const gates = new ReleaseGates({
    store,
    steps,
    prometheus: entity => clients.forEntity('prometheus', entity),
    retryWindowMs: merged.retryWindowMs,
    now: () => new Date(),
  });
  const orchestrator = new ReleaseOrchestrator({
    work: new ReleaseWorkStore(knex),
    releases,
    clients,
    resolveProject: ref => upstream.resolve(ref),
    settings: merged,
    logger: mockServices.logger.mock(),
    gates,
    notifier: {
      async send(options) {
        sent.push(options);
        await onNotify?.();
      },
    },
  });
  return { store, steps, releases, orchestrator, sent };
}
