import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { JsonObject } from '@backstage/config';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadRepoConfig } from './__testUtils__/loadRepoConfig';

jest.setTimeout(60_000);

/** Serves __fixtures__ over HTTP: users register url locations. */
const fixtures = {
  server: http.createServer((req, res) => {
    const name = path.basename(req.url ?? '');
    const file = path.join(__dirname, '__fixtures__', name);
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/yaml' });
    res.end(fs.readFileSync(file));
  }),
  host: '',
};
const fixture = (name: string) => `http://${fixtures.host}/${name}`;

beforeAll(async () => {
  await new Promise<void>(resolve =>
    fixtures.server.listen(0, '127.0.0.1', resolve),
  );
  fixtures.host = `127.0.0.1:${
    (fixtures.server.address() as AddressInfo).port
  }`;
});
afterAll(() => fixtures.server.close());

async function waitFor(check: () => Promise<void>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }
}

/** The backend's working directory, against which app-config.yaml's file targets resolve. */
const BACKEND_DIR = path.resolve(__dirname, '..');

describe('the catalog rules of app-config.yaml', () => {
  async function startCatalog() {
    const config = await loadRepoConfig(['app-config.yaml']);
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        mockServices.rootConfig.factory({
          data: {
            // Where the registered locations are served from.
            backend: { reading: { allow: [{ host: fixtures.host }] } },
            catalog: {
              rules: config
                .getConfigArray('catalog.rules')
                .map(r => r.get<JsonObject>()),
              // The org file, with the rules app-config.yaml gives it.
              // File targets are relative to the backend's working directory,
              // packages/backend; a test runner may run from anywhere.
              locations: config
                .getConfigArray('catalog.locations')
                .map(l => l.get<JsonObject>())
                .filter(l => JSON.stringify(l).includes('org.yaml'))
                .map(l => ({
                  ...l,
                  target: path.resolve(BACKEND_DIR, String(l.target)),
                })),
            },
          },
        }),
      ],
    });
    const call = (url: string, init: RequestInit = {}) =>
      fetch(`http://localhost:${server.port()}/api/catalog${url}`, {
        ...init,
        headers: {
          Authorization: mockCredentials.user.header(),
          'Content-Type': 'application/json',
        },
      });
    const names = async (kind: string) => {
      const res = await call(`/entities/by-query?filter=kind=${kind}`);
      const body = await res.json();
      return (body.items as { metadata: { name: string } }[])
        .map(e => e.metadata.name)
        .sort();
    };
    return { call, names };
  }

  it('refuse a registered location that brings a User or a Group', async () => {
    const { call } = await startCatalog();
    const refused = await call('/locations?dryRun=true', {
      method: 'POST',
      body: JSON.stringify({
        type: 'url',
        target: fixture('registered-location.yaml'),
      }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(
      /group:default\/platform-team-2 .* is not of an allowed kind/,
    );

    const accepted = await call('/locations?dryRun=true', {
      method: 'POST',
      body: JSON.stringify({
        type: 'url',
        target: fixture('registered-component.yaml'),
      }),
    });
    expect(accepted.status).toBe(201);
  });

  it('take Users and Groups from the org file only', async () => {
    const { call, names } = await startCatalog();
    for (const file of [
      'registered-location.yaml',
      'registered-component.yaml',
    ]) {
      const res = await call('/locations', {
        method: 'POST',
        body: JSON.stringify({ type: 'url', target: fixture(file) }),
      });
      expect(res.status).toBe(201);
    }

    await waitFor(async () =>
      expect(await names('component')).toEqual(['mallory-service']),
    );
    await waitFor(async () =>
      expect(await names('user')).toEqual(
        expect.arrayContaining(['alice', 'carol', 'guest']),
      ),
    );
    expect(await names('user')).not.toContain('mallory');
    expect(await names('group')).toContain('platform-team');
    expect(await names('group')).not.toContain('platform-team-2');
  });
});
