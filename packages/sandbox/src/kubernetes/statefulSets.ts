import { clone } from '../util.ts';
import { recordEvent } from './events.ts';
import { ownerRef, podReady, podsOf, podTemplateHash } from './owners.ts';
import type { KubeStore } from './store.ts';

/** The statefulset controller: ordered pods `name-0…n-1`, each with its PersistentVolumeClaims. */
export class StatefulSetController {
  private readonly store: KubeStore;

  constructor(store: KubeStore) {
    this.store = store;
  }

  /** Creates each ordinal's claims and pod, replaces pods of an old revision, removes extra ordinals. */
  reconcile(sts: any) {
    const ns = sts.metadata.namespace;
    const replicas = sts.spec.replicas ?? 1;
    const revision = `${sts.metadata.name}-${podTemplateHash(
      sts.spec.template,
    )}`;
    for (let i = 0; i < replicas; i++) {
      const podName = `${sts.metadata.name}-${i}`;
      for (const tpl of sts.spec.volumeClaimTemplates ?? []) {
        const pvcName = `${tpl.metadata?.name ?? 'data'}-${podName}`;
        if (!this.store.get('persistentvolumeclaims', ns, pvcName)) {
          this.store.create(
            'persistentvolumeclaims',
            ns,
            {
              metadata: {
                name: pvcName,
                labels: clone(sts.spec.selector?.matchLabels ?? {}),
              },
              spec: clone(
                tpl.spec ?? {
                  accessModes: ['ReadWriteOnce'],
                  resources: { requests: { storage: '8Gi' } },
                },
              ),
            },
            true,
          );
          recordEvent(
            this.store,
            sts,
            'SuccessfulCreate',
            `create Claim ${pvcName} Pod ${podName} in StatefulSet ${sts.metadata.name} success`,
            'Normal',
            'statefulset-controller',
          );
        }
      }
      const existing = this.store.get('pods', ns, podName);
      if (
        existing &&
        existing.metadata.labels?.['controller-revision-hash'] !== revision
      ) {
        this.store.delete('pods', ns, podName);
      }
      if (!this.store.get('pods', ns, podName)) {
        const spec = clone(sts.spec.template.spec);
        spec.hostname = podName;
        spec.subdomain = sts.spec.serviceName;
        spec.volumes = [
          ...(spec.volumes ?? []),
          ...(sts.spec.volumeClaimTemplates ?? []).map((tpl: any) => ({
            name: tpl.metadata?.name ?? 'data',
            persistentVolumeClaim: {
              claimName: `${tpl.metadata?.name ?? 'data'}-${podName}`,
            },
          })),
        ];
        this.store.create(
          'pods',
          ns,
          {
            metadata: {
              name: podName,
              labels: {
                ...clone(sts.spec.template.metadata?.labels ?? {}),
                'controller-revision-hash': revision,
                'statefulset.kubernetes.io/pod-name': podName,
                'apps.kubernetes.io/pod-index': String(i),
              },
              ownerReferences: [ownerRef(sts)],
            },
            spec,
          },
          true,
        );
        recordEvent(
          this.store,
          sts,
          'SuccessfulCreate',
          `create Pod ${podName} in StatefulSet ${sts.metadata.name} successful`,
          'Normal',
          'statefulset-controller',
        );
      }
    }
    for (const pod of this.store.list('pods', ns)) {
      const owner = (pod.metadata.ownerReferences ?? []).find(
        (r: any) => r.uid === sts.metadata.uid,
      );
      const index = Number(
        pod.metadata.labels?.['apps.kubernetes.io/pod-index'],
      );
      if (owner && index >= replicas)
        this.store.delete('pods', ns, pod.metadata.name);
    }
    sts.status.currentRevision = revision;
    sts.status.updateRevision = revision;
  }

  /** Brings the StatefulSets' status up to date with their pods. */
  advance() {
    for (const sts of this.store.list('statefulsets')) {
      const pods = podsOf(this.store, sts);
      const ready = pods.filter(p => podReady(p)).length;
      const status = {
        ...sts.status,
        observedGeneration: sts.metadata.generation,
        replicas: pods.length,
        readyReplicas: ready,
        currentReplicas: pods.length,
        updatedReplicas: pods.length,
        availableReplicas: ready,
        collisionCount: 0,
      };
      if (JSON.stringify(sts.status) !== JSON.stringify(status)) {
        sts.status = status;
        sts.metadata.resourceVersion = this.store.nextVersion();
      }
    }
  }
}
