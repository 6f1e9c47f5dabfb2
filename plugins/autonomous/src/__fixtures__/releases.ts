import { Entity } from '@backstage/catalog-model';
import {
  Project,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AutonomousApi } from '../api';

export const projectEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'shop',
    namespace: 'default',
    annotations: { 'autonomous.dev/project': 'monolith' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

export const project: Project = {
  entityRef: 'component:default/shop',
  kind: 'monolith',
  autoDeploy: true,
  environments: [
    {
      name: 'staging',
      namespace: 'shop-staging',
      branch: 'develop',
      autoDeploy: true,
      domains: [],
    },
    {
      name: 'production',
      namespace: 'shop',
      branch: 'main',
      autoDeploy: false,
      domains: ['shop.example.com'],
    },
  ],
  upstreams: {},
};

export function aRelease(overrides: Partial<Release> = {}): Release {
  return {
    id: 'rel-1',
    entityRef: 'component:default/shop',
    environment: 'production',
    version: 'v1.0.0',
    commitSha: '0123456789abcdef0123456789abcdef01234567',
    trigger: 'manual',
    requestedBy: 'user:default/jane',
    status: 'healthy',
    createdAt: '2025-01-01T10:00:00.000Z',
    startedAt: '2025-01-01T10:00:00.000Z',
    finishedAt: '2025-01-01T10:03:12.000Z',
    durationMs: 192_000,
    ...overrides,
  };
}

export function mockAutonomousApi(
  overrides: Partial<AutonomousApi> = {},
): jest.Mocked<AutonomousApi> {
  return {
    getProject: jest.fn().mockResolvedValue(project),
    listReleases: jest.fn().mockResolvedValue({ items: [] }),
    getRelease: jest.fn().mockRejectedValue(new Error('not used')),
    ...overrides,
  } as jest.Mocked<AutonomousApi>;
}
