import { Entity } from '@backstage/catalog-model';
import {
  Project,
  Release,
  RELEASE_PAGE_SIZE,
  ReleasePage,
  ReleaseStatus,
  ReleaseTrigger,
  ReleaseWithEvents,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AutonomousApi, ListReleasesOptions } from '../src';

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

const project: Project = {
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
  'building',
  'healthy',
  'healthy',
  'failed',
  'healthy',
  'rolled-back',
  'healthy',
  'cancelled',
];
const triggers: ReleaseTrigger[] = ['webhook', 'manual', 'cli', 'rollback'];

const releases: Release[] = Array.from({ length: 45 }, (_, i) => {
  const startedAt = new Date(Date.now() - (i * 3 + 1) * 3600_000);
  const status = statuses[i % statuses.length];
  const durationMs = status === 'building' ? undefined : 90_000 + i * 7_000;
  return {
    id: `rel-${45 - i}`,
    entityRef: project.entityRef,
    environment: i % 3 === 0 ? 'production' : 'staging',
    version: `v1.${45 - i}.0`,
    commitSha: `${(0x9e3779b + i * 0x5bd1e99).toString(16)}`.padEnd(40, '0'),
    commitMessage: `Change ${45 - i}: tidy the checkout flow`,
    trigger: triggers[i % triggers.length],
    requestedBy: i % 4 === 0 ? 'git push' : 'user:default/jane.doe',
    status,
    createdAt: startedAt.toISOString(),
    startedAt: startedAt.toISOString(),
    finishedAt:
      durationMs === undefined
        ? undefined
        : new Date(startedAt.getTime() + durationMs).toISOString(),
    durationMs,
  };
});

export class SampleAutonomousApi implements AutonomousApi {
  async getProject(): Promise<Project> {
    return project;
  }

  async listReleases(
    _entityRef: unknown,
    options: ListReleasesOptions = {},
  ): Promise<ReleasePage> {
    const limit = options.limit ?? RELEASE_PAGE_SIZE.default;
    const start = options.cursor ? Number(options.cursor) : 0;
    const end = start + limit;
    return {
      items: releases.slice(start, end),
      nextCursor: end < releases.length ? String(end) : undefined,
    };
  }

  async getRelease(id: string): Promise<ReleaseWithEvents> {
    const release = releases.find(r => r.id === id);
    if (!release) {
      throw new Error(`No release ${id} in the sample data`);
    }
    return { ...release, events: [] };
  }
}
