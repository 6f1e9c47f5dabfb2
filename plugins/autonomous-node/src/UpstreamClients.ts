import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { ReadCache } from './cache/ReadCache';
import { UpstreamClientOptions } from './clientOptions';
import {
  UpstreamInstanceConfigs,
  UpstreamInstances,
  UpstreamSettings,
  readUpstreamSettings,
} from './config';
import { UpstreamSystem } from './errors';
import { FetchFunction } from './http';
import { ArgoCdClient } from './argocd/ArgoCdClient';
import { HarborClient } from './harbor/HarborClient';
import { JenkinsClient } from './jenkins/JenkinsClient';
import { KubernetesClient } from './kubernetes/KubernetesClient';
import { LokiClient } from './loki/LokiClient';
import { PrometheusClient } from './prometheus/PrometheusClient';
import { VaultClient } from './vault/VaultClient';

/** @public */
export interface UpstreamClientsMap {
  jenkins: JenkinsClient;
  harbor: HarborClient;
  argocd: ArgoCdClient;
  vault: VaultClient;
  kubernetes: KubernetesClient;
  prometheus: PrometheusClient;
  loki: LokiClient;
}

const FACTORIES: {
  [S in UpstreamSystem]: (
    instance: UpstreamInstanceConfigs[S],
    options: UpstreamClientOptions,
  ) => UpstreamClientsMap[S];
} = {
  jenkins: (i, o) => new JenkinsClient(i, o),
  harbor: (i, o) => new HarborClient(i, o),
  argocd: (i, o) => new ArgoCdClient(i, o),
  vault: (i, o) => new VaultClient(i, o),
  kubernetes: (i, o) => new KubernetesClient(i, o),
  prometheus: (i, o) => new PrometheusClient(i, o),
  loki: (i, o) => new LokiClient(i, o),
};

/** @public */
export interface UpstreamClientsOptions {
  /** Backstage's cache, to share reads across replicas; an in-process map without it. */
  cache?: CacheService;
  logger?: LoggerService;
  fetch?: FetchFunction;
  /**
   * `false`: no read cache at all, every read goes upstream. For callers that act on what
   * they read (the release orchestrator) and must see fresh state. Default `true`.
   */
  readCache?: boolean;
}

/**
 * Every configured upstream instance behind one shared read cache (unless `readCache: false`);
 * one client per instance, made on first use and reused, so sessions and connection pools are
 * shared too.
 *
 * @public
 */
export class UpstreamClients {
  static fromConfig(
    config: Config,
    options: UpstreamClientsOptions = {},
  ): UpstreamClients {
    return new UpstreamClients(config, readUpstreamSettings(config), options);
  }

  /** The shared read cache; undefined when made with `readCache: false`. */
  readonly readCache?: ReadCache;
  private readonly clients = new Map<string, unknown>();
  private readonly instances = new Map<
    UpstreamSystem,
    UpstreamInstances<any>
  >();

  private constructor(
    private readonly config: Config,
    readonly settings: UpstreamSettings,
    private readonly options: UpstreamClientsOptions,
  ) {
    if (options.readCache !== false) {
      this.readCache = new ReadCache({
        ttlSeconds: settings.cacheTtlSeconds,
        cacheService: options.cache,
      });
    }
  }

  /** The configured instances of a system. */
  instancesOf<S extends UpstreamSystem>(system: S): UpstreamInstances<S> {
    let instances = this.instances.get(system);
    if (!instances) {
      instances = UpstreamInstances.fromConfig(this.config, system);
      this.instances.set(system, instances);
    }
    return instances as UpstreamInstances<S>;
  }

  /** The client of a named instance, or of the default (first) one. */
  get<S extends UpstreamSystem>(
    system: S,
    instanceName?: string,
  ): UpstreamClientsMap[S] {
    const instance = this.instancesOf(system).get(instanceName);
    return this.clientFor(system, instance);
  }

  /** The client of the instance an entity picks with `autonomous.dev/<system>-instance`. */
  forEntity<S extends UpstreamSystem>(
    system: S,
    entity: Entity,
  ): UpstreamClientsMap[S] {
    return this.clientFor(system, this.instancesOf(system).forEntity(entity));
  }

  private clientFor<S extends UpstreamSystem>(
    system: S,
    instance: UpstreamInstanceConfigs[S],
  ): UpstreamClientsMap[S] {
    const key = `${system}:${instance.name}`;
    let client = this.clients.get(key) as UpstreamClientsMap[S] | undefined;
    if (!client) {
      client = FACTORIES[system](instance, {
        cache: this.readCache,
        logger: this.options.logger,
        fetch: this.options.fetch,
        timeoutMs: this.settings.timeoutMs,
        retries: this.settings.retries,
      });
      this.clients.set(key, client);
    }
    return client;
  }
}
