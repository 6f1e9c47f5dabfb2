import type { KubernetesState } from '../kubernetes/index.ts';
import { healthOf } from './health.ts';
import type { AppRecord } from './types.ts';

/** `GET …/resource-tree`: the applied objects and what they own (ReplicaSets, pods, claims). */
export function resourceTree(kube: KubernetesState, rec: AppRecord) {
  const nodes: any[] = [];
  const seen = new Set<string>();
  const add = (obj: any, parents: any[]) => {
    if (!obj || seen.has(obj.metadata.uid)) return;
    seen.add(obj.metadata.uid);
    const type = kube.typeOfKind(obj.kind)!;
    const images =
      obj.kind === 'Pod'
        ? obj.spec.containers.map((c: any) => c.image)
        : undefined;
    nodes.push({
      group: type.group || undefined,
      version: type.version,
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      createdAt: obj.metadata.creationTimestamp,
      ...(parents.length ? { parentRefs: parents } : {}),
      ...(images ? { images } : {}),
      ...([
        'Deployment',
        'StatefulSet',
        'Pod',
        'PersistentVolumeClaim',
        'ReplicaSet',
      ].includes(obj.kind)
        ? {
            health: healthOf(
              kube,
              obj.kind === 'ReplicaSet' ? { ...obj, kind: 'Other' } : obj,
            ),
          }
        : {}),
      ...(obj.kind === 'Pod'
        ? {
            info: [
              {
                name: 'Status Reason',
                value:
                  obj.status?.containerStatuses?.[0]?.state?.waiting?.reason ??
                  obj.status?.phase ??
                  'Pending',
              },
              { name: 'Node', value: obj.spec.nodeName ?? '' },
              {
                name: 'Containers',
                value: `${
                  obj.status?.containerStatuses?.filter((c: any) => c.ready)
                    .length ?? 0
                }/${obj.spec.containers.length}`,
              },
            ],
          }
        : {}),
      ...(obj.kind === 'Ingress'
        ? {
            networkingInfo: {
              externalURLs: (obj.spec.rules ?? []).map(
                (r: any) => `http://${r.host}/`,
              ),
            },
          }
        : {}),
    });
    const ref = {
      group: type.group || undefined,
      version: type.version,
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
    };
    const childPlurals: Record<string, string[]> = {
      Deployment: ['replicasets'],
      ReplicaSet: ['pods'],
      StatefulSet: ['pods'],
    };
    for (const plural of childPlurals[obj.kind] ?? []) {
      for (const child of kube.list(plural, obj.metadata.namespace)) {
        if (
          (child.metadata.ownerReferences ?? []).some(
            (r: any) => r.uid === obj.metadata.uid,
          )
        )
          add(child, [ref]);
      }
    }
    if (obj.kind === 'StatefulSet') {
      for (const pvc of kube.list(
        'persistentvolumeclaims',
        obj.metadata.namespace,
        Object.entries(obj.spec.selector?.matchLabels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      )) {
        add(pvc, [ref]);
      }
    }
  };
  for (const a of rec.applied) add(kube.get(a.plural, a.ns, a.name), []);
  return {
    nodes,
    hosts: [
      {
        name: 'sandbox-node-1',
        resourcesInfo: [],
        systemInfo: {
          architecture: 'amd64',
          operatingSystem: 'linux',
          kubeletVersion: 'v1.35.0',
        },
      },
    ],
  };
}
