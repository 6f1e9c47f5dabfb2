import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FakePortal } from './__testUtils__/portalServer.ts';
import { startFakePortal } from './__testUtils__/portalServer.ts';
import { runCli } from './__testUtils__/runCli.ts';

/** The backend's API document: every request the CLI sends must be an operation there. */
const DOCUMENT = resolve(
  __dirname,
  '../../../plugins/autonomous-backend/src/schema/openapi.yaml',
);

/** `GET /releases/{id}`, … for every operation, read from the document's `paths:` block. */
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

function operationOf(operations: string[], method: string, path: string) {
  return operations.find(operation => {
    const [opMethod, template] = operation.split(' ');
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return opMethod === method && pattern.test(path);
  });
}

describe("the CLI's requests", () => {
  let portal: FakePortal;
  beforeEach(async () => {
    portal = await startFakePortal();
  });
  afterEach(() => portal.close());

  it('are all operations of the API document, every command included', async () => {
    const operations = documentedOperations();
    expect(operations.length).toBeGreaterThan(10);
    const image = (tag: string) => `harbor.test/shop/storefront@sha256:${tag}`;
    const [building, current, previous] = portal.seed([
      { version: 'v4', environment: 'staging', status: 'building' },
      {
        version: 'v3',
        environment: 'staging',
        imageRef: image('b'),
        status: 'healthy',
      },
      {
        version: 'v2',
        environment: 'staging',
        imageRef: image('a'),
        status: 'healthy',
      },
    ]);
    portal.buildLog = ['Finished: SUCCESS\n'];
    portal.status = {
      entityRef: 'component:default/storefront',
      environments: [],
    };

    const commands = [
      ['deploy', 'storefront', '--env', 'staging', '--queue', '--wait'],
      ['releases', 'storefront', '--env', 'staging'],
      ['rollback', 'storefront', '--env', 'staging', '--to', previous.id],
      ['redeploy', current.id, '--env', 'production'],
      ['cancel', building.id],
      ['status', 'storefront'],
      ['logs', current.id],
      ['logs', current.id, '--follow'],
    ];
    const used = new Set<string>();
    for (const argv of commands) {
      const before = portal.requests.length;
      const result = await runCli(argv, { portal });
      expect({ argv, code: result.code, stderr: result.stderr }).toEqual({
        argv,
        code: 0,
        stderr: '',
      });
      const sent = portal.requests.slice(before);
      expect(sent.length).toBeGreaterThan(0);
      for (const request of sent) {
        const path = request.path.replace(/^\/api\/autonomous/, '');
        const operation = operationOf(operations, request.method, path);
        expect({ request: `${request.method} ${path}`, operation }).toEqual({
          request: `${request.method} ${path}`,
          operation: expect.any(String),
        });
        used.add(operation!);
      }
    }
    // The release operations a CI pipeline needs are all reachable from the command line.
    expect([...used].sort()).toEqual(
      expect.arrayContaining([
        'GET /projects/{kind}/{namespace}/{name}/releases',
        'POST /projects/{kind}/{namespace}/{name}/releases',
        'GET /projects/{kind}/{namespace}/{name}/status',
        'GET /releases/{id}',
        'POST /releases/{id}/cancel',
        'POST /releases/{id}/redeploy',
        'POST /releases/{id}/rollback',
        'GET /releases/{id}/build-log/download',
        'GET /releases/{id}/build-log/stream',
      ]),
    );
  });
});
