/*
 * When each stage really ended, to the millisecond, as the upstream sandbox knows it.
 *
 * The sandbox's HTTP API gives times in whole seconds, as Jenkins, Argo CD and Kubernetes do
 * (`operationState.finishedAt`, pod conditions' `lastTransitionTime`), and `/_sandbox/state`
 * has no times at all; sub-second overheads need better. The sandbox runs in this process, so
 * these times are read from its objects:
 *
 * - a build's start (the queue item leaving the queue) and end: `startedAt`, `finishedAt`
 *   (the sandbox sets them to the scheduled times, whenever it is next moved forward);
 * - a sync operation's end: its `finishedAt` (likewise the scheduled time);
 * - a rollout's end: the first moment the sandbox's state meets the orchestrator's own
 *   condition (Argo CD Healthy, the Deployment's rollout complete, every pod on the digest).
 *   The sandbox computes pod readiness only when it is moved forward, so the bench moves it
 *   every `periodMs` and checks after every move, including the moves the backend's own
 *   requests cause: nobody can see a rollout done before this records it, and it is recorded
 *   at most `periodMs` after the pods' scheduled Ready time.
 */

interface Build {
  number: number;
  startedAt: number;
  finishedAt?: number;
  params: Record<string, string>;
}
interface Operation {
  phase: string;
  finishedAt?: number;
  source?: { helm?: { parameters?: { name: string; value: string }[] } };
}
interface AppRecord {
  operation?: Operation;
}
interface RenderedApp {
  metadata: { name: string };
  spec: { destination?: { namespace?: string } };
  status?: { health?: { status?: string }; resources?: unknown[] };
}
interface Deployment {
  spec?: { selector?: { matchLabels?: Record<string, string> } };
}
/** The parts of the sandbox (`RunningSandbox.sandbox`) read here. */
export interface SandboxObjects {
  advance(): void;
  jenkins: { jobs: Map<string, { builds: Build[] }> };
  argocd: {
    apps: Map<string, AppRecord>;
    render(rec: AppRecord): RenderedApp;
  };
  kubernetes: {
    get(plural: string, ns: string, name: string): Deployment | undefined;
    list(plural: string, ns?: string, labelSelector?: string): unknown[];
  };
}
/** The orchestrator's own reading of a rollout (autonomous-node, autonomous-backend). */
export interface RolloutRules {
  rolloutStatus(
    deployment: unknown,
    pods: unknown[],
  ): { complete: boolean; images: string[]; liveImageDigests: string[] };
  workloadOf(app: RenderedApp): { namespace: string; name: string };
}

export interface StageTimes {
  /** The release's Jenkins build: when it left the queue and when it finished. */
  build(job: string, releaseId: string): Build | undefined;
  /** When the first sync operation that applied `digest` to `app` finished. */
  syncFinished(app: string, digest: string): number | undefined;
  /** When `app` first ran `digest` Healthy with its rollout complete. */
  rolloutReady(app: string, digest: string): number | undefined;
  stop(): void;
}

function digestOf(op: Operation): string | undefined {
  return op.source?.helm?.parameters?.find(p => p.name === 'image.digest')
    ?.value;
}

export function watchStageTimes(
  sandbox: SandboxObjects,
  rules: RolloutRules,
  periodMs: number,
): StageTimes {
  const seenOps = new WeakSet<Operation>();
  const syncs = new Map<string, number>(); // app@digest → finishedAt
  const ready = new Map<string, number>(); // app@digest → first seen ready
  const pending = new Map<string, { app: string; digest: string }>();

  const isReady = (rec: AppRecord, digest: string): boolean => {
    const app = sandbox.argocd.render(rec);
    if (app.status?.health?.status !== 'Healthy') return false;
    const { namespace, name } = rules.workloadOf(app);
    const deployment = sandbox.kubernetes.get('deployments', namespace, name);
    if (!deployment) return false;
    const labels = deployment.spec?.selector?.matchLabels ?? {};
    const selector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const pods = selector
      ? sandbox.kubernetes.list('pods', namespace, selector)
      : [];
    const rollout = rules.rolloutStatus(deployment, pods);
    return (
      rollout.complete &&
      rollout.liveImageDigests.includes(digest) &&
      rollout.images.some(image => image.endsWith(digest))
    );
  };

  const observe = () => {
    const now = Date.now();
    for (const [app, rec] of sandbox.argocd.apps) {
      const op = rec.operation;
      if (op && op.phase === 'Succeeded' && !seenOps.has(op)) {
        seenOps.add(op);
        const digest = digestOf(op);
        if (digest) {
          const key = `${app}@${digest}`;
          if (!syncs.has(key)) syncs.set(key, op.finishedAt ?? now);
          if (!ready.has(key)) pending.set(key, { app, digest });
        }
      }
    }
    for (const [key, { app, digest }] of pending) {
      const rec = sandbox.argocd.apps.get(app);
      if (!rec) pending.delete(key);
      else if (isReady(rec, digest)) {
        ready.set(key, now);
        pending.delete(key);
      }
    }
  };

  // Every move of the sandbox goes through its instance's advance(): the requests of every
  // system, the notification ticker and /_sandbox/state call `this.advance()`.
  const original = sandbox.advance.bind(sandbox);
  sandbox.advance = () => {
    original();
    observe();
  };
  const timer = setInterval(() => sandbox.advance(), periodMs);

  return {
    build(job, releaseId) {
      return sandbox.jenkins.jobs
        .get(job)
        ?.builds.find(b => b.params.AUTONOMOUS_RELEASE_ID === releaseId);
    },
    syncFinished: (app, digest) => syncs.get(`${app}@${digest}`),
    rolloutReady: (app, digest) => ready.get(`${app}@${digest}`),
    stop() {
      clearInterval(timer);
      sandbox.advance = original;
    },
  };
}
