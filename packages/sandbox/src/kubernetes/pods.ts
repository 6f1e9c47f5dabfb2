import type { SandboxContext } from '../context.ts';
import { isoSeconds, sha256Hex } from '../util.ts';
import { containerScript } from './containerScripts.ts';
import type { ContainerScript } from './containerScripts.ts';
import { recordEvent } from './events.ts';
import type { KubeStore } from './store.ts';

/** Image reference → the digest it pins, if any. */
export function digestOf(image: string): string | undefined {
  return /@(sha256:[0-9a-f]{64})/.exec(image)?.[1];
}

/** What a Job's container really does (a database Job): its first log lines, then the work. */
export interface JobWork {
  startup: string[];
  run(): Promise<{ lines: string[]; succeeded: boolean }>;
}

/** Hooks through which other parts of the sandbox take part in running pods. */
export interface PodHooks {
  /** Real work for a Job's pod, or undefined to simulate it. */
  jobWork?(pod: any): JobWork | undefined;
  /** False holds a started pod not Ready (e.g. while its real database is being created). */
  ready?(pod: any): boolean;
}

/** Internal bookkeeping for a pod the sandbox "runs". */
export interface PodRuntime {
  createdAt: number;
  startAt: number;
  readyAt: number;
  /** When set, the container exits after this long and is restarted (CrashLoopBackOff). */
  crash: boolean;
  /** For Job pods: when the container ends. */
  endAt?: number;
  succeeded?: boolean;
  script: ContainerScript;
}

/**
 * The kubelet's part: schedules pods, runs their containers on the sandbox's clock (start, ready,
 * crash loop, a Job's end) and keeps their status up to date.
 */
export class PodRuntimes {
  private readonly ctx: SandboxContext;
  private readonly store: KubeStore;
  private readonly shouldCrash: (pod: any) => boolean;
  private readonly runtimes = new Map<string, PodRuntime>();
  private readonly hooks: PodHooks;

  constructor(
    ctx: SandboxContext,
    store: KubeStore,
    shouldCrash: (pod: any) => boolean,
    hooks: PodHooks = {},
  ) {
    this.ctx = ctx;
    this.store = store;
    this.shouldCrash = shouldCrash;
    this.hooks = hooks;
  }

  /**
   * Runs a Job container's real work once the container has started; the pod ends when the
   * work does (never before the simulated job duration).
   */
  private runWork(runtime: PodRuntime, work: JobWork) {
    runtime.endAt = Number.POSITIVE_INFINITY;
    runtime.script = { startup: work.startup };
    const finish = (lines: string[], succeeded: boolean) => {
      runtime.succeeded = succeeded;
      runtime.script.finish = { lines, exitCode: succeeded ? 0 : 1 };
      runtime.endAt = Math.max(
        this.ctx.now(),
        runtime.startAt + this.ctx.timings.jobDurationMs,
      );
    };
    setTimeout(() => {
      work.run().then(
        r => finish(r.lines, r.succeeded),
        e => finish([`error: ${(e as Error)?.message ?? e}`], false),
      );
    }, Math.max(0, runtime.startAt - this.ctx.now()));
  }

  /** The runtime of the pod with this uid, if the sandbox runs it. */
  get(uid: string): PodRuntime | undefined {
    return this.runtimes.get(uid);
  }

  has(uid: string): boolean {
    return this.runtimes.has(uid);
  }

  forget(uid: string) {
    this.runtimes.delete(uid);
  }

  /** Schedules a new pod and starts its container's clock. */
  adopt(pod: any) {
    const now = this.ctx.now();
    const t = this.ctx.timings;
    const container = pod.spec.containers[0];
    const ownerKind = pod.metadata.ownerReferences?.[0]?.kind;
    const isJob =
      ownerKind === 'Job' ||
      pod.spec.restartPolicy === 'Never' ||
      pod.spec.restartPolicy === 'OnFailure';
    const image: string = container.image ?? '';
    const crash =
      !isJob &&
      (Boolean(digestOf(image) && this.ctx.badDigests.has(digestOf(image)!)) ||
        this.shouldCrash(pod));
    const runtime: PodRuntime = {
      createdAt: now,
      startAt: now + t.podStartMs,
      readyAt: now + t.podStartMs + t.podReadyMs,
      crash,
      script: containerScript(pod, isJob),
    };
    if (isJob) {
      runtime.endAt = runtime.startAt + t.jobDurationMs;
      const env: any[] = container.env ?? [];
      const fail =
        pod.metadata.annotations?.['sandbox.autonomous.dev/fail'] === 'true' ||
        env.some(e => e.name === 'SANDBOX_FAIL' && e.value === 'true');
      runtime.succeeded = !fail;
      const work = fail ? undefined : this.hooks.jobWork?.(pod);
      if (work) this.runWork(runtime, work);
      else
        runtime.script.finish = fail
          ? {
              lines: [
                'error: the command failed: connection refused',
                'exit status 1',
              ],
              exitCode: 1,
            }
          : runtime.script.finish;
    }
    this.runtimes.set(pod.metadata.uid, runtime);
    pod.spec.nodeName = pod.spec.nodeName ?? 'sandbox-node-1';
    pod.spec.restartPolicy = pod.spec.restartPolicy ?? 'Always';
    pod.spec.serviceAccountName = pod.spec.serviceAccountName ?? 'default';
    pod.spec.dnsPolicy = pod.spec.dnsPolicy ?? 'ClusterFirst';
    pod.spec.terminationGracePeriodSeconds =
      pod.spec.terminationGracePeriodSeconds ?? 30;
    pod.status = {
      phase: 'Pending',
      qosClass: 'BestEffort',
      hostIP: '10.0.0.10',
      hostIPs: [{ ip: '10.0.0.10' }],
      startTime: isoSeconds(now),
    };
    recordEvent(
      this.store,
      pod,
      'Scheduled',
      `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to sandbox-node-1`,
      'Normal',
      'default-scheduler',
    );
    recordEvent(this.store, pod, 'Pulling', `Pulling image "${image}"`);
    this.refresh(pod);
  }

  /** Brings a pod's status up to date with the clock. */
  refresh(pod: any) {
    const rt = this.runtimes.get(pod.metadata.uid);
    if (!rt) return;
    const now = this.ctx.now();
    const container = pod.spec.containers[0];
    const image: string = container.image ?? '';
    const imageID = digestOf(image)
      ? image
      : `${image.split(':')[0]}@sha256:${sha256Hex(image)}`;
    const containerID = `containerd://${sha256Hex(pod.metadata.uid)}`;
    const cond = (type: string, status: boolean, at: number) => ({
      type,
      status: status ? 'True' : 'False',
      lastTransitionTime: isoSeconds(at),
    });
    const before = JSON.stringify(pod.status);
    const podIP = `10.244.0.${
      (parseInt(pod.metadata.uid.slice(0, 2), 16) % 250) + 2
    }`;
    if (now < rt.startAt) {
      pod.status = {
        ...pod.status,
        phase: 'Pending',
        conditions: [
          cond('PodReadyToStartContainers', false, rt.createdAt),
          cond('Initialized', true, rt.createdAt),
          cond('Ready', false, rt.createdAt),
          cond('ContainersReady', false, rt.createdAt),
          cond('PodScheduled', true, rt.createdAt),
        ],
        containerStatuses: [
          {
            name: container.name,
            image,
            imageID: '',
            ready: false,
            started: false,
            restartCount: 0,
            state: { waiting: { reason: 'ContainerCreating' } },
            lastState: {},
          },
        ],
      };
    } else if (rt.endAt !== undefined) {
      const done = now >= rt.endAt;
      pod.status = {
        ...pod.status,
        phase: this.jobPodPhase(done, rt),
        podIP,
        podIPs: [{ ip: podIP }],
        conditions: [
          cond('PodReadyToStartContainers', true, rt.startAt),
          cond('Initialized', true, rt.createdAt),
          cond('Ready', !done, done ? rt.endAt : rt.startAt),
          cond('ContainersReady', !done, done ? rt.endAt : rt.startAt),
          cond('PodScheduled', true, rt.createdAt),
        ],
        containerStatuses: [
          {
            name: container.name,
            image,
            imageID,
            containerID,
            ready: !done,
            started: !done,
            restartCount: 0,
            state: done
              ? {
                  terminated: {
                    exitCode: rt.script.finish?.exitCode ?? 0,
                    reason: rt.succeeded ? 'Completed' : 'Error',
                    startedAt: isoSeconds(rt.startAt),
                    finishedAt: isoSeconds(rt.endAt),
                    containerID,
                  },
                }
              : { running: { startedAt: isoSeconds(rt.startAt) } },
            lastState: {},
          },
        ],
      };
    } else if (rt.crash) {
      const restarts =
        Math.floor((now - rt.startAt) / this.ctx.timings.crashIntervalMs) + 1;
      const lastStart =
        rt.startAt + (restarts - 1) * this.ctx.timings.crashIntervalMs;
      pod.status = {
        ...pod.status,
        phase: 'Running',
        podIP,
        podIPs: [{ ip: podIP }],
        conditions: [
          cond('PodReadyToStartContainers', true, rt.startAt),
          cond('Initialized', true, rt.createdAt),
          cond('Ready', false, rt.startAt),
          cond('ContainersReady', false, rt.startAt),
          cond('PodScheduled', true, rt.createdAt),
        ],
        containerStatuses: [
          {
            name: container.name,
            image,
            imageID,
            containerID,
            ready: false,
            started: false,
            restartCount: restarts,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: `back-off 10s restarting failed container=${container.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
              },
            },
            lastState: {
              terminated: {
                exitCode: 1,
                reason: 'Error',
                startedAt: isoSeconds(lastStart),
                finishedAt: isoSeconds(lastStart + 200),
                containerID,
              },
            },
          },
        ],
      };
    } else {
      const ready = now >= rt.readyAt && this.hooks.ready?.(pod) !== false;
      pod.status = {
        ...pod.status,
        phase: 'Running',
        podIP,
        podIPs: [{ ip: podIP }],
        conditions: [
          cond('PodReadyToStartContainers', true, rt.startAt),
          cond('Initialized', true, rt.createdAt),
          cond('Ready', ready, ready ? rt.readyAt : rt.startAt),
          cond('ContainersReady', ready, ready ? rt.readyAt : rt.startAt),
          cond('PodScheduled', true, rt.createdAt),
        ],
        containerStatuses: [
          {
            name: container.name,
            image,
            imageID,
            containerID,
            ready,
            started: true,
            restartCount: 0,
            state: { running: { startedAt: isoSeconds(rt.startAt) } },
            lastState: {},
          },
        ],
      };
    }
    if (JSON.stringify(pod.status) !== before) {
      const wasPending = before.includes('ContainerCreating');
      if (wasPending && now >= rt.startAt) {
        recordEvent(
          this.store,
          pod,
          'Pulled',
          `Successfully pulled image "${image}" in 812ms (812ms including waiting). Image size: 48213455 bytes.`,
        );
        recordEvent(
          this.store,
          pod,
          'Created',
          `Created container: ${container.name}`,
        );
        recordEvent(
          this.store,
          pod,
          'Started',
          `Started container ${container.name}`,
        );
      }
      if (rt.crash && now >= rt.startAt) {
        recordEvent(
          this.store,
          pod,
          'BackOff',
          'Back-off restarting failed container',
          'Warning',
        );
      }
      pod.metadata.resourceVersion = this.store.nextVersion();
    }
  }

  private jobPodPhase(done: boolean, rt: PodRuntime): string {
    if (!done) return 'Running';
    return rt.succeeded ? 'Succeeded' : 'Failed';
  }

  /** Marks a pod's current container as crashing (used to degrade an application). */
  crash(pod: any) {
    const rt = this.runtimes.get(pod.metadata.uid);
    if (!rt || rt.endAt !== undefined || rt.crash) return;
    rt.crash = true;
    const now = this.ctx.now();
    if (rt.startAt < now) rt.startAt = now;
  }

  isCrashing(pod: any): boolean {
    return Boolean(this.runtimes.get(pod.metadata.uid)?.crash);
  }

  hasPrevious(pod: any): boolean {
    const rt = this.runtimes.get(pod.metadata.uid);
    return Boolean(rt?.crash && this.ctx.now() >= rt.startAt);
  }

  isTerminated(pod: any): boolean {
    const rt = this.runtimes.get(pod.metadata.uid);
    return !rt || (rt.endAt !== undefined && this.ctx.now() >= rt.endAt);
  }

  waitingReason(pod: any): string | undefined {
    const rt = this.runtimes.get(pod.metadata.uid);
    if (rt && this.ctx.now() < rt.startAt) return 'ContainerCreating';
    return undefined;
  }
}
