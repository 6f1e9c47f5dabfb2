import { clone, randomSuffix } from '../util.ts';
import { recordEvent } from './events.ts';
import { ownerRef, podReady, podsOf, podTemplateHash } from './owners.ts';
import type { KubeStore } from './store.ts';

/** The deployment and replicaset controllers: Deployments roll out through ReplicaSets to pods. */
export class DeploymentController {
  private readonly store: KubeStore;

  constructor(store: KubeStore) {
    this.store = store;
  }

  /** Rolls a Deployment's pod template out to a ReplicaSet and scales the old ones down. */
  reconcile(dep: any) {
    const ns = dep.metadata.namespace;
    const hash = podTemplateHash(dep.spec.template);
    const owned = this.store
      .list('replicasets', ns)
      .filter(rs =>
        (rs.metadata.ownerReferences ?? []).some(
          (r: any) => r.uid === dep.metadata.uid,
        ),
      );
    let current = owned.find(
      rs => rs.metadata.labels?.['pod-template-hash'] === hash,
    );
    const revision = Math.max(
      0,
      ...owned.map(rs =>
        Number(
          rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0,
        ),
      ),
    );
    if (!current) {
      const labels = {
        ...(dep.spec.template.metadata?.labels ?? {}),
        'pod-template-hash': hash,
      };
      const template = clone(dep.spec.template);
      template.metadata = { ...(template.metadata ?? {}), labels };
      current = this.store.create(
        'replicasets',
        ns,
        {
          metadata: {
            name: `${dep.metadata.name}-${hash}`,
            labels,
            annotations: {
              'deployment.kubernetes.io/desired-replicas': String(
                dep.spec.replicas,
              ),
              'deployment.kubernetes.io/max-replicas': String(
                dep.spec.replicas + 1,
              ),
              'deployment.kubernetes.io/revision': String(revision + 1),
            },
            ownerReferences: [ownerRef(dep)],
          },
          spec: {
            replicas: dep.spec.replicas,
            selector: {
              matchLabels: {
                ...(dep.spec.selector?.matchLabels ?? {}),
                'pod-template-hash': hash,
              },
            },
            template,
          },
          status: { replicas: 0 },
        },
        true,
      );
      recordEvent(
        this.store,
        dep,
        'ScalingReplicaSet',
        `Scaled up replica set ${current.metadata.name} from 0 to ${dep.spec.replicas}`,
        'Normal',
        'deployment-controller',
      );
    } else {
      current.spec.replicas = dep.spec.replicas;
    }
    for (const rs of owned) {
      if (rs === current || rs.spec.replicas === 0) continue;
      const from = rs.spec.replicas;
      rs.spec.replicas = 0;
      rs.metadata.resourceVersion = this.store.nextVersion();
      recordEvent(
        this.store,
        dep,
        'ScalingReplicaSet',
        `Scaled down replica set ${rs.metadata.name} from ${from} to 0`,
        'Normal',
        'deployment-controller',
      );
    }
    this.reconcileReplicaSets(ns);
  }

  /** Creates and deletes pods until each ReplicaSet of the namespace has its replicas. */
  reconcileReplicaSets(ns: string) {
    for (const rs of this.store.list('replicasets', ns)) {
      const pods = this.store
        .list('pods', ns)
        .filter(p =>
          (p.metadata.ownerReferences ?? []).some(
            (r: any) => r.uid === rs.metadata.uid,
          ),
        );
      const desired = rs.spec.replicas ?? 1;
      for (let i = pods.length; i < desired; i++) {
        const pod = this.store.create(
          'pods',
          ns,
          {
            metadata: {
              name: `${rs.metadata.name}-${randomSuffix(5)}`,
              labels: clone(rs.spec.template.metadata?.labels ?? {}),
              annotations: clone(rs.spec.template.metadata?.annotations ?? {}),
              ownerReferences: [ownerRef(rs)],
            },
            spec: clone(rs.spec.template.spec),
          },
          true,
        );
        recordEvent(
          this.store,
          rs,
          'SuccessfulCreate',
          `Created pod: ${pod.metadata.name}`,
          'Normal',
          'replicaset-controller',
        );
      }
      for (const pod of pods.slice(desired)) {
        this.store.delete('pods', ns, pod.metadata.name);
        recordEvent(
          this.store,
          rs,
          'SuccessfulDelete',
          `Deleted pod: ${pod.metadata.name}`,
          'Normal',
          'replicaset-controller',
        );
      }
    }
  }

  /** Brings the ReplicaSets' and Deployments' status up to date with their pods. */
  advance() {
    for (const dep of this.store.list('deployments')) {
      const ns = dep.metadata.namespace;
      const rss = this.store
        .list('replicasets', ns)
        .filter(rs =>
          (rs.metadata.ownerReferences ?? []).some(
            (r: any) => r.uid === dep.metadata.uid,
          ),
        );
      let replicas = 0;
      let ready = 0;
      let updated = 0;
      const hash = podTemplateHash(dep.spec.template);
      for (const rs of rss) {
        const pods = podsOf(this.store, rs);
        const rsReady = pods.filter(p => podReady(p)).length;
        const status = {
          replicas: pods.length,
          fullyLabeledReplicas: pods.length,
          readyReplicas: rsReady,
          availableReplicas: rsReady,
          observedGeneration: rs.metadata.generation,
        };
        if (JSON.stringify(rs.status) !== JSON.stringify(status)) {
          rs.status = status;
          rs.metadata.resourceVersion = this.store.nextVersion();
        }
        replicas += pods.length;
        ready += rsReady;
        if (rs.metadata.labels?.['pod-template-hash'] === hash)
          updated += pods.length;
      }
      const complete =
        updated === dep.spec.replicas &&
        ready >= dep.spec.replicas &&
        replicas === dep.spec.replicas;
      const current = rss.find(
        rs => rs.metadata.labels?.['pod-template-hash'] === hash,
      );
      const status: any = {
        observedGeneration: dep.metadata.generation,
        replicas,
        updatedReplicas: updated,
        readyReplicas: ready,
        availableReplicas: ready,
        ...(dep.spec.replicas - ready > 0
          ? { unavailableReplicas: dep.spec.replicas - ready }
          : {}),
        conditions: [
          {
            type: 'Available',
            status: ready >= dep.spec.replicas ? 'True' : 'False',
            reason:
              ready >= dep.spec.replicas
                ? 'MinimumReplicasAvailable'
                : 'MinimumReplicasUnavailable',
            message:
              ready >= dep.spec.replicas
                ? 'Deployment has minimum availability.'
                : 'Deployment does not have minimum availability.',
            lastUpdateTime: dep.metadata.creationTimestamp,
            lastTransitionTime: dep.metadata.creationTimestamp,
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
            message: complete
              ? `ReplicaSet "${current?.metadata.name}" has successfully progressed.`
              : `ReplicaSet "${current?.metadata.name}" is progressing.`,
            lastUpdateTime: dep.metadata.creationTimestamp,
            lastTransitionTime: dep.metadata.creationTimestamp,
          },
        ],
      };
      if (JSON.stringify(dep.status) !== JSON.stringify(status)) {
        dep.status = status;
        dep.metadata.resourceVersion = this.store.nextVersion();
      }
    }
  }
}
