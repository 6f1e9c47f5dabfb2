import { sha256Hex } from '../util.ts';
import type { KubeStore } from './store.ts';

// How controllers own what they create: owner references, the pod-template hash that names a
// ReplicaSet or a StatefulSet revision, the pods an owner has.

export function podTemplateHash(template: any): string {
  return sha256Hex(JSON.stringify(template))
    .slice(0, 10)
    .replace(/[0-9a-f]/g, c => 'bcdfghjklm'[parseInt(c, 16) % 10] ?? c);
}

export function ownerRef(owner: any) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function podsOf(store: KubeStore, owner: any): any[] {
  return store
    .list('pods', owner.metadata.namespace)
    .filter(p =>
      (p.metadata.ownerReferences ?? []).some(
        (r: any) => r.uid === owner.metadata.uid,
      ),
    );
}

export function podReady(pod: any): boolean {
  return (pod.status?.conditions ?? []).some(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  );
}
