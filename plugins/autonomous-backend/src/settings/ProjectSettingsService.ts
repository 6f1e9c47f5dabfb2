import {
  Environment,
  EnvironmentSettings,
  environmentSecretsPath,
  EnvironmentVariableSetting,
  Project,
  ProjectSettingsView,
  Release,
  releaseLabel,
  ScalingSettings,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  ArgoCdHelmParameter,
  readCacheKey,
  UpstreamClients,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { EnvironmentChange, ProjectStore } from '../database/ProjectStore';
import { DatabaseProjectSettingsStore } from '../database/ProjectSettingsStore';
import { deployableEnvironment } from '../service/deployableEnvironment';
import { syncWhenFree } from '../service/EnvironmentService';
import { UpstreamBindings } from '../service/UpstreamBindings';
import { readDomainStatus, ResolveHost, resolveWithDns } from './domainStatus';
import {
  domainParameters,
  replaceSettingParameters,
  scalingParameters,
  SettingKind,
  tlsSecretName,
  variableParameters,
} from './helmParameters';

type Resolved = { project: Project; entity: Entity };

/** `autonomous.domains.*`: how custom domains are served. */
export interface DomainSettings {
  /** The cert-manager ClusterIssuer that issues the certificates (default `letsencrypt`). */
  clusterIssuer: string;
  /** The Ingress class (default `nginx`). */
  ingressClassName: string;
}

const stripApplication = ({ argocdApplication: _, ...env }: Environment) => env;

/**
 * A project's settings per environment. What ArgoCD deploys (domains, variables, scaling) is
 * written to the environment's Application as Helm parameters and synced; what the portal
 * decides (auto-deploy, branch) is saved in the plugin's tables. Secret variables go to Vault
 * and nowhere else: the tables, the Application, the events and the answers name them only.
 */
export class ProjectSettingsService {
  private readonly resolveHost: ResolveHost;

  constructor(
    private readonly deps: {
      /** Uncached: a setting is applied to what ArgoCD holds now. */
      clients: UpstreamClients;
      /** The pages' cached clients, whose read of a changed application is dropped. */
      cachedClients?: UpstreamClients;
      projects: ProjectStore;
      settings: DatabaseProjectSettingsStore;
      bindings?: UpstreamBindings;
      domains?: Partial<DomainSettings>;
      resolveHost?: ResolveHost;
      /**
       * Releases in flight: a change waits while one is writing its own Helm parameters
       * (the image), since both replace the Application's parameter list.
       */
      releases?: {
        findInFlight(
          entityRef: string,
          environment: string,
        ): Promise<Release[]>;
      };
      /** How long a change waits for a running ArgoCD operation before syncing (20 s). */
      syncWaitMs?: number;
    },
  ) {
    this.resolveHost = deps.resolveHost ?? resolveWithDns;
  }

  private get bindings() {
    return this.deps.bindings ?? new UpstreamBindings();
  }

  async view(resolved: Resolved): Promise<ProjectSettingsView> {
    const { project } = resolved;
    const [stored, events] = await Promise.all([
      this.deps.settings.get(project.entityRef),
      this.deps.settings.events(project.entityRef),
    ]);
    const environments = await Promise.all(
      project.environments.map(env =>
        this.environmentView(resolved, env, stored.get(env.name)),
      ),
    );
    return { entityRef: project.entityRef, environments, events };
  }

  private async environmentView(
    { project, entity }: Resolved,
    env: Environment,
    stored?: Awaited<
      ReturnType<DatabaseProjectSettingsStore['get']>
    > extends Map<string, infer S>
      ? S
      : never,
  ): Promise<EnvironmentSettings> {
    const domains = await this.domainsOf(entity, env);
    return {
      environment: env.name,
      branch: env.branch,
      autoDeploy: env.autoDeploy,
      argocdApplication: env.argocdApplication,
      domains,
      variables: stored?.variables ?? [],
      secretsVaultPath: environmentSecretsPath(project.entityRef, env.name),
      scaling: stored?.scaling,
    };
  }

  /** Read in the namespace of the bound Application's destination, never one derived from names. */
  private async domainsOf(entity: Entity, env: Environment) {
    const unknown = (why: string) =>
      env.domains.map(host => ({
        host,
        tls: 'unknown' as const,
        tlsMessage: why,
        dns: 'unknown' as const,
        dnsMessage: why,
        inIngress: false,
      }));
    if (!env.domains.length) return [];
    if (!env.argocdApplication) {
      return unknown('the environment has no ArgoCD application');
    }
    let namespace: string;
    try {
      const app = await this.bindings.boundApplication(
        this.deps.clients,
        entity,
        env.argocdApplication,
      );
      namespace = app.spec.destination?.namespace ?? env.namespace;
    } catch (e) {
      return unknown(
        `ArgoCD application ${env.argocdApplication} could not be read: ${
          e instanceof Error ? e.message : String(e)
        }`,
      );
    }
    return readDomainStatus({
      kubernetes: this.deps.clients.forEntity('kubernetes', entity),
      namespace,
      domains: env.domains,
      certificateName: tlsSecretName(env.argocdApplication),
      resolve: this.resolveHost,
    });
  }

  private async environmentAfter(
    resolved: Resolved,
    envName: string,
    changed?: Partial<Environment>,
  ): Promise<EnvironmentSettings> {
    const env = resolved.project.environments.find(e => e.name === envName)!;
    const stored = await this.deps.settings.get(resolved.project.entityRef);
    return this.environmentView(
      resolved,
      { ...env, ...changed },
      stored.get(envName),
    );
  }

  /**
   * Saves one environment's change in the project's settings, leaving the others as stored:
   * a concurrent save of another environment, read from the same project, is not undone.
   */
  private async saveEnvironment(
    project: Project,
    envName: string,
    change: EnvironmentChange,
  ) {
    await this.deps.projects.saveEnvironment({
      entityRef: project.entityRef,
      kind: project.kind,
      environments: project.environments.map(stripApplication),
      name: envName,
      change,
    });
  }

  /**
   * The orchestrator sets a release's image as Helm parameters of the same Application, by
   * reading the list and writing it back whole, as a change here does: while a release is at
   * that step, one could write back the other's old list. The change is refused until the
   * release has synced.
   */
  private async refuseWhileReleaseSyncs(project: Project, envName: string) {
    const inFlight =
      (await this.deps.releases?.findInFlight(project.entityRef, envName)) ??
      [];
    const syncing = inFlight.find(r =>
      ['built', 'syncing', 'rolling-back'].includes(r.status),
    );
    if (syncing) {
      throw new ConflictError(
        `Release ${releaseLabel(
          syncing,
        )} is being synced to ${envName}: change the settings once it has synced (seconds), so neither overwrites the other's Helm parameters`,
      );
    }
  }

  /** Replaces the setting's Helm parameters on the bound Application and asks for a sync. */
  private async applyToApplication(
    { entity }: Resolved,
    argocdApplication: string,
    kind: SettingKind,
    parameters: ArgoCdHelmParameter[],
  ) {
    const app = await this.bindings.boundApplication(
      this.deps.clients,
      entity,
      argocdApplication,
    );
    if (!app.spec.source) {
      throw new InputError(
        `ArgoCD application ${argocdApplication} has several sources; settings are applied to an application with one Helm source`,
      );
    }
    const argocd = this.deps.clients.forEntity('argocd', entity);
    await argocd.patchApplication(
      argocdApplication,
      {
        spec: {
          source: {
            helm: {
              parameters: replaceSettingParameters(
                app.spec.source.helm?.parameters ?? [],
                kind,
                parameters,
              ),
            },
          },
        },
      },
      `update of the ${kind} of application "${argocdApplication}"`,
    );
    // ArgoCD refuses a sync while another operation runs, and that one started from the old
    // parameters: wait for it to end (a sync takes seconds), then sync the new ones.
    await syncWhenFree(argocd, argocdApplication, {
      waitMs: this.deps.syncWaitMs ?? 20_000,
      busyMessage: `The settings are saved in ArgoCD application ${argocdApplication}, but ArgoCD is still running another operation on it: sync it once that ends`,
    });
    const cache = this.deps.cachedClients?.readCache;
    if (cache) {
      const instance = this.deps.cachedClients!.forEntity(
        'argocd',
        entity,
      ).instanceName;
      await cache.invalidate(
        readCacheKey('argocd', instance, `app/${argocdApplication}`, ''),
      );
    }
  }

  async setAutoDeploy(
    resolved: Resolved,
    envName: string,
    input: { enabled: boolean; branch?: string },
    actor: string,
  ) {
    const { project } = resolved;
    const env = deployableEnvironment(project, envName);
    const branch = input.branch ?? env.branch;
    await this.saveEnvironment(project, envName, {
      autoDeploy: input.enabled,
      branch,
    });
    const message = input.enabled
      ? `Auto-deploy of ${envName} on: every push to ${branch} is released`
      : `Auto-deploy of ${envName} off (branch ${branch}): pushes are recorded, not released`;
    await this.deps.settings.recordEvent({
      entityRef: project.entityRef,
      environment: envName,
      action: 'settings.auto-deploy',
      message,
      actor,
    });
    return {
      message,
      environment: await this.environmentAfter(resolved, envName, {
        autoDeploy: input.enabled,
        branch,
      }),
    };
  }

  async setDomains(
    resolved: Resolved,
    envName: string,
    domains: string[],
    actor: string,
  ) {
    const { project } = resolved;
    const env = deployableEnvironment(project, envName);
    await this.refuseWhileReleaseSyncs(project, envName);
    const taken = project.environments.find(
      e => e.name !== envName && e.domains.some(d => domains.includes(d)),
    );
    if (taken) {
      throw new InputError(
        `${taken.domains.find(d =>
          domains.includes(d),
        )} is already a domain of ${
          taken.name
        }: remove it there first, one Ingress serves a host`,
      );
    }
    await this.applyToApplication(
      resolved,
      env.argocdApplication,
      'domains',
      domainParameters({
        domains,
        argocdApplication: env.argocdApplication,
        clusterIssuer: this.deps.domains?.clusterIssuer ?? 'letsencrypt',
        ingressClassName: this.deps.domains?.ingressClassName ?? 'nginx',
      }),
    );
    await this.saveEnvironment(project, envName, { domains });
    const added = domains.filter(d => !env.domains.includes(d));
    const removed = env.domains.filter(d => !domains.includes(d));
    const message = `Domains of ${envName}: ${
      domains.length ? domains.join(', ') : 'none'
    }${added.length ? `; added ${added.join(', ')}` : ''}${
      removed.length ? `; removed ${removed.join(', ')}` : ''
    }. ArgoCD is syncing ${env.argocdApplication}${
      domains.length
        ? '; cert-manager issues the certificate once the Ingress is applied'
        : ''
    }`;
    await this.deps.settings.recordEvent({
      entityRef: project.entityRef,
      environment: envName,
      action: 'settings.domains',
      message,
      actor,
    });
    return {
      message,
      environment: await this.environmentAfter(resolved, envName, { domains }),
    };
  }

  /**
   * Secret values are written to Vault first, as the next version of the environment's secret
   * (check-and-set on the version read); a secret given without a value keeps Vault's.
   */
  async setVariables(
    resolved: Resolved,
    envName: string,
    variables: Array<{ name: string; secret: boolean; value?: string }>,
    actor: string,
  ) {
    const { project, entity } = resolved;
    const env = deployableEnvironment(project, envName);
    await this.refuseWhileReleaseSyncs(project, envName);
    const path = environmentSecretsPath(project.entityRef, envName);
    const secrets = variables.filter(v => v.secret);
    const before =
      (await this.deps.settings.get(project.entityRef)).get(envName)
        ?.variables ?? [];
    const hadSecrets = before.some(v => v.secret);
    if (secrets.length || hadSecrets) {
      const vault = this.deps.clients.forEntity('vault', entity);
      const current = await vault.readSecret(path);
      const data: Record<string, string> = {};
      const missing: string[] = [];
      for (const v of secrets) {
        const value = v.value ?? current?.data[v.name];
        if (value === undefined) missing.push(v.name);
        else data[v.name] = value;
      }
      if (missing.length) {
        throw new InputError(
          `Vault holds no value for ${missing.join(
            ', ',
          )}: give the value of a secret variable the first time it is set`,
        );
      }
      await vault.writeSecret(path, data, {
        cas: current?.metadata.version ?? 0,
      });
    }
    const saved: EnvironmentVariableSetting[] = variables.map(v =>
      v.secret
        ? { name: v.name, secret: true }
        : { name: v.name, secret: false, value: v.value ?? '' },
    );
    await this.applyToApplication(
      resolved,
      env.argocdApplication,
      'variables',
      variableParameters(saved, path),
    );
    const names = (list: EnvironmentVariableSetting[]) =>
      new Set(list.map(v => v.name));
    const removed = [...names(before)].filter(n => !names(saved).has(n));
    const message = `Environment variables of ${envName}: ${
      saved.length
        ? saved.map(v => (v.secret ? `${v.name} (secret)` : v.name)).join(', ')
        : 'none'
    }${
      removed.length ? `; removed ${removed.join(', ')}` : ''
    }. ArgoCD is syncing ${env.argocdApplication}`;
    await this.deps.settings.save({
      entityRef: project.entityRef,
      environment: envName,
      variables: saved,
      event: { action: 'settings.variables', message, actor },
    });
    return {
      message,
      environment: await this.environmentAfter(resolved, envName),
    };
  }

  async setScaling(
    resolved: Resolved,
    envName: string,
    scaling: ScalingSettings,
    actor: string,
  ) {
    const { project } = resolved;
    const env = deployableEnvironment(project, envName);
    await this.refuseWhileReleaseSyncs(project, envName);
    await this.applyToApplication(
      resolved,
      env.argocdApplication,
      'scaling',
      scalingParameters(scaling),
    );
    const { autoscaling } = scaling;
    const message = `Scaling of ${envName}: ${scaling.replicas} replica${
      scaling.replicas === 1 ? '' : 's'
    }${
      autoscaling
        ? `, autoscaling ${autoscaling.minReplicas}–${autoscaling.maxReplicas} at ${autoscaling.targetCpuPercent}% CPU`
        : ', autoscaling off'
    }. ArgoCD is syncing ${env.argocdApplication}`;
    await this.deps.settings.save({
      entityRef: project.entityRef,
      environment: envName,
      scaling,
      event: { action: 'settings.scaling', message, actor },
    });
    return {
      message,
      environment: await this.environmentAfter(resolved, envName),
    };
  }
}
