import { Readable } from 'node:stream';
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CoreV1Event,
  CustomObjectsApi,
  NetworkingV1Api,
  V1CronJob,
  V1Deployment,
  V1Endpoints,
  V1Ingress,
  V1Job,
  V1Namespace,
  V1PersistentVolumeClaim,
  V1Pod,
  V1Secret,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { KubernetesInstanceConfig } from '../config';
import {
  UpstreamClientOptions,
  cachedRead,
  httpOptions,
} from '../clientOptions';
import { UpstreamError, reasonFromBody, scrubSecrets } from '../errors';
import { callWithRetries, joinUrl } from '../http';
import { readCacheKey } from '../cache/ReadCache';
import { KubernetesTransport, kubeConfigFor } from './transport';
import { rolloutStatus } from './rollout';
import { RolloutsClient } from './RolloutsClient';
import { jobStatus } from './jobs';
import { toKubernetesError } from './errors';
import {
  KubernetesCertificate,
  KubernetesJobStatus,
  KubernetesPodLogOptions,
  KubernetesRolloutStatus,
  KubernetesWorkloadStatus,
} from './types';
import { encodePathSegment } from '../pathSegment';

/**
 * One Kubernetes cluster through @kubernetes/client-node: the objects an Autonomous project
 * and its databases are made of, their status, events and logs.
 *
 * @public
 */
export class KubernetesClient {
  private readonly transport: KubernetesTransport;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly batch: BatchV1Api;
  private readonly networking: NetworkingV1Api;
  private readonly custom: CustomObjectsApi;
  /** Argo Rollouts' Rollouts on this cluster, through the same connection pool. */
  readonly rollouts: RolloutsClient;

  constructor(
    private readonly instance: KubernetesInstanceConfig,
    private readonly options: UpstreamClientOptions = {},
  ) {
    this.transport = new KubernetesTransport(
      instance,
      kubeConfigFor(instance),
      httpOptions(options).timeoutMs,
      options.fetch,
    );
    const configuration = this.transport.configuration();
    this.core = new CoreV1Api(configuration);
    this.apps = new AppsV1Api(configuration);
    this.batch = new BatchV1Api(configuration);
    this.networking = new NetworkingV1Api(configuration);
    this.custom = new CustomObjectsApi(configuration);
    this.rollouts = new RolloutsClient(instance, options, this.transport);
  }

  get instanceName(): string {
    return this.instance.name;
  }

  /** Closes the connection pool. */
  close(): Promise<void> {
    return this.transport.close();
  }

  private toError(operation: string, error: unknown): UpstreamError {
    return toKubernetesError(operation, error, {
      secrets: [this.instance.token],
      timeoutMs: httpOptions(this.options).timeoutMs,
    });
  }

  private call<T>(
    operation: string,
    idempotent: boolean,
    fn: () => Promise<T>,
  ): Promise<T> {
    return callWithRetries(
      async () => {
        try {
          return await fn();
        } catch (error) {
          throw this.toError(operation, error);
        }
      },
      { ...httpOptions(this.options), idempotent },
    );
  }

  private read<T>(
    object: string,
    operation: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    return cachedRead(
      this.options.cache,
      readCacheKey('kubernetes', this.instance.name, object, 'get'),
      () => this.call(operation, true, fn),
    );
  }

  private async invalidate(object: string) {
    await this.options.cache?.invalidate(
      readCacheKey('kubernetes', this.instance.name, object, ''),
    );
  }

  private async notFoundAsUndefined<T>(p: Promise<T>): Promise<T | undefined> {
    try {
      return await p;
    } catch (error) {
      if ((error as UpstreamError).status === 404) return undefined;
      throw error;
    }
  }

  // Namespaces and secrets

  /** Creates the namespace unless it exists. */
  async ensureNamespace(
    name: string,
    labels?: Record<string, string>,
  ): Promise<V1Namespace> {
    const existing = await this.notFoundAsUndefined(
      this.call(`read of namespace "${name}"`, true, () =>
        this.core.readNamespace({ name }),
      ),
    );
    if (existing) return existing;
    try {
      return await this.call(`creation of namespace "${name}"`, false, () =>
        this.core.createNamespace({ body: { metadata: { name, labels } } }),
      );
    } catch (error) {
      if ((error as UpstreamError).status !== 409) throw error;
      return this.core.readNamespace({ name });
    }
  }

  /** Creates the secret, or replaces its data when it exists. */
  async applySecret(
    namespace: string,
    name: string,
    stringData: Record<string, string>,
    options: { type?: string; labels?: Record<string, string> } = {},
  ): Promise<void> {
    const body: V1Secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace, labels: options.labels },
      type: options.type ?? 'Opaque',
      stringData,
    };
    const what = `secret "${namespace}/${name}"`;
    try {
      await this.call(`creation of ${what}`, false, () =>
        this.core.createNamespacedSecret({ namespace, body }),
      );
    } catch (error) {
      if ((error as UpstreamError).status !== 409) throw error;
      await this.call(`replacement of ${what}`, true, () =>
        this.core.replaceNamespacedSecret({ name, namespace, body }),
      );
    }
  }

  /** The namespace, or undefined when there is none. */
  async getNamespace(name: string): Promise<V1Namespace | undefined> {
    return this.notFoundAsUndefined(
      this.call(`read of namespace "${name}"`, true, () =>
        this.core.readNamespace({ name }),
      ),
    );
  }

  /** Deletes the namespace and everything in it. Missing is not an error. */
  async deleteNamespace(name: string): Promise<void> {
    await this.notFoundAsUndefined(
      this.call(`deletion of namespace "${name}"`, true, () =>
        this.core.deleteNamespace({ name, propagationPolicy: 'Background' }),
      ),
    );
  }

  /** Deletes the secret. Missing is not an error. */
  async deleteSecret(namespace: string, name: string): Promise<void> {
    await this.notFoundAsUndefined(
      this.call(`deletion of secret "${namespace}/${name}"`, true, () =>
        this.core.deleteNamespacedSecret({ name, namespace }),
      ),
    );
  }

  // Workloads

  async getDeployment(namespace: string, name: string): Promise<V1Deployment> {
    return this.read(
      `deployment/${namespace}/${name}`,
      `read of deployment "${namespace}/${name}"`,
      () => this.apps.readNamespacedDeployment({ name, namespace }),
    );
  }

  /** observedGeneration, updated/ready/available replicas and the live image digests. */
  async getRolloutStatus(
    namespace: string,
    name: string,
  ): Promise<KubernetesRolloutStatus> {
    const deployment = await this.getDeployment(namespace, name);
    const labels = deployment.spec?.selector?.matchLabels ?? {};
    const pods = Object.keys(labels).length
      ? await this.listPods(namespace, labelSelector(labels))
      : [];
    return rolloutStatus(deployment, pods);
  }

  async getStatefulSet(
    namespace: string,
    name: string,
  ): Promise<V1StatefulSet> {
    return this.read(
      `statefulset/${namespace}/${name}`,
      `read of statefulset "${namespace}/${name}"`,
      () => this.apps.readNamespacedStatefulSet({ name, namespace }),
    );
  }

  async getStatefulSetStatus(
    namespace: string,
    name: string,
  ): Promise<KubernetesWorkloadStatus> {
    const set = await this.getStatefulSet(namespace, name);
    const desired = set.spec?.replicas ?? 1;
    const ready = set.status?.readyReplicas ?? 0;
    return {
      kind: 'StatefulSet',
      name,
      namespace,
      desiredReplicas: desired,
      readyReplicas: ready,
      currentRevision: set.status?.currentRevision,
      updateRevision: set.status?.updateRevision,
      ready:
        ready >= desired &&
        (set.status?.observedGeneration ?? 0) >=
          (set.metadata?.generation ?? 0),
    };
  }

  async getPersistentVolumeClaim(
    namespace: string,
    name: string,
  ): Promise<V1PersistentVolumeClaim> {
    return this.read(
      `pvc/${namespace}/${name}`,
      `read of persistent volume claim "${namespace}/${name}"`,
      () => this.core.readNamespacedPersistentVolumeClaim({ name, namespace }),
    );
  }

  async getService(namespace: string, name: string): Promise<V1Service> {
    return this.read(
      `service/${namespace}/${name}`,
      `read of service "${namespace}/${name}"`,
      () => this.core.readNamespacedService({ name, namespace }),
    );
  }

  async getEndpoints(namespace: string, name: string): Promise<V1Endpoints> {
    return this.read(
      `endpoints/${namespace}/${name}`,
      `read of the endpoints of service "${namespace}/${name}"`,
      () => this.core.readNamespacedEndpoints({ name, namespace }),
    );
  }

  /** How many ready addresses a service has. */
  async countReadyEndpoints(namespace: string, name: string): Promise<number> {
    const endpoints = await this.notFoundAsUndefined(
      this.getEndpoints(namespace, name),
    );
    return (endpoints?.subsets ?? []).reduce(
      (n, s) => n + (s.addresses?.length ?? 0),
      0,
    );
  }

  // Pods and logs

  async listPods(namespace: string, selector?: string): Promise<V1Pod[]> {
    return this.read(
      `pods/${namespace}/${selector ?? ''}`,
      `listing of pods in "${namespace}"${
        selector ? ` matching ${selector}` : ''
      }`,
      async () =>
        (
          await this.core.listNamespacedPod({
            namespace,
            labelSelector: selector,
          })
        ).items,
    );
  }

  /** The log of a pod's container so far. */
  async getPodLogs(
    namespace: string,
    pod: string,
    options: KubernetesPodLogOptions = {},
  ): Promise<string> {
    return this.call(`read of the log of pod "${namespace}/${pod}"`, true, () =>
      this.core.readNamespacedPodLog({
        name: pod,
        namespace,
        container: options.container,
        previous: options.previous,
        tailLines: options.tailLines,
        sinceSeconds: options.sinceSeconds,
        timestamps: options.timestamps,
      }),
    );
  }

  /** Follows a pod's log as a stream of text; destroy the stream (or abort) to stop. */
  async followPodLogs(
    namespace: string,
    pod: string,
    options: KubernetesPodLogOptions & { signal?: AbortSignal } = {},
  ): Promise<Readable> {
    const operation = `following the log of pod "${namespace}/${pod}"`;
    const url = joinUrl(
      this.instance.url,
      `/api/v1/namespaces/${encodePathSegment(
        namespace,
        'the namespace',
      )}/pods/${encodePathSegment(pod, 'the pod name')}/log`,
      {
        follow: true,
        container: options.container,
        previous: options.previous,
        tailLines: options.tailLines,
        sinceSeconds: options.sinceSeconds,
        timestamps: options.timestamps,
      },
    );
    const controller = new AbortController();
    options.signal?.addEventListener('abort', () => controller.abort());
    let response: Response;
    try {
      response = await this.transport.stream(url, controller.signal);
    } catch (error) {
      throw this.toError(operation, error);
    }
    if (response.status !== 200 || !response.body) {
      throw new UpstreamError({
        system: 'kubernetes',
        operation,
        status: response.status,
        reason: scrubSecrets(
          reasonFromBody(await response.text(), 'no log stream'),
          [this.instance.token],
        ),
      });
    }
    const stream = Readable.fromWeb(response.body as any, { encoding: 'utf8' });
    stream.on('close', () => controller.abort());
    return stream;
  }

  /** Events about one object, oldest first. */
  async listEvents(
    namespace: string,
    involved: { kind: string; name: string },
  ): Promise<CoreV1Event[]> {
    const fieldSelector = `involvedObject.kind=${involved.kind},involvedObject.name=${involved.name}`;
    const events = await this.read(
      `events/${namespace}/${involved.kind}/${involved.name}`,
      `listing of events of ${involved.kind} "${namespace}/${involved.name}"`,
      async () =>
        (
          await this.core.listNamespacedEvent({ namespace, fieldSelector })
        ).items,
    );
    const time = (e: CoreV1Event) =>
      new Date(
        (e.lastTimestamp ??
          e.eventTime ??
          e.metadata?.creationTimestamp ??
          0) as any,
      ).getTime();
    return [...events].sort((a, b) => time(a) - time(b));
  }

  // Jobs

  async createJob(namespace: string, job: V1Job): Promise<V1Job> {
    const name = job.metadata?.name ?? job.metadata?.generateName ?? 'job';
    const created = await this.call(
      `creation of job "${namespace}/${name}"`,
      false,
      () => this.batch.createNamespacedJob({ namespace, body: job }),
    );
    await this.invalidate(`job/${namespace}/${created.metadata?.name ?? name}`);
    return created;
  }

  async getJobStatus(
    namespace: string,
    name: string,
  ): Promise<KubernetesJobStatus> {
    const job = await this.read(
      `job/${namespace}/${name}`,
      `read of job "${namespace}/${name}"`,
      () => this.batch.readNamespacedJob({ name, namespace }),
    );
    return jobStatus(namespace, name, job);
  }

  /** The log of the newest pod of a job. */
  async getJobLogs(
    namespace: string,
    name: string,
    options: KubernetesPodLogOptions = {},
  ): Promise<string> {
    const pods = await this.listPods(namespace, `job-name=${name}`);
    const newest = [...pods].sort(
      (a, b) =>
        new Date((b.metadata?.creationTimestamp ?? 0) as any).getTime() -
        new Date((a.metadata?.creationTimestamp ?? 0) as any).getTime(),
    )[0];
    if (!newest?.metadata?.name) return '';
    return this.getPodLogs(namespace, newest.metadata.name, options);
  }

  async deleteJob(namespace: string, name: string): Promise<void> {
    await this.notFoundAsUndefined(
      this.call(`deletion of job "${namespace}/${name}"`, true, () =>
        this.batch.deleteNamespacedJob({
          name,
          namespace,
          propagationPolicy: 'Background',
        }),
      ),
    );
    await this.invalidate(`job/${namespace}/${name}`);
  }

  /** Creates the Job unless one of that name exists, which is returned instead (a resumed caller). */
  async ensureJob(namespace: string, job: V1Job): Promise<V1Job> {
    const name = job.metadata?.name ?? '';
    try {
      return await this.createJob(namespace, job);
    } catch (error) {
      if ((error as UpstreamError).status !== 409) throw error;
      return this.call(`read of job "${namespace}/${name}"`, true, () =>
        this.batch.readNamespacedJob({ name, namespace }),
      );
    }
  }

  /** Jobs matching a label selector, uncached: a watcher must see new ones. */
  async listJobs(namespace: string, selector: string): Promise<V1Job[]> {
    return this.call(
      `listing of jobs in "${namespace}" matching ${selector}`,
      true,
      async () =>
        (
          await this.batch.listNamespacedJob({
            namespace,
            labelSelector: selector,
          })
        ).items,
    );
  }

  // CronJobs

  /** Creates the CronJob, or replaces its spec (keeping its resourceVersion) when it exists. */
  async createOrReplaceCronJob(
    namespace: string,
    cronJob: V1CronJob,
  ): Promise<V1CronJob> {
    const name = cronJob.metadata?.name ?? '';
    const what = `cronjob "${namespace}/${name}"`;
    try {
      return await this.call(`creation of ${what}`, false, () =>
        this.batch.createNamespacedCronJob({ namespace, body: cronJob }),
      );
    } catch (error) {
      if ((error as UpstreamError).status !== 409) throw error;
    }
    const existing = await this.call(`read of ${what}`, true, () =>
      this.batch.readNamespacedCronJob({ name, namespace }),
    );
    return this.call(`replacement of ${what}`, true, () =>
      this.batch.replaceNamespacedCronJob({
        name,
        namespace,
        body: {
          ...cronJob,
          metadata: {
            ...cronJob.metadata,
            resourceVersion: existing.metadata?.resourceVersion,
          },
        },
      }),
    );
  }

  /** Undefined when there is no such CronJob. Uncached: its status moves with each run. */
  async getCronJob(
    namespace: string,
    name: string,
  ): Promise<V1CronJob | undefined> {
    return this.notFoundAsUndefined(
      this.call(`read of cronjob "${namespace}/${name}"`, true, () =>
        this.batch.readNamespacedCronJob({ name, namespace }),
      ),
    );
  }

  /** Deletes the CronJob; its finished Jobs go with it. Missing is not an error. */
  async deleteCronJob(namespace: string, name: string): Promise<void> {
    await this.notFoundAsUndefined(
      this.call(`deletion of cronjob "${namespace}/${name}"`, true, () =>
        this.batch.deleteNamespacedCronJob({
          name,
          namespace,
          propagationPolicy: 'Background',
        }),
      ),
    );
  }

  // Ingresses

  async getIngress(namespace: string, name: string): Promise<V1Ingress> {
    return this.read(
      `ingress/${namespace}/${name}`,
      `read of ingress "${namespace}/${name}"`,
      () => this.networking.readNamespacedIngress({ name, namespace }),
    );
  }

  async listIngresses(namespace: string): Promise<V1Ingress[]> {
    return this.read(
      `ingresses/${namespace}`,
      `listing of ingresses in "${namespace}"`,
      async () =>
        (await this.networking.listNamespacedIngress({ namespace })).items,
    );
  }
  // cert-manager

  /**
   * A cert-manager Certificate, or undefined when there is none (cert-manager's ingress-shim
   * creates one per TLS entry of an annotated Ingress, named after the entry's secretName).
   */
  async getCertificate(
    namespace: string,
    name: string,
  ): Promise<KubernetesCertificate | undefined> {
    return this.notFoundAsUndefined(
      this.read(
        `certificate/${namespace}/${name}`,
        `read of certificate "${namespace}/${name}"`,
        async () =>
          (await this.custom.getNamespacedCustomObject({
            group: 'cert-manager.io',
            version: 'v1',
            namespace,
            plural: 'certificates',
            name,
          })) as KubernetesCertificate,
      ),
    );
  }
}

function labelSelector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
