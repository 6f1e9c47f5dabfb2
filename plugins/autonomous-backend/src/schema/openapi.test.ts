import { autonomousPermissions } from '@autonomous-dev/backstage-plugin-autonomous-common';
import knexFactory from 'knex';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  readApiDocument,
  servedApiOperations,
} from '../__testUtils__/apiDocument';
import { entityFor } from '../__testUtils__/sandboxProject';
import {
  servedRoutes,
  startAutonomousTestBackend,
} from '../__testUtils__/testBackend';
import { migrateTestDatabase } from '../database/migrations';

jest.setTimeout(60_000);

describe('the API document', () => {
  const operations = readApiDocument();

  it('describes exactly the routes the running plugin serves', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    await migrateTestDatabase(knex);
    const server = await startAutonomousTestBackend({
      knex,
      config: { autonomous: { orchestrator: { enabled: false } } },
      entities: [entityFor('storefront')],
      policy: { allows: () => true },
    });
    const served = servedRoutes(server)
      .map(r => `${r.method} ${r.path}`)
      .sort();
    const documented = servedApiOperations()
      .map(op => `${op.method} ${op.expressPath}`)
      .sort();
    // Both ways: a route served but not documented, or documented but not served, shows here.
    expect(served).toEqual(documented);
    await knex.destroy();
  });

  it('names a registered permission for every operation but the health check and the Git webhooks', () => {
    const registered = autonomousPermissions.map(p => p.name);
    const named = operations.map(op => [op.path, op.permission]);
    // The webhooks are checked by the delivery's signature instead.
    expect(named.filter(([, permission]) => permission === 'none')).toEqual([
      ['/health', 'none'],
      ['/webhooks/github', 'none'],
      ['/webhooks/gitlab', 'none'],
    ]);
    expect(
      named.filter(
        ([, permission]) =>
          permission !== 'none' && !registered.includes(permission),
      ),
    ).toEqual([]);
    // Every registered permission guards some operation: none is registered for nothing.
    expect(
      new Set(
        operations.flatMap(op =>
          op.alsoPermission
            ? [op.permission, op.alsoPermission]
            : op.permission,
        ),
      ),
    ).toEqual(new Set([...registered, 'none']));
    const ids = operations.map(op => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("matches the README's route table, route by route with its permission", () => {
    const readme = readFileSync(
      resolve(__dirname, '..', '..', 'README.md'),
      'utf8',
    );
    const rows = [
      ...readme.matchAll(/^\| `([A-Z]+) (\/[^`]*)` +\| (?:`([^`]+)`|none) /gm),
    ].map(([, method, path, permission]) => ({
      route: `${method} ${path}`,
      permission: permission ?? 'none',
    }));
    expect(rows.sort((a, b) => a.route.localeCompare(b.route))).toEqual(
      operations
        .map(op => ({
          route: `${op.method} ${op.expressPath}`,
          permission: op.permission,
        }))
        .sort((a, b) => a.route.localeCompare(b.route)),
    );
  });

  it('refuses a document whose operation lacks its permission', () => {
    expect(() =>
      readApiDocument(
        [
          'paths:',
          '  /x:',
          '    get:',
          '      operationId: getX',
          '      responses:',
          "        '200':",
          '          description: x',
        ].join('\n'),
      ),
    ).toThrow('GET /x in openapi.yaml needs');
  });
});
