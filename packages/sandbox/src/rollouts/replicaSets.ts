import type { KubeStore } from '../kubernetes/store.ts';
import { ownerRef, podReady, podsOf } from '../kubernetes/owners.ts';
import { recordEvent } from '../kubernetes/events.ts';
import { clone } from '../util.ts';

/** The label Argo Rollouts puts on its ReplicaSets, pods and the Services it steers. */
export const HASH_LABEL = 'rollouts-pod-template-hash';

export function ownedReplicaSets(store: KubeStore, ro: any): any[] {
  return store
    .list('replicasets', ro.metadata.namespace)
    .filter(rs =>
      (rs.metadata.ownerReferences ?? []).some(
        (r: any) => r.uid === ro.metadata.uid,
      ),
    );
}

export function replicaSetOf(
  store: KubeStore,
  ro: any,
  hash: string | undefined,
): any | undefined {
  if (!hash) return undefined;
  return ownedReplicaSets(store, ro).find(
    rs => rs.metadata.labels?.[HASH_LABEL] === hash,
  );
}

/** Ready pods of the ReplicaSet with this hash (0 when there is none). */
export function availableOf(
  store: KubeStore,
  ro: any,
  hash: string | undefined,
): number {
  const rs = replicaSetOf(store, ro, hash);
  return rs ? podsOf(store, rs).filter(p => podReady(p)).length : 0;
}

/**
 * Scales the Rollout's ReplicaSets to `wanted` (hash → replicas), creating the one of the
 * current pod template when missing; every other ReplicaSet goes to 0. Returns whether anything
 * changed.
 */
export function scaleReplicaSets(
  store: KubeStore,
  ro: any,
  currentHash: string,
  wanted: Map<string, number>,
  revision: number,
): boolean {
  const ns = ro.metadata.namespace;
  let changed = false;
  if (!replicaSetOf(store, ro, currentHash)) {
    const labels = {
      ...(ro.spec.template?.metadata?.labels ?? {}),
      [HASH_LABEL]: currentHash,
    };
    const template = clone(ro.spec.template);
    template.metadata = { ...(template.metadata ?? {}), labels };
    const rs = store.create(
      'replicasets',
      ns,
      {
        metadata: {
          name: `${ro.metadata.name}-${currentHash}`,
          labels,
          annotations: { 'rollout.argoproj.io/revision': String(revision) },
          ownerReferences: [ownerRef(ro)],
        },
        spec: {
          replicas: 0,
          selector: {
            matchLabels: {
              ...(ro.spec.selector?.matchLabels ?? {}),
              [HASH_LABEL]: currentHash,
            },
          },
          template,
        },
        status: { replicas: 0 },
      },
      true,
    );
    recordEvent(
      store,
      ro,
      'NewReplicaSetCreated',
      `Created ReplicaSet ${rs.metadata.name} (revision ${revision})`,
      'Normal',
      'rollouts-controller',
    );
    changed = true;
  }
  for (const rs of ownedReplicaSets(store, ro)) {
    const hash = rs.metadata.labels?.[HASH_LABEL];
    const replicas = wanted.get(hash) ?? 0;
    if (rs.spec.replicas === replicas) continue;
    const from = rs.spec.replicas;
    rs.spec.replicas = replicas;
    rs.metadata.resourceVersion = store.nextVersion();
    recordEvent(
      store,
      ro,
      'ScalingReplicaSet',
      `Scaled ${replicas > from ? 'up' : 'down'} ReplicaSet ${
        rs.metadata.name
      } (revision ${
        rs.metadata.annotations?.['rollout.argoproj.io/revision'] ?? revision
      }) from ${from} to ${replicas}`,
      'Normal',
      'rollouts-controller',
    );
    changed = true;
  }
  return changed;
}

/** Brings each ReplicaSet's status up to date with its pods (the replicaset controller's part). */
export function refreshReplicaSetStatus(store: KubeStore, ro: any) {
  for (const rs of ownedReplicaSets(store, ro)) {
    const pods = podsOf(store, rs);
    const ready = pods.filter(p => podReady(p)).length;
    const status = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation,
    };
    if (JSON.stringify(rs.status) !== JSON.stringify(status)) {
      rs.status = status;
      rs.metadata.resourceVersion = store.nextVersion();
    }
  }
}

/** Points a Service at the pods of one pod-template hash, as the controller does. */
export function steerService(
  store: KubeStore,
  ro: any,
  serviceName: string | undefined,
  hash: string | undefined,
) {
  if (!serviceName || !hash) return;
  const svc = store.get('services', ro.metadata.namespace, serviceName);
  if (!svc || svc.spec?.selector?.[HASH_LABEL] === hash) return;
  svc.spec.selector = { ...(svc.spec.selector ?? {}), [HASH_LABEL]: hash };
  svc.metadata.annotations = {
    ...(svc.metadata.annotations ?? {}),
    'argo-rollouts.argoproj.io/managed-by-rollouts': ro.metadata.name,
  };
  svc.metadata.resourceVersion = store.nextVersion();
}
