// The test runs in Node and reads the backend's API document; the package itself never does.
// eslint-disable-next-line no-restricted-imports
import { readFileSync } from 'fs';
// eslint-disable-next-line no-restricted-imports
import { resolve } from 'path';
import { mockApis } from '@backstage/test-utils';
import { AutonomousClient } from './AutonomousClient';

/** The backend's API document: every route the client may call is written there. */
const DOCUMENT = resolve(
  __dirname,
  '../../../autonomous-backend/src/schema/openapi.yaml',
);

/** `GET /releases/{id}` for every operation, read from the document's fixed layout. */
function documentedOperations(): string[] {
  const operations: string[] = [];
  let inPaths = false;
  let path: string | undefined;
  for (const line of readFileSync(DOCUMENT, 'utf8').split('\n')) {
    if (/^\S/.test(line)) inPaths = line.startsWith('paths:');
    if (!inPaths) continue;
    const pathMatch = /^ {2}(\/\S*):\s*$/.exec(line);
    if (pathMatch) path = pathMatch[1];
    const method = /^ {4}(get|post|put|delete|patch):\s*$/.exec(line);
    if (method && path) operations.push(`${method[1].toUpperCase()} ${path}`);
  }
  return operations;
}

function templateOf(
  operations: string[],
  method: string,
  path: string,
): string | undefined {
  return operations.find(operation => {
    const [opMethod, template] = operation.split(' ');
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return opMethod === method && pattern.test(path);
  });
}

describe("the client's requests", () => {
  it('are all operations of the API document, and cover every one a page needs', async () => {
    const calls: Array<{ method: string; path: string }> = [];
    const client = new AutonomousClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: {
        fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
          const url = new URL(String(input));
          calls.push({
            method: init?.method ?? 'GET',
            path: url.pathname.replace(/^\/api\/autonomous/, ''),
          });
          return new Response('{"items":[]}', {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          });
        },
      },
    });
    const entity = 'component:default/shop';
    const id = '6f1c1d8e-7a39-4c4e-9d7e-5f3b0c2a1e11';
    const drain = async (stream: AsyncGenerator<string>) => {
      for await (const _ of stream) {
        // read to the end
      }
    };

    await client.getProject(entity);
    await client.listReleases(entity);
    await client.getRelease(id);
    await client.getReleaseHealthGates(id);
    await client.createRelease(entity, { environment: 'production' });
    await client.cancelRelease(id, {});
    await client.redeployRelease(id, {});
    await client.rollbackRelease(id, {});
    await client.getProjectStatus(entity);
    await client.syncEnvironment(entity, 'production');
    await client.refreshEnvironment(entity, 'production');
    await client.reconcileEnvironment(entity, 'production');
    await client.getEnvironmentDrift(entity, 'production');
    await client.getEnvironmentRollout(entity, 'production');
    await client.promoteEnvironmentRollout(entity, 'production', {
      full: true,
    });
    await client.abortEnvironmentRollout(entity, 'production');
    await client.setAutomatedSync(entity, 'production', true);
    await client.getHealthGates(entity, 'production');
    await client.setHealthGates(entity, 'production', {
      autoRollback: true,
      gates: [],
    });
    await client.getBuildLog(id);
    await drain(client.streamBuildLog(id));
    await client.downloadBuildLog(id);
    await client.listPods(entity, 'production');
    await client.podLogs(entity, 'production', 'shop-web-1');
    await drain(client.streamPodLogs(entity, 'production', 'shop-web-1'));
    await client.downloadPodLogs(entity, 'production', 'shop-web-1');
    await client.listUpstreamInstances(entity, 'jenkins');
    await client.getProjectWebhook(entity);
    await client.rotateWebhookSecret(entity);
    await client.listWebhookDeliveries(entity, { limit: 5 });
    await client.getProjectSettings(entity);
    await client.setAutoDeploy(entity, 'production', { enabled: true });
    await client.setDomains(entity, 'production', { domains: [] });
    await client.setVariables(entity, 'production', { variables: [] });
    await client.setScaling(entity, 'production', { replicas: 1 });
    await client.listProjectServices(entity);
    await client.deployServices(entity, {
      environment: 'production',
      services: ['payments-api'],
    });
    await client.deleteProject(entity, { confirm: 'shop' });
    const database = 'resource:default/orders-db';
    await client.listDatabaseEngines(database);
    await client.listDatabases(database);
    await client.provisionDatabase({ entityRef: database });
    await client.getDatabase(id);
    await client.listDatabaseEvents(id);
    await client.getDatabaseCredentials(id, 'readonly');
    await client.deleteDatabase(id, { confirm: 'orders', finalBackup: true });
    await client.listBackups(id);
    await client.createBackup(id);
    await client.downloadBackup(id, id);
    await client.deleteBackup(id, id);
    await client.restoreBackup(id, id, { target: 'new' });
    await client.getBackupSettings(id);
    await client.updateBackupSettings(id, { retentionCount: 7 });
    for await (const _ of client.runConsoleStatement(id, {
      statement: 'select 1',
      runId: id,
    })) {
      // read to the end
    }
    await client.cancelConsoleStatement(id, id);
    await client.exportConsoleResult(id, {
      statement: 'select 1',
      format: 'csv',
    });
    await client.listConsoleHistory(id, { mine: false });
    await client.listSavedQueries(id);
    const query = { name: 'one', statement: 'select 1', shared: false };
    await client.createSavedQuery(id, query);
    await client.updateSavedQuery(id, id, query);
    await client.deleteSavedQuery(id, id);
    await client.listProjectListings({ limit: 200 });
    await client.listDatabaseListings({ cursor: 'next' });
    await client.getDeliveryMetrics({ owner: 'group:default/shop', window: 7 });
    await client.listMetricsReleases({
      entityRef: 'component:default/storefront',
      figure: 'changeFailureRate',
      bucketStart: '2026-11-01T00:00:00.000Z',
      cursor: 'next',
    });

    const operations = documentedOperations();
    expect(operations.length).toBeGreaterThan(10);
    const used = calls.map(call => ({
      call: `${call.method} ${call.path}`,
      operation: templateOf(operations, call.method, call.path),
    }));
    for (const { call, operation } of used) {
      expect({ call, documented: Boolean(operation) }).toEqual({
        call,
        documented: true,
      });
    }
    // Upstream notifications, Git webhooks, the search index of releases and the health check are for
    // machines, not for the pages (the Autonomous page lists projects and databases).
    const forPages = operations.filter(
      op =>
        !op.includes('/notifications/') &&
        !op.startsWith('POST /webhooks/') &&
        op !== 'GET /index/releases' &&
        op !== 'GET /health',
    );
    expect(new Set(used.map(u => u.operation))).toEqual(new Set(forPages));
  });
});
