import {
  Project,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  UpstreamClients,
  UpstreamError,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Entity } from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { HealthGateStore } from '../database/HealthGateStore';
import { deployableEnvironment } from '../service/deployableEnvironment';
import { UpstreamBindings } from '../service/UpstreamBindings';
import { workloadOf } from '../upstreamObjects';
import { RolloutStepWindow } from './StepGateStore';
import { GATE_VARIABLES, renderGateQuery, unknownVariables } from './template';
import { EnvironmentGates, HealthGate, ReleaseGateCheck } from './types';

type Resolved = { project: Project; entity: Entity };

/**
 * Reading and setting an environment's health gates. A gate is saved only once its query,
 * templated for the environment as it runs today, ran on the entity's Prometheus and gave at
 * most one number: a gate that cannot run would fail every release after it.
 */
export class GateSettings {
  constructor(
    private readonly deps: {
      store: HealthGateStore;
      /** Uncached: a validation runs the query as a release's evaluation would. */
      clients: UpstreamClients;
      bindings?: UpstreamBindings;
      /** The environment's newest release: its version fills `{{version}}`. */
      newestRelease?(
        entityRef: string,
        environment: string,
      ): Promise<Release | undefined>;
    },
  ) {}

  async read(
    { project }: Resolved,
    environment: string,
  ): Promise<EnvironmentGates> {
    deployableEnvironment(project, environment);
    return this.deps.store.getEnvironment(project.entityRef, environment);
  }

  async update(
    { project, entity }: Resolved,
    environment: string,
    value: { gates: HealthGate[]; autoRollback: boolean },
    actor: string,
  ): Promise<EnvironmentGates> {
    const env = deployableEnvironment(project, environment);
    const names = new Set<string>();
    for (const gate of value.gates) {
      if (names.has(gate.name)) {
        throw new InputError(
          `gates: two gates are named "${gate.name}"; give each gate its own name`,
        );
      }
      names.add(gate.name);
      const unknown = unknownVariables(gate.query);
      if (unknown.length) {
        throw new InputError(
          `gates.${gate.name}.query names ${unknown
            .map(u => `{{${u}}}`)
            .join(', ')}; a query may only use ${GATE_VARIABLES.map(
            v => `{{${v}}}`,
          ).join(', ')}`,
        );
      }
    }
    if (value.gates.length) {
      const app = await (this.deps.bindings ?? new UpstreamBindings())
        .boundApplication(this.deps.clients, entity, env.argocdApplication)
        .catch(e => {
          throw this.unavailable('ArgoCD', e, 'the namespace');
        });
      const newest = await this.deps.newestRelease?.(
        project.entityRef,
        environment,
      );
      const vars = {
        namespace: workloadOf(app).namespace,
        application: app.metadata.name,
        version: newest?.version ?? 'unreleased',
        // Only a release's Rollout has a canary; the query must parse and run without one.
        canary: '',
      };
      for (const gate of value.gates) {
        await this.check(entity, gate, renderGateQuery(gate.query, vars));
      }
    }
    return this.deps.store.setEnvironment(
      project.entityRef,
      environment,
      value,
      actor,
    );
  }

  /** A release's gates with what they observed, for its timeline. */
  checksOf(releaseId: string): Promise<ReleaseGateCheck[]> {
    return this.deps.store.checksOf(releaseId);
  }

  /** The gates judged at each pause of the release's Rollout, pause by pause. */
  stepWindowsOf(releaseId: string): Promise<RolloutStepWindow[]> {
    return this.deps.store.steps.windowsOf(releaseId);
  }

  private async check(entity: Entity, gate: HealthGate, query: string) {
    const prometheus = this.deps.clients.forEntity('prometheus', entity);
    let series: number;
    try {
      series = (await prometheus.query(query)).samples.length;
    } catch (e) {
      if (e instanceof UpstreamError && !e.retryable) {
        throw new InputError(
          `gates.${gate.name}.query does not run on Prometheus ${prometheus.instanceName}: ${e.reason}. Fix the PromQL (as run: ${query})`,
        );
      }
      throw this.unavailable(
        `Prometheus ${prometheus.instanceName}`,
        e,
        `gate ${gate.name}`,
      );
    }
    if (series > 1) {
      throw new InputError(
        `gates.${gate.name}.query gives ${series} series; a gate compares one number: aggregate it (sum, max, avg …) (as run: ${query})`,
      );
    }
  }

  private unavailable(system: string, e: unknown, what: string) {
    if (
      e instanceof Error &&
      ['NotAllowedError', 'NotFoundError'].includes(e.name)
    ) {
      return e;
    }
    return new ServiceUnavailableError(
      `${system} did not answer, so ${what} could not be checked and nothing was saved; try again (${
        e instanceof Error ? e.message : String(e)
      })`,
    );
  }
}
