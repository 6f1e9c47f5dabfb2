import { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { KubernetesRolloutStatus } from './types';

/** `docker-pullable://registry/app@sha256:…` → `sha256:…` */
export function digestOf(imageOrId?: string): string | undefined {
  return /(sha256:[a-f0-9]{64})/.exec(imageOrId ?? '')?.[1];
}

/** The same rule as `kubectl rollout status`, plus the digests the pods really run. */
export function rolloutStatus(
  deployment: V1Deployment,
  pods: V1Pod[],
): KubernetesRolloutStatus {
  const spec = deployment.spec;
  const status = deployment.status ?? {};
  const desired = spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const ready = status.readyReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const total = status.replicas ?? 0;
  const observed =
    (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
  const progressing = status.conditions?.find(c => c.type === 'Progressing');
  const failed = progressing?.reason === 'ProgressDeadlineExceeded';
  const complete =
    observed &&
    updated >= desired &&
    total <= updated &&
    available >= updated &&
    !failed;
  const digests = new Set<string>();
  for (const pod of pods) {
    for (const c of pod.status?.containerStatuses ?? []) {
      const digest = digestOf(c.imageID) ?? digestOf(c.image);
      if (digest) digests.add(digest);
    }
  }
  let message: string | undefined;
  if (failed) message = progressing?.message;
  else if (!observed)
    message = 'waiting for the controller to see the new spec';
  else if (updated < desired)
    message = `${updated} of ${desired} replicas updated`;
  else if (total > updated)
    message = `${total - updated} old replicas are pending termination`;
  else if (available < updated)
    message = `${available} of ${updated} updated replicas available`;
  return {
    name: deployment.metadata?.name ?? '',
    namespace: deployment.metadata?.namespace ?? '',
    generation: deployment.metadata?.generation,
    observedGeneration: status.observedGeneration,
    desiredReplicas: desired,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    complete,
    failed,
    message,
    images: (spec?.template?.spec?.containers ?? [])
      .map(c => c.image ?? '')
      .filter(Boolean),
    liveImageDigests: [...digests],
  };
}
