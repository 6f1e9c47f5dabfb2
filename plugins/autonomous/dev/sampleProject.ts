import { Entity } from '@backstage/catalog-model';
import {
  Project,
  Release,
  ReleaseStatus,
  ReleaseTrigger,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

/** Sample data for the dev app only: a project with enough history to page through. */
export const sampleEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'shop',
    namespace: 'default',
    annotations: {
      'autonomous.dev/project': 'monolith',
      'autonomous.dev/environments': 'staging,production',
      'autonomous.dev/auto-deploy': 'true',
    },
  },
  spec: {
    type: 'service',
    owner: 'group:default/team-a',
    lifecycle: 'production',
  },
};

export const sampleProject: Project = {
  entityRef: 'component:default/shop',
  kind: 'monolith',
  autoDeploy: true,
  environments: [
    {
      name: 'staging',
      namespace: 'shop-staging',
      branch: 'main',
      autoDeploy: true,
      domains: ['shop.staging.example.com'],
    },
    {
      name: 'production',
      namespace: 'shop',
      branch: 'main',
      autoDeploy: false,
      domains: ['shop.example.com'],
    },
  ],
  upstreams: { argocdAppName: 'shop' },
};

const statuses: ReleaseStatus[] = [
  'healthy',
  'healthy',
  'healthy',
  'failed',
  'healthy',
  'rolled-back',
  'healthy',
  'cancelled',
];
const triggers: ReleaseTrigger[] = ['webhook', 'manual', 'cli', 'rollback'];

/** Finished releases, newest first; the sample API adds the ones started from the page. */
export const sampleHistory: Release[] = Array.from({ length: 45 }, (_, i) => {
  const startedAt = new Date(Date.now() - (i * 3 + 1) * 3600_000);
  const status = statuses[i % statuses.length];
  const durationMs = 90_000 + i * 7_000;
  return {
    id: `rel-${45 - i}`,
    number: 45 - i,
    entityRef: sampleProject.entityRef,
    environment: i % 3 === 0 ? 'production' : 'staging',
    version: `main-${45 - i}`,
    commitSha: `${(0x9e3779b + i * 0x5bd1e99).toString(16)}`.padEnd(40, '0'),
    commitMessage: `Change ${45 - i}: tidy the checkout flow`,
    trigger: triggers[i % triggers.length],
    requestedBy: i % 4 === 0 ? 'git push' : 'user:default/jane.doe',
    status,
    createdAt: startedAt.toISOString(),
    startedAt: startedAt.toISOString(),
    imageRef:
      status === 'failed' || status === 'cancelled'
        ? undefined
        : `harbor.example.com/shop/web@sha256:${String(45 - i).padStart(
            64,
            'a',
          )}`,
    finishedAt: new Date(startedAt.getTime() + durationMs).toISOString(),
    durationMs,
  };
});
