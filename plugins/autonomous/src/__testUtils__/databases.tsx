import {
  Backup,
  DatabaseEvent,
  DatabaseInstance,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { SWRConfig } from 'swr';
import { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { AutonomousApi, autonomousApiRef, DatabaseEngineList } from '../api';
import { DatabaseContent } from '../components/DatabaseTab';
import { mockAutonomousApi } from './releases';

export const databaseEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'orders-db',
    namespace: 'default',
    annotations: { 'autonomous.dev/database-engine': 'postgresql' },
  },
  spec: { type: 'database', owner: 'team-a' },
};

export const DATABASE_REF = 'resource:default/orders-db';

export const engines: DatabaseEngineList = {
  defaultEngine: 'postgresql',
  items: [
    {
      engine: 'postgresql',
      title: 'PostgreSQL',
      versions: ['16', '15'],
      defaultVersion: '16',
      defaultStorageGi: 10,
      modes: [
        { mode: 'single', available: true },
        {
          mode: 'cluster',
          available: false,
          reason:
            'Cluster mode is not available: only single-instance databases can be provisioned',
        },
      ],
    },
    {
      engine: 'mysql',
      title: 'MySQL',
      versions: ['8.4', '8.0'],
      defaultVersion: '8.4',
      defaultStorageGi: 20,
      modes: [{ mode: 'single', available: true }],
    },
  ],
};

export function anInstance(
  overrides: Partial<DatabaseInstance> = {},
): DatabaseInstance {
  return {
    id: 'db-1',
    entityRef: DATABASE_REF,
    name: 'orders-db',
    engine: 'postgresql',
    version: '16',
    mode: 'single',
    environment: 'production',
    namespace: 'db-orders-db',
    storageGi: 10,
    status: 'ready',
    credentialsPath: 'autonomous/databases/orders-db',
    createdBy: 'user:default/jane',
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:02:00.000Z',
    connection: {
      host: '10.0.0.7',
      port: 5432,
      database: 'orders_db',
      username: 'orders_db_owner',
      readonlyUsername: 'orders_db_readonly',
    },
    ...overrides,
  };
}

export function anEvent(
  step: DatabaseEvent['step'],
  status: DatabaseEvent['status'],
  message: string,
  minute: number,
): DatabaseEvent {
  return {
    id: `${step}-${status}`,
    databaseId: 'db-1',
    step,
    status,
    message,
    createdAt: `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
  };
}

export function aBackup(overrides: Partial<Backup> = {}): Backup {
  return {
    id: 'bk-1',
    databaseId: 'db-1',
    trigger: 'manual',
    status: 'succeeded',
    sizeBytes: 48_213,
    requestedBy: 'user:default/jane',
    createdAt: '2026-12-02T03:00:00.000Z',
    startedAt: '2026-12-02T03:00:00.000Z',
    finishedAt: '2026-12-02T03:00:04.000Z',
    durationMs: 4_000,
    engine: 'postgresql',
    fileName: 'orders-db-bk-1.dump',
    ...overrides,
  };
}

/** The Autonomous API with one ready instance of orders-db, one backup, no schedule. */
export function mockDatabaseApi(
  overrides: Partial<AutonomousApi> = {},
): jest.Mocked<AutonomousApi> {
  return mockAutonomousApi({
    listDatabaseEngines: jest.fn().mockResolvedValue(engines),
    listDatabases: jest.fn().mockResolvedValue([anInstance()]),
    getDatabase: jest.fn().mockResolvedValue(anInstance()),
    listDatabaseEvents: jest
      .fn()
      .mockResolvedValue([
        anEvent('accepted', 'info', 'Provisioning requested by jane', 0),
        anEvent('ready', 'succeeded', 'orders-db is ready', 2),
      ]),
    listBackups: jest.fn().mockResolvedValue({
      items: [aBackup()],
      schedule: { retentionCount: 7 },
    }),
    provisionDatabase: jest.fn().mockRejectedValue(new Error('not used')),
    getDatabaseCredentials: jest.fn().mockRejectedValue(new Error('not used')),
    deleteDatabase: jest.fn().mockRejectedValue(new Error('not used')),
    createBackup: jest.fn().mockRejectedValue(new Error('not used')),
    downloadBackup: jest.fn().mockRejectedValue(new Error('not used')),
    deleteBackup: jest.fn().mockRejectedValue(new Error('not used')),
    restoreBackup: jest.fn().mockRejectedValue(new Error('not used')),
    getBackupSettings: jest.fn().mockRejectedValue(new Error('not used')),
    updateBackupSettings: jest.fn().mockRejectedValue(new Error('not used')),
    ...overrides,
  });
}

/** The Database tab of orders-db (or another entity) with the given API and policy. */
export async function renderDatabaseTab(
  api: jest.Mocked<AutonomousApi>,
  options: { entity?: Entity; denied?: string[]; signals?: SignalApi } = {},
) {
  const denied = options.denied ?? [];
  const permissionApi = mockApis.permission({
    authorize: (request: EvaluatePermissionRequest) =>
      denied.includes(request.permission.name)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  });
  const apis: any[] = [
    [autonomousApiRef, api],
    [permissionApiRef, permissionApi],
  ];
  if (options.signals) {
    apis.push([signalApiRef, options.signals]);
  }
  // usePermission caches answers in SWR's global cache: each render gets its own.
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider apis={apis as any}>
        <EntityProvider entity={options.entity ?? databaseEntity}>
          <DatabaseContent />
        </EntityProvider>
      </TestApiProvider>
    </SWRConfig>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}
