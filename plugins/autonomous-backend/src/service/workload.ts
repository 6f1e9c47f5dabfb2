import { PodSummary } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  KubernetesClient,
  UpstreamClients,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { Readable } from 'node:stream';
import { deployableEnvironment } from './deployableEnvironment';
import { ProjectService } from './ProjectService';
import { UpstreamBindings } from './UpstreamBindings';

/** A pod as the Kubernetes client lists it. */
export type WorkloadPod = Awaited<
  ReturnType<KubernetesClient['listPods']>
>[number];

/**
 * The label the charts (and ArgoCD's own tracking) put on every object of an application:
 * the pods of an environment's workload are the pods carrying its ArgoCD application's name.
 */
export const WORKLOAD_INSTANCE_LABEL = 'app.kubernetes.io/instance';

/** The label selector of an environment's workload pods. */
export function workloadSelector(argocdApplication: string): string {
  return `${WORKLOAD_INSTANCE_LABEL}=${argocdApplication}`;
}

function toIso(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  // A Date in process; a string when the pod list came through a shared (JSON) cache.
  const date = new Date(value as string | Date);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** What the Runtime tab shows of one pod. */
export function podSummary(pod: WorkloadPod): PodSummary {
  const specContainers = pod.spec?.containers ?? [];
  const statuses = pod.status?.containerStatuses ?? [];
  const restarts = statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready:
      pod.status?.conditions?.some(
        c => c.type === 'Ready' && c.status === 'True',
      ) ?? false,
    restarts,
    containers: specContainers.map(c => c.name),
    // What the cluster runs (resolved by the kubelet) when it says, else what was asked for.
    images: specContainers.map(
      c => statuses.find(s => s.name === c.name)?.image || c.image || '',
    ),
    startedAt: toIso(pod.status?.startTime),
    hasPreviousLogs: statuses.some(
      s => (s.restartCount ?? 0) > 0 || Boolean(s.lastState?.terminated),
    ),
  };
}

/** Pods sorted by name, so the list does not jump around between polls. */
export function podSummaries(pods: WorkloadPod[]): PodSummary[] {
  return pods
    .map(podSummary)
    .filter(p => p.name)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The container a log request means: the one asked for, else the pod's default container
 * (the `kubectl.kubernetes.io/default-container` annotation, as kubectl reads it), else the
 * first one.
 */
export function pickContainer(
  pod: WorkloadPod,
  requested: string | undefined,
): { ok: true; container: string } | { ok: false; reason: string } {
  const names = (pod.spec?.containers ?? []).map(c => c.name);
  const podName = pod.metadata?.name ?? '';
  if (requested !== undefined) {
    if (names.includes(requested)) return { ok: true, container: requested };
    return {
      ok: false,
      reason: `container: pod ${podName} has no container "${requested}"; choose one of ${names.join(
        ', ',
      )}`,
    };
  }
  const annotated =
    pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && names.includes(annotated)) {
    return { ok: true, container: annotated };
  }
  if (names.length === 0) {
    return { ok: false, reason: `pod ${podName} has no containers` };
  }
  return { ok: true, container: names[0] };
}

/** Whether a container restarted, so the log of its previous instance exists. */
export function hasPreviousInstance(
  pod: WorkloadPod,
  container: string,
): boolean {
  const status = pod.status?.containerStatuses?.find(s => s.name === container);
  return (
    (status?.restartCount ?? 0) > 0 || Boolean(status?.lastState?.terminated)
  );
}

/** A file name safe in a Content-Disposition header: `shop/web` #12 → `shop-web-12.log`. */
export function logFileName(...parts: Array<string | number>): string {
  const base = parts
    .map(p => String(p))
    .join('-')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return `${base || 'log'}.log`;
}

export interface PodLogRequest {
  container?: string;
  previous: boolean;
  follow: boolean;
  tailLines?: number;
}

/** A pod log: the text so far, or a stream that follows it. */
export type PodLog = { fileName: string } & (
  | { text: string; stream?: undefined }
  | { stream: Readable; text?: undefined }
);

/** The pods of one environment of a project, as the label selector finds them. */
export interface Workload {
  entity: Entity;
  entityRef: string;
  environment: string;
  namespace: string;
  selector: string;
}

/** Finds environments' workloads and their pods; Kubernetes errors pass through as they are. */
export class EnvironmentWorkloads {
  constructor(
    private readonly deps: {
      projects: Pick<ProjectService, 'resolve'>;
      clients: UpstreamClients;
      freshClients: UpstreamClients;
      /** Which upstream objects an entity may act on; default: only those that claim it. */
      bindings?: UpstreamBindings;
    },
  ) {}

  async resolve(entityRef: string, environmentName: string): Promise<Workload> {
    const { project, entity } = await this.deps.projects.resolve(entityRef);
    const environment = deployableEnvironment(project, environmentName);
    // The namespace is the bound application's destination, never one derived from names.
    const app = await (
      this.deps.bindings ?? new UpstreamBindings()
    ).boundApplication(
      this.deps.clients,
      entity,
      environment.argocdApplication,
    );
    const namespace = app.spec.destination?.namespace;
    if (!namespace) {
      throw new InputError(
        `ArgoCD application ${environment.argocdApplication} names no destination namespace; its pods cannot be found`,
      );
    }
    return {
      entity,
      entityRef,
      environment: environment.name,
      namespace,
      selector: workloadSelector(environment.argocdApplication),
    };
  }

  /** The workload's pods, through the shared read cache or (`live`) past it. */
  pods(workload: Workload, read: 'cached' | 'live'): Promise<WorkloadPod[]> {
    const clients =
      read === 'cached' ? this.deps.clients : this.deps.freshClients;
    return clients
      .forEntity('kubernetes', workload.entity)
      .listPods(workload.namespace, workload.selector);
  }

  /**
   * The named pod, only when it belongs to the workload: a caller never reads an arbitrary
   * pod by name. The cached list may say yes; only the live list may say no (the pod may
   * have started since the list was cached).
   */
  async pod(
    workload: Workload,
    podName: string,
    read: 'cached' | 'live' = 'cached',
  ): Promise<WorkloadPod> {
    const find = (pods: WorkloadPod[]) =>
      pods.find(p => p.metadata?.name === podName);
    const pod =
      (read === 'cached' && find(await this.pods(workload, 'cached'))) ||
      find(await this.pods(workload, 'live'));
    if (!pod) {
      throw new NotFoundError(
        `pod ${podName} is not one of the pods of environment ${workload.environment} of ${workload.entityRef} (pods labelled ${workload.selector} in namespace ${workload.namespace}); list the environment's pods to find its name`,
      );
    }
    return pod;
  }

  /** A workload pod's log: checks the pod, container and previous instance first. */
  async openLog(
    workload: Workload,
    podName: string,
    request: PodLogRequest,
    signal: AbortSignal,
  ): Promise<PodLog> {
    let pod = await this.pod(workload, podName);
    const picked = pickContainer(pod, request.container);
    if (!picked.ok) throw new InputError(picked.reason);
    const container = picked.container;
    if (request.previous && !hasPreviousInstance(pod, container)) {
      // The cached list may predate a restart: only the live pod may say no.
      pod = await this.pod(workload, podName, 'live');
      if (!hasPreviousInstance(pod, container)) {
        throw new InputError(
          `previous: container ${container} of pod ${podName} never restarted, so there are no previous logs; leave out previous=true to read its current log`,
        );
      }
    }
    const fileName = logFileName(
      podName,
      container,
      ...(request.previous ? ['previous'] : []),
    );
    const options = {
      container,
      previous: request.previous,
      tailLines: request.tailLines,
    };
    // A previous instance has ended: nothing more will come, so it is answered whole.
    if (request.follow && !request.previous) {
      const stream = await this.deps.freshClients
        .forEntity('kubernetes', workload.entity)
        .followPodLogs(workload.namespace, podName, { ...options, signal });
      return { fileName, stream };
    }
    const text = await this.deps.clients
      .forEntity('kubernetes', workload.entity)
      .getPodLogs(workload.namespace, podName, options);
    return { fileName, text };
  }
}
