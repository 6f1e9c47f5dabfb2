import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
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
  OrchestratorOptions,
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

/** The error ratio of a Rollout's canary pods (its `rollouts-pod-template-hash`), judged over 1.5 s. */
export const CANARY_GATE: HealthGate = {
  name: 'canary-errors',
  query:
    'sum(rate(http_requests_total{namespace="{{namespace}}",rollouts_pod_template_hash="{{canary}}",code=~"5.."}[1m])) / sum(rate(http_requests_total{namespace="{{namespace}}",rollouts_pod_template_hash="{{canary}}"}[1m]))',
  comparison: '<',
  threshold: 0.01,
  durationMs: 1_500,
  intervalMs: 300,
};

/** An in-process orchestrator with health gates and a notifier that records what it sent. */
export function gateHarness(
  knex: Knex,
  upstream: SandboxProjects,
  settings: Partial<OrchestratorSettings> = {},
  /** Runs when the owners are told something, before the orchestrator goes on. */
  onNotify?: () => Promise<void>,
  /** What the pages are told: the release signals publisher in the backend. */
  onChange?: OrchestratorOptions['onChange'],
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
    onChange,
    notifier: {
      async send(options) {
        sent.push(options);
        await onNotify?.();
      },
    },
  });

  /** Turns the orchestrator until the release passes `until` (`onTurn` after each turn). */
  async function drive(
    releaseId: string,
    until: (r: Release) => boolean,
    onTurn?: (r: Release) => Promise<void>,
    timeoutMs = 90_000,
  ): Promise<Release> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await orchestrator.tick();
      const release = (await releases.getRelease(releaseId))!;
      if (until(release)) return release;
      await onTurn?.(release);
      if (Date.now() > deadline) throw new Error(`stuck in ${release.status}`);
      await new Promise(r => setTimeout(r, 50));
    }
  }

  /** The release's event messages, one per line. */
  async function messages(releaseId: string): Promise<string> {
    const { events } = (await releases.getReleaseWithEvents(releaseId))!;
    return events.map(e => e.message).join('\n');
  }

  return {
    store,
    steps,
    gates,
    releases,
    orchestrator,
    sent,
    drive,
    messages,
  };
}

/** Whether the release has ended, one way or another. */
export const ended = (r: Release) =>
  ['healthy', 'failed', 'cancelled', 'rolled-back'].includes(r.status);
