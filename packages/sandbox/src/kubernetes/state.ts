import type { SandboxContext } from '../context.ts';
import { CronJobController } from './cronJobs.ts';
import { DeploymentController } from './deployments.ts';
import { EndpointsController } from './endpoints.ts';
import { resolveContainerEnv } from './env.ts';
import type { ResolvedEnv } from './env.ts';
import { recordEvent } from './events.ts';
import { JobController } from './jobs.ts';
import { podLogLines } from './logs.ts';
import type { LogLine } from './logs.ts';
import { podReady, podsOf } from './owners.ts';
import { PodRuntimes } from './pods.ts';
import { RolloutController } from '../rollouts/controller.ts';
import type { JobWork } from './pods.ts';
import { StatefulSetController } from './statefulSets.ts';
import { KubeStore } from './store.ts';
import type { ResourceType } from './types.ts';

/**
 * A Kubernetes cluster: the API server's objects (`store.ts`), the controllers that act on them
 * (Deployments and ReplicaSets, StatefulSets, Jobs, Endpoints) and the kubelet that runs pods
 * (`pods.ts`), all on the sandbox's clock.
 */
export class KubernetesState {
  private readonly ctx: SandboxContext;
  private readonly store: KubeStore;
  private readonly pods: PodRuntimes;
  private readonly deployments: DeploymentController;
  private readonly statefulSets: StatefulSetController;
  private readonly jobs: JobController;
  private readonly endpoints: EndpointsController;
  private readonly rollouts: RolloutController;
  readonly cronJobs: CronJobController;
  /** Pods whose current container crashes (set by the control API). */
  readonly crashingPods = new Set<string>();
  /** Called when a Deployment/StatefulSet's pods should crash (e.g. a degraded application). */
  shouldCrash: (pod: any) => boolean = () => false;
  /** Real work for a Job's pod (database Jobs), or undefined to simulate it. */
  jobWork: (pod: any) => JobWork | undefined = () => undefined;
  /** False holds a started pod not Ready. */
  podReadiness: (pod: any) => boolean = () => true;

  constructor(ctx: SandboxContext) {
    this.ctx = ctx;
    this.store = new KubeStore(ctx, {
      written: (type, obj, created) => this.afterWrite(type, obj, created),
      deleted: (type, obj) => {
        if (type.plural === 'pods') this.pods.forget(obj.metadata.uid);
        if (type.plural === 'cronjobs') this.cronJobs.forget(obj.metadata.uid);
      },
    });
    this.pods = new PodRuntimes(ctx, this.store, pod => this.shouldCrash(pod), {
      jobWork: pod => this.jobWork(pod),
      ready: pod => this.podReadiness(pod),
    });
    this.deployments = new DeploymentController(this.store);
    this.statefulSets = new StatefulSetController(this.store);
    this.jobs = new JobController(this.store, this.pods);
    this.endpoints = new EndpointsController(this.store);
    this.rollouts = new RolloutController(ctx, this.store, ns =>
      this.deployments.reconcileReplicaSets(ns),
    );
    this.cronJobs = new CronJobController(this.store);
    for (const ns of ['default', 'kube-system']) {
      this.create('namespaces', undefined, { metadata: { name: ns } });
    }
  }

  private afterWrite(type: ResourceType, obj: any, created: boolean) {
    switch (type.plural) {
      case 'deployments':
        this.deployments.reconcile(obj);
        break;
      case 'statefulsets':
        this.statefulSets.reconcile(obj);
        break;
      case 'rollouts':
        this.rollouts.reconcile(obj);
        break;
      case 'jobs':
        if (created) this.jobs.start(obj);
        break;
      case 'pods':
        if (created && !this.pods.has(obj.metadata.uid)) this.pods.adopt(obj);
        break;
      default:
        break;
    }
  }

  // ---- the API server's objects ---------------------------------------------------------------

  currentVersion(): string {
    return this.store.currentVersion();
  }

  type(plural: string): ResourceType {
    return this.store.type(plural);
  }

  typeOfKind(kind: string): ResourceType | undefined {
    return this.store.typeOfKind(kind);
  }

  get(plural: string, ns: string | undefined, name: string): any | undefined {
    return this.store.get(plural, ns, name);
  }

  mustGet(plural: string, ns: string | undefined, name: string): any {
    return this.store.mustGet(plural, ns, name);
  }

  list(
    plural: string,
    ns?: string,
    labelSelector?: string,
    fieldSelector?: string,
  ): any[] {
    return this.store.list(plural, ns, labelSelector, fieldSelector);
  }

  create(
    plural: string,
    ns: string | undefined,
    body: any,
    internal = false,
  ): any {
    return this.store.create(plural, ns, body, internal);
  }

  replace(
    plural: string,
    ns: string | undefined,
    name: string,
    body: any,
  ): any {
    return this.store.replace(plural, ns, name, body);
  }

  patch(
    plural: string,
    ns: string | undefined,
    name: string,
    contentType: string,
    patch: any,
  ): any {
    return this.store.patch(plural, ns, name, contentType, patch);
  }

  delete(plural: string, ns: string | undefined, name: string): any {
    return this.store.delete(plural, ns, name);
  }

  event(
    obj: any,
    reason: string,
    message: string,
    type: 'Normal' | 'Warning' = 'Normal',
    component = 'kubelet',
  ) {
    recordEvent(this.store, obj, reason, message, type, component);
  }

  dump() {
    return this.store.dump();
  }

  // ---- controllers and pods -------------------------------------------------------------------

  /** Advances every controller to the current time. */
  advance() {
    const now = this.ctx.now();
    for (const pod of this.list('pods')) this.pods.refresh(pod);
    this.deployments.advance();
    this.rollouts.advance();
    this.statefulSets.advance();
    this.jobs.advance(now);
    this.cronJobs.advance(now);
    this.endpoints.advance();
  }

  /** A container's environment as the kubelet resolves it (Secrets, ConfigMaps, downward API, `$(VAR)`). */
  resolveEnv(pod: any, container: any): ResolvedEnv {
    return resolveContainerEnv(this.store, pod, container);
  }

  /** Marks a pod's current container as crashing (used to degrade an application). */
  crashPod(pod: any) {
    this.pods.crash(pod);
  }

  isCrashing(pod: any): boolean {
    return this.pods.isCrashing(pod);
  }

  podsOf(owner: any): any[] {
    return podsOf(this.store, owner);
  }

  podReady(pod: any): boolean {
    return podReady(pod);
  }

  /**
   * The log lines a pod's container has written by now, with their times. `previous` gives the
   * previous (crashed) container's lines.
   */
  podLog(pod: any, previous = false): LogLine[] {
    return podLogLines(this.ctx, this.pods.get(pod.metadata.uid), previous);
  }

  hasPrevious(pod: any): boolean {
    return this.pods.hasPrevious(pod);
  }

  isTerminated(pod: any): boolean {
    return this.pods.isTerminated(pod);
  }

  waitingReason(pod: any): string | undefined {
    return this.pods.waitingReason(pod);
  }
}
