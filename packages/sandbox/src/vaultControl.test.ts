import {
  auth,
  ContractClient,
  startTestSandbox,
} from './__testUtils__/contractClient.ts';
import type { RunningSandbox } from './sandbox.ts';

describe('Vault sandbox and the control API', () => {
  let running: RunningSandbox;
  let client: ContractClient;

  beforeEach(async () => {
    ({ running, client } = await startTestSandbox());
  });

  afterEach(async () => {
    await running.stop();
    client.assertNoProblems();
  });

  it('writes, reads, lists and deletes KV v2 secrets with a token only', async () => {
    const write = await client.json(
      'vault',
      '/v1/secret/data/autonomous/shop/db',
      'POST',
      { data: { username: 'app', password: 's3cret' } },
      auth.vault,
    );
    expect(write.status).toBe(200);
    expect(write.json.data.version).toBe(1);
    // Vault takes PUT like POST, though its specification lists only POST.
    const second = await fetch(
      `${running.url}/vault/v1/secret/data/autonomous/shop/db`,
      {
        method: 'PUT',
        headers: { ...auth.vault, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          data: { username: 'app', password: 'rotated' },
        }),
      },
    );
    expect((await second.json()).data.version).toBe(2);
    await client.json(
      'vault',
      '/v1/secret/data/autonomous/shop/api',
      'POST',
      { data: { key: 'k' } },
      auth.vault,
    );

    const read = await client.call(
      'vault',
      '/v1/secret/data/autonomous/shop/db',
      { headers: auth.vault },
    );
    expect(read.json.data.data).toEqual({
      username: 'app',
      password: 'rotated',
    });
    expect(read.json.data.metadata.version).toBe(2);
    const v1 = await client.call(
      'vault',
      '/v1/secret/data/autonomous/shop/db?version=1',
      { headers: auth.vault },
    );
    expect(v1.json.data.data.password).toBe('s3cret');

    const metadata = await client.call(
      'vault',
      '/v1/secret/metadata/autonomous/shop/db',
      { headers: auth.vault },
    );
    expect(metadata.json.data.current_version).toBe(2);
    expect(Object.keys(metadata.json.data.versions)).toEqual(['1', '2']);

    const listed = await client.call(
      'vault',
      '/v1/secret/metadata/autonomous/shop',
      { method: 'LIST', headers: auth.vault },
    );
    expect(listed.status).toBe(200);
    expect(listed.json.data.keys).toEqual(['api', 'db']);
    const listedByQuery = await client.call(
      'vault',
      '/v1/secret/metadata/autonomous?list=true',
      { headers: auth.vault },
    );
    expect(listedByQuery.json.data.keys).toEqual(['shop/']);

    const noToken = await client.call(
      'vault',
      '/v1/secret/data/autonomous/shop/db',
      { invalidOnPurpose: true },
    );
    expect(noToken.status).toBe(403);
    expect(noToken.json).toEqual({ errors: ['permission denied'] });
    const badToken = await client.call(
      'vault',
      '/v1/secret/data/autonomous/shop/db',
      { headers: { 'X-Vault-Token': 'nope' } },
    );
    expect(badToken.status).toBe(403);

    expect(
      (
        await client.call('vault', '/v1/secret/data/autonomous/shop/db', {
          method: 'DELETE',
          headers: auth.vault,
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await client.call('vault', '/v1/secret/data/autonomous/shop/db', {
          headers: auth.vault,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await client.call('vault', '/v1/secret/metadata/autonomous/shop/db', {
          method: 'DELETE',
          headers: auth.vault,
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await client.call('vault', '/v1/secret/metadata/autonomous/shop/db', {
          headers: auth.vault,
        })
      ).status,
    ).toBe(404);
  });

  it('logs in with a Kubernetes service account JWT and looks up and renews the token', async () => {
    const jwt = [
      'e30',
      Buffer.from(
        JSON.stringify({ sub: 'system:serviceaccount:backstage:backstage' }),
      ).toString('base64url'),
      'sig',
    ].join('.');
    const denied = await client.json(
      'vault',
      '/v1/auth/kubernetes/login',
      'POST',
      { role: 'unknown', jwt },
    );
    expect(denied.status).toBe(400);
    const login = await client.json(
      'vault',
      '/v1/auth/kubernetes/login',
      'POST',
      { role: 'autonomous', jwt },
    );
    expect(login.status).toBe(200);
    const token = login.json.auth.client_token;
    expect(login.json.auth.metadata.service_account_namespace).toBe(
      'backstage',
    );

    const self = await client.call('vault', '/v1/auth/token/lookup-self', {
      headers: { 'X-Vault-Token': token },
    });
    expect(self.json.data.policies).toEqual(['default', 'autonomous']);
    const renew = await client.json(
      'vault',
      '/v1/auth/token/renew-self',
      'POST',
      {},
      { 'X-Vault-Token': token },
    );
    expect(renew.json.auth.client_token).toBe(token);
    const write = await client.json(
      'vault',
      '/v1/secret/data/app',
      'POST',
      { data: { a: '1' } },
      { 'X-Vault-Token': token },
    );
    expect(write.status).toBe(200);
  });

  it('injects errors, latency and outages per system and counts calls', async () => {
    await client.call('vault', '/v1/auth/token/lookup-self', {
      headers: auth.vault,
    });
    await client.call('vault', '/v1/secret/data/a', { headers: auth.vault });
    await client.call('vault', '/v1/secret/data/b', { headers: auth.vault });
    await client.call('kubernetes', '/api/v1/namespaces/default', {
      headers: auth.kubernetes,
    });
    const calls = await client.control('/calls');
    expect(calls.systems).toEqual({ vault: 3, kubernetes: 1 });
    expect(calls.routes['GET /vault/v1/{kv_v2_mount_path}/data/{path}']).toBe(
      2,
    );
    expect(calls.routes['GET /vault/v1/auth/token/lookup-self']).toBe(1);
    expect(calls.routes['GET /kubernetes/api/v1/namespaces/{name}']).toBe(1);
    await client.control('/calls/reset', 'POST');
    expect((await client.control('/calls')).total).toBe(0);

    await client.control('/faults', 'POST', {
      system: 'harbor',
      errorRate: 1,
      status: 503,
    });
    const failed = await client.call('harbor', '/api/v2.0/projects', {
      headers: auth.harbor,
    });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('x-autonomous-sandbox')).toBe('true');
    const unaffected = await client.call(
      'vault',
      '/v1/auth/token/lookup-self',
      { headers: auth.vault },
    );
    expect(unaffected.status).toBe(200);

    await client.control('/faults', 'POST', {
      system: 'harbor',
      latencyMs: 150,
    });
    const started = Date.now();
    const slow = await client.call('harbor', '/api/v2.0/projects', {
      headers: auth.harbor,
    });
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    await client.control('/faults', 'POST', { system: 'argocd', down: true });
    await expect(
      fetch(`${running.url}/argocd/api/v1/applications`, {
        headers: auth.argocd,
      }),
    ).rejects.toThrow();
    // The control API is never faulted.
    expect((await client.control('/calls')).systems.argocd).toBe(1);

    await client.control('/faults', 'DELETE');
    expect(
      (
        await client.call('argocd', '/api/v1/applications', {
          headers: auth.argocd,
        })
      ).status,
    ).toBe(200);
    const state = await client.control('/state');
    expect(state.banner).toContain('test double');
  });
});
