import { Config } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { AUTONOMOUS_ANNOTATIONS } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamError, UpstreamSystem } from './errors';

/** @public */
export interface JenkinsInstanceConfig {
  name: string;
  url: string;
  username?: string;
  apiToken?: string;
}

/** @public */
export interface HarborInstanceConfig {
  name: string;
  url: string;
  username?: string;
  password?: string;
  /**
   * The host (with port, if any) images are pulled by, e.g. `harbor.example.com`. Default:
   * the host of `url`.
   */
  registryHost?: string;
}

/**
 * The registry host of a Harbor instance: the configured one, checked to be a bare host,
 * or the host (with port) of its URL.
 *
 * @public
 */
export function harborRegistryHost(instance: {
  name: string;
  url: string;
  registryHost?: string;
}): string {
  const configured = instance.registryHost?.trim();
  if (configured === undefined || configured === '') {
    return new URL(instance.url).host;
  }
  const host =
    /^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;
  if (!host.test(configured)) {
    throw new Error(
      `Harbor instance "${instance.name}" has registryHost "${configured}": give only the host name images are pulled by, with an optional port (e.g. harbor.example.com or harbor.example.com:5000), without a scheme or path`,
    );
  }
  return configured;
}

/** @public */
export interface ArgoCdInstanceConfig {
  name: string;
  url: string;
  token?: string;
}

/** @public */
export interface VaultInstanceConfig {
  name: string;
  url: string;
  token?: string;
  kubernetesRole?: string;
  kubernetesMountPath: string;
  serviceAccountTokenPath: string;
  kvMount: string;
}

/** @public */
export interface KubernetesInstanceConfig {
  name: string;
  url: string;
  token?: string;
  caData?: string;
  skipTLSVerify?: boolean;
}

/** @public */
export interface PrometheusInstanceConfig {
  name: string;
  url: string;
  token?: string;
}

/** @public */
export interface LokiInstanceConfig {
  name: string;
  url: string;
  token?: string;
  orgId?: string;
}

/** @public */
export interface UpstreamInstanceConfigs {
  jenkins: JenkinsInstanceConfig;
  harbor: HarborInstanceConfig;
  argocd: ArgoCdInstanceConfig;
  vault: VaultInstanceConfig;
  kubernetes: KubernetesInstanceConfig;
  prometheus: PrometheusInstanceConfig;
  loki: LokiInstanceConfig;
}

/** Settings shared by all upstream clients (`autonomous.upstreams`). @public */
export interface UpstreamSettings {
  timeoutMs: number;
  retries: number;
  cacheTtlSeconds: number;
}

/** @public */
export const DEFAULT_UPSTREAM_SETTINGS: UpstreamSettings = {
  timeoutMs: 10_000,
  retries: 2,
  // One upstream read per object per 10 s, the pages' poll interval: at most 6 ArgoCD calls per
  // application per minute however many people look (bench/upstream-fanout). Writes invalidate.
  cacheTtlSeconds: 10,
};

/** @public */
export function readUpstreamSettings(config: Config): UpstreamSettings {
  const c = config.getOptionalConfig('autonomous.upstreams');
  return {
    timeoutMs:
      c?.getOptionalNumber('timeoutMs') ?? DEFAULT_UPSTREAM_SETTINGS.timeoutMs,
    retries:
      c?.getOptionalNumber('retries') ?? DEFAULT_UPSTREAM_SETTINGS.retries,
    cacheTtlSeconds:
      c?.getOptionalNumber('cacheTtlSeconds') ??
      DEFAULT_UPSTREAM_SETTINGS.cacheTtlSeconds,
  };
}

/** The entity annotation that picks an instance of a system: `autonomous.dev/<system>-instance`. @public */
export function instanceAnnotation(system: UpstreamSystem): string {
  const known: Partial<Record<UpstreamSystem, string>> = {
    argocd: AUTONOMOUS_ANNOTATIONS.argocdInstance,
    jenkins: AUTONOMOUS_ANNOTATIONS.jenkinsInstance,
    harbor: AUTONOMOUS_ANNOTATIONS.harborInstance,
    vault: AUTONOMOUS_ANNOTATIONS.vaultInstance,
    kubernetes: AUTONOMOUS_ANNOTATIONS.kubernetesInstance,
  };
  return known[system] ?? `autonomous.dev/${system}-instance`;
}

type Reader<S extends UpstreamSystem> = (
  c: Config,
  name: string,
  url: string,
) => UpstreamInstanceConfigs[S];

const READERS: { [S in UpstreamSystem]: Reader<S> } = {
  jenkins: (c, name, url) => ({
    name,
    url,
    username: c.getOptionalString('username'),
    apiToken: c.getOptionalString('apiToken'),
  }),
  harbor: (c, name, url) => ({
    name,
    url,
    username: c.getOptionalString('username'),
    password: c.getOptionalString('password'),
    registryHost: harborRegistryHost({
      name,
      url,
      registryHost: c.getOptionalString('registryHost'),
    }),
  }),
  argocd: (c, name, url) => ({
    name,
    url,
    token: c.getOptionalString('token'),
  }),
  vault: (c, name, url) => {
    const token = c.getOptionalString('token');
    const kubernetesRole = c.getOptionalString('kubernetesRole');
    if (!token && !kubernetesRole) {
      throw new Error(
        `Vault instance "${name}" needs either token or kubernetesRole in autonomous.vault.instances`,
      );
    }
    return {
      name,
      url,
      token,
      kubernetesRole,
      kubernetesMountPath:
        c.getOptionalString('kubernetesMountPath') ?? 'kubernetes',
      serviceAccountTokenPath:
        c.getOptionalString('serviceAccountTokenPath') ??
        '/var/run/secrets/kubernetes.io/serviceaccount/token',
      kvMount: c.getOptionalString('kvMount') ?? 'secret',
    };
  },
  kubernetes: (c, name, url) => ({
    name,
    url,
    token: c.getOptionalString('token'),
    caData: c.getOptionalString('caData'),
    skipTLSVerify: c.getOptionalBoolean('skipTLSVerify'),
  }),
  prometheus: (c, name, url) => ({
    name,
    url,
    token: c.getOptionalString('token'),
  }),
  loki: (c, name, url) => ({
    name,
    url,
    token: c.getOptionalString('token'),
    orgId: c.getOptionalString('orgId'),
  }),
};

/**
 * The configured instances of one system, in configuration order; the first is the default.
 *
 * @public
 */
export class UpstreamInstances<S extends UpstreamSystem> {
  static fromConfig<S extends UpstreamSystem>(
    config: Config,
    system: S,
  ): UpstreamInstances<S> {
    const list = (
      config.getOptionalConfigArray(`autonomous.${system}.instances`) ?? []
    ).map(c => {
      const name = c.getString('name');
      const url = c.getString('url');
      return (READERS[system] as Reader<S>)(c, name, url);
    });
    const names = new Set<string>();
    for (const instance of list) {
      if (names.has(instance.name)) {
        throw new Error(
          `autonomous.${system}.instances names "${instance.name}" twice; names must be unique`,
        );
      }
      names.add(instance.name);
    }
    return new UpstreamInstances(system, list);
  }

  constructor(
    readonly system: S,
    private readonly instances: ReadonlyArray<UpstreamInstanceConfigs[S]>,
  ) {}

  list(): ReadonlyArray<UpstreamInstanceConfigs[S]> {
    return this.instances;
  }

  /** The instance with this name, or the first one when no name is given. */
  get(name?: string): UpstreamInstanceConfigs[S] {
    // Configuration, not a passing failure: nothing retries it.
    if (this.instances.length === 0) {
      throw new UpstreamError({
        system: this.system,
        operation: 'choice of an instance',
        reason: `no ${this.system} instance is configured; add one under autonomous.${this.system}.instances`,
        retryable: false,
      });
    }
    if (!name) return this.instances[0];
    const found = this.instances.find(i => i.name === name);
    if (!found) {
      throw new UpstreamError({
        system: this.system,
        operation: 'choice of an instance',
        reason: `no ${
          this.system
        } instance is named "${name}"; configured: ${this.instances
          .map(i => i.name)
          .join(', ')}`,
        retryable: false,
      });
    }
    return found;
  }

  /** The instance an entity picks with `autonomous.dev/<system>-instance`, else the default. */
  forEntity(entity: Entity): UpstreamInstanceConfigs[S] {
    return this.get(
      entity.metadata.annotations?.[instanceAnnotation(this.system)],
    );
  }
}
