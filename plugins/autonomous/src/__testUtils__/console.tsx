import { SWRConfig } from 'swr';
import { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { AutonomousApi, autonomousApiRef, ConsoleStreamEvent } from '../api';
import { DatabaseConsoleContent } from '../components/DatabaseConsole';
import { databaseEntity, mockDatabaseApi } from './databases';

/** An NDJSON answer as the client yields it: the columns, the rows, the end. */
export async function* answer(
  events: ConsoleStreamEvent[],
): AsyncGenerator<ConsoleStreamEvent> {
  for (const event of events) {
    yield event;
  }
}

/** A result of `count` rows of (id int4, item text), capped or not. */
export function rowsAnswer(
  count: number,
  options: { truncated?: boolean; durationMs?: number } = {},
): ConsoleStreamEvent[] {
  return [
    {
      type: 'columns',
      columns: [
        { name: 'id', type: 'int4' },
        { name: 'item', type: 'text' },
      ],
    },
    ...Array.from(
      { length: count },
      (_, i): ConsoleStreamEvent => ({
        type: 'row',
        values: [i + 1, `item ${i + 1}`],
      }),
    ),
    {
      type: 'end',
      rowCount: count,
      truncated: options.truncated ?? false,
      durationMs: options.durationMs ?? 42,
    },
  ];
}

/** The database API of orders-db with an empty console: no history, nothing saved. */
export function mockConsoleApi(
  overrides: Partial<AutonomousApi> = {},
): jest.Mocked<AutonomousApi> {
  return mockDatabaseApi({
    runConsoleStatement: jest.fn(() => answer(rowsAnswer(2))),
    cancelConsoleStatement: jest.fn().mockResolvedValue(undefined),
    exportConsoleResult: jest.fn().mockRejectedValue(new Error('not used')),
    listConsoleHistory: jest.fn().mockResolvedValue({ items: [] }),
    listSavedQueries: jest.fn().mockResolvedValue([]),
    createSavedQuery: jest.fn().mockRejectedValue(new Error('not used')),
    updateSavedQuery: jest.fn().mockRejectedValue(new Error('not used')),
    deleteSavedQuery: jest.fn().mockRejectedValue(new Error('not used')),
    ...overrides,
  });
}

/** The Console tab of orders-db, signed in as jane, with the permissions not denied. */
export async function renderConsoleTab(
  api: jest.Mocked<AutonomousApi>,
  options: { entity?: Entity; denied?: string[] } = {},
) {
  const denied = options.denied ?? [];
  const permissionApi = mockApis.permission({
    authorize: (request: EvaluatePermissionRequest) =>
      denied.includes(request.permission.name)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  });
  const identityApi = mockApis.identity({
    userEntityRef: 'user:default/jane',
  });
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [autonomousApiRef, api],
          [permissionApiRef, permissionApi],
          [identityApiRef, identityApi],
        ]}
      >
        <EntityProvider entity={options.entity ?? databaseEntity}>
          <DatabaseConsoleContent />
        </EntityProvider>
      </TestApiProvider>
    </SWRConfig>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}
