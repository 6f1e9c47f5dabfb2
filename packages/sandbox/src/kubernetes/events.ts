import { isoSeconds, randomHex } from '../util.ts';
import type { KubeStore } from './store.ts';

/**
 * Records an Event about an object, as the kubelet and the controllers do; a repeated event
 * counts up instead of adding a new one.
 */
export function recordEvent(
  store: KubeStore,
  obj: any,
  reason: string,
  message: string,
  type: 'Normal' | 'Warning' = 'Normal',
  component = 'kubelet',
) {
  const ns = obj.metadata.namespace ?? 'default';
  const now = isoSeconds(store.ctx.now());
  const existing = store
    .list('events', ns)
    .find(
      e =>
        e.involvedObject.uid === obj.metadata.uid &&
        e.reason === reason &&
        e.message === message,
    );
  if (existing) {
    existing.count += 1;
    existing.lastTimestamp = now;
    existing.metadata.resourceVersion = store.nextVersion();
    return;
  }
  store.create(
    'events',
    ns,
    {
      metadata: { name: `${obj.metadata.name}.${randomHex(8)}` },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata.name,
        namespace: ns,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component },
      reportingComponent: component,
      reportingInstance: '',
    },
    true,
  );
}
