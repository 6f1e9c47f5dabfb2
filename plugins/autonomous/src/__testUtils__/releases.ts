import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  Project,
  ProjectStatus,
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

/** Both environments healthy; v1.0.0 runs in production. */
export const projectStatus: ProjectStatus = {
  entityRef: 'component:default/shop',
  environments: [
    {
      environment: 'staging',
      namespace: 'shop-staging',
      summary: 'Nothing released to staging yet',
    },
    {
      environment: 'production',
      namespace: 'shop',
      summary: 'v1.0.0 is serving (2/2 ready)',
      runningRelease: aRelease(),
      lastRelease: aRelease(),
      sync: { status: 'Synced', automated: true },
      health: { status: 'Healthy' },
      running: {
        images: ['harbor.example.com/shop/web@sha256:aaaa'],
        digest: 'sha256:aaaa',
        desiredReplicas: 2,
        readyReplicas: 2,
        updatedReplicas: 2,
        availableReplicas: 2,
        rolloutComplete: true,
      },
    },
  ],
};

export function aRelease(overrides: Partial<Release> = {}): Release {
  return {
    id: 'rel-1',
    number: 1,
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
    listProjectServices: jest.fn().mockRejectedValue(new Error('not used')),
    deployServices: jest.fn().mockRejectedValue(new Error('not used')),
    deleteProject: jest.fn().mockRejectedValue(new Error('not used')),
    listReleases: jest.fn().mockResolvedValue({ items: [] }),
    getRelease: jest.fn().mockRejectedValue(new Error('not used')),
    getReleaseHealthGates: jest
      .fn()
      .mockImplementation(async (releaseId: string) => ({
        releaseId,
        gates: [],
        steps: [],
      })),
    createRelease: jest.fn().mockRejectedValue(new Error('not used')),
    cancelRelease: jest.fn().mockRejectedValue(new Error('not used')),
    redeployRelease: jest.fn().mockRejectedValue(new Error('not used')),
    rollbackRelease: jest.fn().mockRejectedValue(new Error('not used')),
    getProjectStatus: jest.fn().mockResolvedValue(projectStatus),
    syncEnvironment: jest.fn().mockResolvedValue({ message: 'Sync requested' }),
    refreshEnvironment: jest
      .fn()
      .mockResolvedValue({ message: 'Hard refresh requested' }),
    getEnvironmentDrift: jest.fn().mockRejectedValue(new Error('not used')),
    reconcileEnvironment: jest
      .fn()
      .mockResolvedValue({ message: 'Reconcile requested' }),
    getEnvironmentRollout: jest
      .fn()
      .mockImplementation(async (_entityRef: unknown, environment: string) => ({
        environment,
        strategy: 'rolling',
        paused: false,
        aborted: false,
        inProgress: false,
        steps: [],
        promote: { possible: false, reason: 'a rolling update' },
        abort: { possible: false, reason: 'a rolling update' },
      })),
    promoteEnvironmentRollout: jest
      .fn()
      .mockRejectedValue(new Error('not used')),
    abortEnvironmentRollout: jest.fn().mockRejectedValue(new Error('not used')),
    getHealthGates: jest.fn().mockRejectedValue(new Error('not used')),
    setHealthGates: jest.fn().mockRejectedValue(new Error('not used')),
    setAutomatedSync: jest
      .fn()
      .mockResolvedValue({ message: 'Automated sync changed' }),
    getBuildLog: jest
      .fn()
      .mockResolvedValue({ text: '', nextStart: 0, more: false }),
    streamBuildLog: jest.fn(async function* noLog() {}),
    downloadBuildLog: jest.fn().mockRejectedValue(new Error('not used')),
    listPods: jest.fn().mockResolvedValue([]),
    podLogs: jest.fn().mockResolvedValue(''),
    streamPodLogs: jest.fn(async function* noLog() {}),
    downloadPodLogs: jest.fn().mockRejectedValue(new Error('not used')),
    ...overrides,
  } as jest.Mocked<AutonomousApi>;
}

/** The error the client throws for a backend answer with this status and message. */
export async function aResponseError(
  statusCode: number,
  message: string,
  name: string = 'Error',
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({ error: { name, message }, response: { statusCode } }),
      { status: statusCode, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}

/** The sample project with production drifted from Git: a Deployment and an Ingress differ. */
export const driftedProjectStatus: ProjectStatus = {
  ...projectStatus,
  environments: [
    projectStatus.environments[0],
    {
      ...projectStatus.environments[1],
      sync: { status: 'OutOfSync', automated: false },
      drift: {
        environment: 'production',
        argocdApplication: 'shop',
        drifted: true,
        since: '2026-12-06T05:00:00.000Z',
        resources: [
          {
            group: 'apps',
            kind: 'Deployment',
            namespace: 'shop',
            name: 'shop',
            changes: [{ path: 'spec.replicas', live: '3', desired: '2' }],
            moreChanges: 2,
          },
          {
            kind: 'Ingress',
            name: 'shop',
            changes: [{ path: '', desired: 'present in Git' }],
          },
        ],
      },
    },
  ],
};
