import type { SandboxContext } from '../context.ts';
import type { KubernetesState } from '../kubernetes/index.ts';
import { clone, isoSeconds } from '../util.ts';
import { healthOf } from './health.ts';
import { desiredHash, primarySource, revisionOf } from './sources.ts';
import type { AppRecord } from './types.ts';

/** The Application as the API answers it: its spec with sync, health, resources, history and operation state. */
export function renderApplication(
  ctx: SandboxContext,
  kube: KubernetesState,
  rec: AppRecord,
): any {
  const app = clone(rec.app);
  const now = ctx.now();
  const op = rec.operation;
  const applied =
    rec.syncedHash === desiredHash(rec.app) && op?.phase !== 'Running';
  const drifted = (a: AppRecord['applied'][number]) =>
    (rec.drift ?? []).some(
      f => f.plural === a.plural && f.ns === a.ns && f.name === a.name,
    );
  const synced = applied && !rec.drift?.length;
  const source = primarySource(rec.app);
  const resources = rec.applied
    .map(a => ({ a, obj: kube.get(a.plural, a.ns, a.name) }))
    .map(({ a, obj }) => {
      const type = kube.type(a.plural);
      const health = obj ? healthOf(kube, obj) : { status: 'Missing' };
      return {
        group: type.group || undefined,
        version: type.version,
        kind: type.kind,
        namespace: a.ns,
        name: a.name,
        status: obj && applied && !drifted(a) ? 'Synced' : 'OutOfSync',
        ...(a.plural === 'services' || a.plural === 'ingresses'
          ? {}
          : { health }),
      };
    });
  // A paused Rollout is Suspended: worse than Healthy, better than anything else (gitops-engine).
  const order = ['Healthy', 'Suspended', 'Missing', 'Progressing', 'Degraded'];
  let health: { status: string; message?: string } = {
    status: rec.applied.length ? 'Healthy' : 'Missing',
  };
  for (const r of resources) {
    const h = (r as any).health as
      | { status: string; message?: string }
      | undefined;
    if (h && order.indexOf(h.status) > order.indexOf(health.status)) health = h;
  }
  const images = new Set<string>();
  const urls: string[] = [];
  for (const a of rec.applied) {
    const obj = kube.get(a.plural, a.ns, a.name);
    for (const c of obj?.spec?.template?.spec?.containers ?? [])
      images.add(c.image);
    for (const rule of a.plural === 'ingresses' ? obj?.spec?.rules ?? [] : [])
      urls.push(`http://${rule.host}/`);
  }
  app.status = {
    sync: {
      status: synced ? 'Synced' : 'OutOfSync',
      comparedTo: { source, destination: rec.app.spec.destination },
      revision: revisionOf(source),
    },
    health: {
      status: health.status,
      ...(health.message ? { message: health.message } : {}),
      lastTransitionTime: isoSeconds(now),
    },
    resources,
    history: rec.history,
    reconciledAt: isoSeconds(rec.reconciledAt),
    observedAt: isoSeconds(now),
    sourceType: source.chart || source.helm ? 'Helm' : 'Directory',
    summary: {
      ...(images.size ? { images: [...images] } : {}),
      ...(urls.length ? { externalURLs: urls } : {}),
    },
    controllerNamespace: 'argocd',
  };
  if (op) {
    const operation = {
      sync: op.sync,
      initiatedBy: op.initiatedBy,
      retry: {},
    };
    if (op.phase === 'Running') app.operation = operation;
    app.status.operationState = {
      operation,
      phase: op.phase,
      message: op.message,
      startedAt: isoSeconds(op.startedAt),
      ...(op.finishedAt !== undefined
        ? { finishedAt: isoSeconds(op.finishedAt) }
        : {}),
      ...(op.resources
        ? {
            syncResult: {
              resources: op.resources,
              revision: revisionOf(op.source),
              source: op.source,
            },
          }
        : {}),
    };
  }
  return app;
}
