import type { KubernetesState } from '../kubernetes/index.ts';
import type { AppRecord } from './types.ts';
import { rolloutHealth } from '../rollouts/health.ts';

/** The application's Deployments and StatefulSets. */
export function workloads(kube: KubernetesState, rec: AppRecord): any[] {
  return rec.applied
    .filter(a => a.plural === 'deployments' || a.plural === 'statefulsets')
    .map(a => kube.get(a.plural, a.ns, a.name))
    .filter(Boolean);
}

/** A workload's pods: a StatefulSet's own, a Deployment's through its ReplicaSets. */
export function podsOfWorkload(kube: KubernetesState, w: any): any[] {
  if (w.kind === 'StatefulSet') return kube.podsOf(w);
  return kube
    .list('replicasets', w.metadata.namespace)
    .filter(rs =>
      (rs.metadata.ownerReferences ?? []).some(
        (r: any) => r.uid === w.metadata.uid,
      ),
    )
    .flatMap(rs => kube.podsOf(rs));
}

/** An object's health, as Argo CD's health checks judge it. */
export function healthOf(
  kube: KubernetesState,
  obj: any,
): { status: string; message?: string } {
  switch (obj.kind) {
    case 'Deployment':
    case 'StatefulSet': {
      const pods = podsOfWorkload(kube, obj);
      const crashing = pods.find(
        p => kube.isCrashing(p) && p.status?.phase === 'Running',
      );
      if (crashing) {
        return {
          status: 'Degraded',
          message: `Pod ${crashing.metadata.name}: back-off restarting failed container (CrashLoopBackOff)`,
        };
      }
      const s = obj.status ?? {};
      const want = obj.spec.replicas ?? 1;
      if (
        (s.updatedReplicas ?? s.currentReplicas ?? 0) >= want &&
        (s.readyReplicas ?? 0) >= want &&
        (s.replicas ?? 0) === want
      ) {
        return { status: 'Healthy' };
      }
      return {
        status: 'Progressing',
        message:
          obj.kind === 'Deployment'
            ? `Waiting for rollout to finish: ${
                s.readyReplicas ?? 0
              } of ${want} updated replicas are available...`
            : `Waiting for ${want} pods to be ready...`,
      };
    }
    case 'Rollout':
      return rolloutHealth(obj);
    case 'PersistentVolumeClaim':
      return obj.status?.phase === 'Bound'
        ? { status: 'Healthy' }
        : { status: 'Progressing' };
    case 'Pod':
      if (kube.isCrashing(obj))
        return {
          status: 'Degraded',
          message: 'back-off restarting failed container',
        };
      return kube.podReady(obj)
        ? { status: 'Healthy' }
        : { status: 'Progressing' };
    default:
      return { status: 'Healthy' };
  }
}
