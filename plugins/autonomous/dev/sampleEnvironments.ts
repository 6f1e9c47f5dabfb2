import {
  EnvironmentStatus,
  PodSummary,
  ProjectStatus,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { sampleProject } from './sampleProject';

/** Each environment as the sample releases leave it: the newest healthy one serves. */
export function sampleStatus(
  all: Release[],
  automated: ReadonlyMap<string, boolean>,
): ProjectStatus {
  const environments = sampleProject.environments.map(
    ({ name, namespace }): EnvironmentStatus => {
      const lastRelease = all.find(r => r.environment === name);
      const runningRelease = all.find(
        r => r.environment === name && r.status === 'healthy',
      );
      const rolling = lastRelease?.status === 'progressing';
      const ready = rolling ? 1 : 2;
      const serving = runningRelease
        ? `${runningRelease.version} is serving (${ready}/2 ready)`
        : 'nothing serves';
      return {
        environment: name,
        namespace,
        argocdApplication: `shop-${name}`,
        lastRelease,
        runningRelease,
        running: {
          images: runningRelease?.imageRef ? [runningRelease.imageRef] : [],
          digest: runningRelease?.imageRef?.split('@')[1],
          desiredReplicas: 2,
          readyReplicas: ready,
          updatedReplicas: ready,
          availableReplicas: ready,
          rolloutComplete: !rolling,
        },
        sync: {
          status: rolling ? 'OutOfSync' : 'Synced',
          automated: automated.get(name) ?? true,
        },
        health: { status: rolling ? 'Progressing' : 'Healthy' },
        summary:
          lastRelease && lastRelease.id !== runningRelease?.id
            ? `Release ${lastRelease.version} is ${lastRelease.status}; ${serving}`
            : `${serving[0].toUpperCase()}${serving.slice(1)}`,
      };
    },
  );
  return { entityRef: sampleProject.entityRef, environments };
}

/** Two pods per environment; the second restarted once, so it has previous logs. */
export function samplePods(environment: string): PodSummary[] {
  return [1, 2].map(n => ({
    name: `shop-web-${environment}-${n}`,
    phase: 'Running',
    ready: true,
    restarts: n === 2 ? 1 : 0,
    containers: ['web', 'metrics'],
    images: ['harbor.example.com/shop/web@sha256:…'],
    startedAt: new Date(Date.now() - n * 3600_000).toISOString(),
    hasPreviousLogs: n === 2,
  }));
}
