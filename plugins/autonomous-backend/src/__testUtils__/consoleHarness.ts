import {
  DatabaseEngine,
  DatabaseInstance,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { mockServices } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { randomUUID } from 'node:crypto';
import { ConsoleMode, DatabaseConsoleStore } from '../database/ConsoleStore';
import { migrateTestDatabase } from '../database/migrations';
import { ConsoleService, RunSummary } from '../console/ConsoleService';
import { ConsoleColumn, ConsoleEngine } from '../console/types';

export const CREDENTIALS = {
  owner: { username: 'orders_owner', password: 'owner-secret' },
  readonly: { username: 'orders_ro', password: 'reader-secret' },
};

export interface HarnessRun {
  columns: ConsoleColumn[];
  rows: unknown[][];
  summary: RunSummary;
}

/**
 * A ConsoleService for one engine's adapter against a local fake of the database, its trail
 * on SQLite: what the route does between parsing the request and writing the answer.
 */
export async function consoleHarness(options: {
  engine: DatabaseEngine;
  adapter: ConsoleEngine;
  port: number;
  database?: string;
  timeoutMs?: number;
}) {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  await migrateTestDatabase(knex);
  const store = new DatabaseConsoleStore(knex);
  const service = new ConsoleService({
    store,
    credentials: async (_instance, user) => CREDENTIALS[user],
    settings: {
      timeoutMs: options.timeoutMs ?? 2_000,
      maxRows: 1_000,
      maxRowsLimit: 100_000,
    },
    logger: mockServices.logger.mock(),
    engines: { [options.engine]: options.adapter },
  });
  const now = new Date().toISOString();
  const instance: DatabaseInstance = {
    id: randomUUID(),
    entityRef: 'resource:default/orders-db',
    name: 'orders',
    engine: options.engine,
    version: '1',
    mode: 'single',
    environment: 'dev',
    namespace: 'db-orders',
    storageGi: 1,
    status: 'ready',
    connection: {
      host: '127.0.0.1',
      port: options.port,
      database: options.database ?? 'orders',
    },
    credentialsPath: 'autonomous/databases/orders',
    createdBy: 'user:default/ada',
    createdAt: now,
    updatedAt: now,
  };
  const actor = 'user:default/ada';

  return {
    service,
    instance,
    /** Starts a statement; `onRow` sees each row as it is streamed (and may cancel). */
    async run(
      statement: string,
      runOptions: {
        mode?: ConsoleMode;
        maxRows?: number;
        runId?: string;
        onRow?: (values: unknown[], index: number) => void | Promise<void>;
      } = {},
    ): Promise<HarnessRun> {
      const started = await service.start({
        instance,
        actor,
        mode: runOptions.mode ?? 'read',
        statement,
        maxRows: runOptions.maxRows,
        runId: runOptions.runId,
      });
      const rows: unknown[][] = [];
      const summary = await started.stream(async values => {
        rows.push(values);
        await runOptions.onRow?.(values, rows.length - 1);
      });
      return { columns: started.columns, rows, summary };
    },
    cancel(runId: string) {
      service.cancel(instance.id, runId, actor);
    },
    /** The console's own trail for the instance, newest first. */
    async trail() {
      return (
        await store.listStatements({ databaseId: instance.id, limit: 50 })
      ).items;
    },
    close: () => knex.destroy(),
  };
}

/** The error `start` throws before any row (the database's own message), with its summary. */
export async function startError(
  promise: Promise<unknown>,
): Promise<{ message: string; summary: RunSummary }> {
  try {
    await promise;
  } catch (e) {
    return e as { message: string; summary: RunSummary };
  }
  throw new Error('the statement was expected to fail before its first row');
}
