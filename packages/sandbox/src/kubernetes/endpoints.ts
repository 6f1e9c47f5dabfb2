import { clone } from '../util.ts';
import { podReady } from './owners.ts';
import { selectorToString } from './selectors.ts';
import type { KubeStore } from './store.ts';

/** The endpoints controller: Endpoints follow the Services' selectors. */
export class EndpointsController {
  private readonly store: KubeStore;

  constructor(store: KubeStore) {
    this.store = store;
  }

  /** Lists each selecting Service's ready and not-ready pod addresses in its Endpoints. */
  advance() {
    for (const svc of this.store.list('services')) {
      if (!svc.spec.selector) continue;
      const ns = svc.metadata.namespace;
      const pods = this.store.list(
        'pods',
        ns,
        selectorToString(svc.spec.selector),
      );
      const address = (p: any) => ({
        ip: p.status?.podIP ?? '0.0.0.0',
        nodeName: p.spec.nodeName,
        targetRef: {
          kind: 'Pod',
          namespace: ns,
          name: p.metadata.name,
          uid: p.metadata.uid,
        },
      });
      const running = pods.filter(
        p => p.status?.podIP && p.status.phase === 'Running',
      );
      const ready = running.filter(p => podReady(p)).map(address);
      const notReady = running.filter(p => !podReady(p)).map(address);
      const subsets =
        running.length === 0
          ? []
          : [
              {
                ...(ready.length ? { addresses: ready } : {}),
                ...(notReady.length ? { notReadyAddresses: notReady } : {}),
                ports: (svc.spec.ports ?? []).map((p: any) => ({
                  ...(p.name ? { name: p.name } : {}),
                  port:
                    typeof p.targetPort === 'number' ? p.targetPort : p.port,
                  protocol: p.protocol ?? 'TCP',
                })),
              },
            ];
      const existing = this.store.get('endpoints', ns, svc.metadata.name);
      if (!existing) {
        this.store.create(
          'endpoints',
          ns,
          {
            metadata: {
              name: svc.metadata.name,
              labels: clone(svc.metadata.labels ?? {}),
            },
            subsets,
          },
          true,
        );
      } else if (JSON.stringify(existing.subsets) !== JSON.stringify(subsets)) {
        existing.subsets = subsets;
        existing.metadata.resourceVersion = this.store.nextVersion();
      }
    }
  }
}
