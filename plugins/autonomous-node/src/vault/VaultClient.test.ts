import { http, HttpResponse, delay } from 'msw';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import { VaultClient } from './VaultClient';

const BASE = 'http://vault.test/vault';
const V1 = `${BASE}/v1`;
const TOKEN = 'hvs.static-token-abcdef';
const instance = {
  name: 'main',
  url: BASE,
  token: TOKEN,
  kubernetesMountPath: 'kubernetes',
  serviceAccountTokenPath: '/nonexistent',
  kvMount: 'secret',
};

describe('VaultClient', () => {
  const server = setupUpstreamServer([{ system: 'vault', baseUrl: BASE }]);
  const sleep = jest.fn(async () => {});
  const lookupSelf = (ttl = 0) =>
    http.get(`${V1}/auth/token/lookup-self`, () =>
      HttpResponse.json({ data: { ttl, renewable: ttl > 0 } }),
    );
  beforeEach(() => sleep.mockClear());

  it('checks every request against the Vault API contract', () => {
    expect(server.contractCheckActive).toBe(true);
  });

  it('refuses secret paths with .. segments before any request', async () => {
    const seen: string[] = [];
    server.use(
      http.all('*', ({ request }) => {
        seen.push(`${request.method} ${request.url}`);
        return HttpResponse.json({ data: {} });
      }),
    );
    const vault = new VaultClient(instance, { sleep });
    // `secret/data/payments/../../sys/policy/root` would be Vault's `sys/policy/root`.
    await expect(
      vault.readSecret('payments/../../sys/policy/root'),
    ).rejects.toThrow(
      'the Vault secret path "payments/../../sys/policy/root" is not allowed',
    );
    await expect(
      vault.writeSecret('payments/../shop/db', { password: 'x' }),
    ).rejects.toThrow('is not allowed');
    await expect(vault.deleteSecret('..')).rejects.toThrow('is not allowed');
    await expect(vault.listSecrets('apps/..')).rejects.toThrow(
      'is not allowed',
    );
    expect(seen).toEqual([]);
  });

  it('writes, reads, lists, reads metadata and deletes KV v2 secrets with the token', async () => {
    const store: Record<string, any> = {};
    const tokens = new Set<string | null>();
    server.use(
      lookupSelf(),
      http.post(`${V1}/secret/data/apps/shop/db`, async ({ request }) => {
        tokens.add(request.headers.get('x-vault-token'));
        store.db = ((await request.json()) as any).data;
        return HttpResponse.json({ data: { version: 1 } });
      }),
      http.get(`${V1}/secret/data/apps/shop/db`, ({ request }) => {
        tokens.add(request.headers.get('x-vault-token'));
        return HttpResponse.json({
          data: { data: store.db, metadata: { version: 1 } },
        });
      }),
      http.get(`${V1}/secret/metadata/apps/shop/`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('list')).toBe('true');
        return HttpResponse.json({ data: { keys: ['db', 'api/'] } });
      }),
      http.get(`${V1}/secret/metadata/apps/shop/db`, () =>
        HttpResponse.json({ data: { current_version: 1, versions: {} } }),
      ),
      http.delete(
        `${V1}/secret/metadata/apps/shop/db`,
        () => new HttpResponse(null, { status: 204 }),
      ),
    );
    const vault = new VaultClient(instance, { sleep });
    await expect(
      vault.writeSecret('apps/shop/db', { password: 'p4ssw0rd!' }),
    ).resolves.toEqual({ version: 1 });
    await expect(vault.readSecret('apps/shop/db')).resolves.toEqual({
      data: { password: 'p4ssw0rd!' },
      metadata: { version: 1 },
    });
    await expect(vault.listSecrets('apps/shop')).resolves.toEqual([
      'db',
      'api/',
    ]);
    await expect(vault.readMetadata('apps/shop/db')).resolves.toMatchObject({
      current_version: 1,
    });
    await vault.deleteSecret('apps/shop/db');
    expect([...tokens]).toEqual([TOKEN]);
  });

  it('returns undefined for a missing secret and an empty list for a missing folder', async () => {
    server.use(
      lookupSelf(),
      http.get(`${V1}/secret/data/none`, () =>
        HttpResponse.json({ errors: [] }, { status: 404 }),
      ),
      http.get(`${V1}/secret/metadata/none/`, () =>
        HttpResponse.json({ errors: [] }, { status: 404 }),
      ),
    );
    const vault = new VaultClient(instance, { sleep });
    await expect(vault.readSecret('none')).resolves.toBeUndefined();
    await expect(vault.listSecrets('none')).resolves.toEqual([]);
  });

  it('reports 403 in Vault words without the token, and retries reads on 503', async () => {
    let calls = 0;
    server.use(
      lookupSelf(),
      http.post(`${V1}/secret/data/locked`, () =>
        HttpResponse.json(
          { errors: ['1 error occurred:\n\t* permission denied\n\n'] },
          { status: 403 },
        ),
      ),
      http.get(`${V1}/secret/data/flaky`, () => {
        calls++;
        return calls < 3
          ? HttpResponse.json({ errors: ['Vault is sealed'] }, { status: 503 })
          : HttpResponse.json({
              data: { data: { a: 'b' }, metadata: { version: 2 } },
            });
      }),
    );
    const vault = new VaultClient(instance, { sleep });
    const error = await vault.writeSecret('locked', { a: 'b' }).catch(e => e);
    expect(error.message).toBe(
      'Vault write of secret "locked" failed: 403 Forbidden: permission denied',
    );
    expect(error.status).toBe(403);
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(
      TOKEN,
    );
    await expect(vault.readSecret('flaky')).resolves.toMatchObject({
      data: { a: 'b' },
    });
    expect(calls).toBe(3);
  });

  it('does not retry a write on 500', async () => {
    let calls = 0;
    server.use(
      lookupSelf(),
      http.post(`${V1}/secret/data/x`, () => {
        calls++;
        return HttpResponse.json(
          { errors: ['internal error'] },
          { status: 500 },
        );
      }),
    );
    await expect(
      new VaultClient(instance, { sleep }).writeSecret('x', { a: 'b' }),
    ).rejects.toMatchObject({ status: 500, reason: 'internal error' });
    expect(calls).toBe(1);
  });

  it('times out', async () => {
    server.use(
      lookupSelf(),
      http.get(`${V1}/secret/data/slow`, async () => {
        await delay(400);
        return HttpResponse.json({
          data: { data: {}, metadata: { version: 1 } },
        });
      }),
    );
    const error = await new VaultClient(instance, {
      sleep,
      timeoutMs: 30,
      retries: 0,
    })
      .readSecret('slow')
      .catch(e => e);
    expect(error.message).toBe(
      'Vault read of secret "slow" failed: no answer within 30 ms',
    );
    expect(error.status).toBeUndefined();
  });

  it('logs in with Kubernetes auth, renews the token before expiry, and logs in again when renewal fails', async () => {
    let now = 1_000_000;
    const seen: string[] = [];
    let renewals = 0;
    server.use(
      http.post(`${V1}/auth/k8s/login`, async ({ request }) => {
        const body = (await request.json()) as any;
        seen.push(`login ${body.role} ${body.jwt}`);
        return HttpResponse.json({
          auth: {
            client_token: `hvs.login-${seen.length}`,
            lease_duration: 300,
            renewable: true,
          },
        });
      }),
      http.post(`${V1}/auth/token/renew-self`, ({ request }) => {
        renewals++;
        seen.push(`renew ${request.headers.get('x-vault-token')}`);
        return renewals === 1
          ? HttpResponse.json({
              auth: {
                client_token: request.headers.get('x-vault-token'),
                lease_duration: 300,
                renewable: true,
              },
            })
          : HttpResponse.json(
              { errors: ['permission denied'] },
              { status: 403 },
            );
      }),
      http.get(`${V1}/secret/data/app`, ({ request }) => {
        seen.push(`read ${request.headers.get('x-vault-token')}`);
        return HttpResponse.json({
          data: { data: {}, metadata: { version: 1 } },
        });
      }),
    );
    const vault = new VaultClient(
      {
        ...instance,
        token: undefined,
        kubernetesRole: 'autonomous',
        kubernetesMountPath: 'k8s',
      },
      {
        sleep,
        now: () => now,
        readServiceAccountToken: async () => 'sa-jwt\n',
      },
    );
    await vault.readSecret('app');
    now += 100_000; // 200 s of 300 left: still fresh
    await vault.readSecret('app');
    now += 150_000; // 50 s left: renew first
    await vault.readSecret('app');
    now += 250_000; // renewal refused: log in again
    await vault.readSecret('app');
    expect(seen).toEqual([
      'login autonomous sa-jwt',
      'read hvs.login-1',
      'read hvs.login-1',
      'renew hvs.login-1',
      'read hvs.login-1',
      'renew hvs.login-1',
      'login autonomous sa-jwt',
      'read hvs.login-7',
    ]);
  });

  it('says so when the service account token cannot be read', async () => {
    const vault = new VaultClient(
      { ...instance, token: undefined, kubernetesRole: 'autonomous' },
      { sleep },
    );
    await expect(vault.readSecret('app')).rejects.toThrow(
      'Vault Kubernetes login with role "autonomous" failed: cannot read the service account token at /nonexistent',
    );
  });

  it.each([
    [
      400,
      'Bad Request',
      'check-and-set parameter did not match the current version',
    ],
    [401, 'Unauthorized', 'missing client token'],
  ])(
    'reports %s from a write without retrying',
    async (code, text, message) => {
      let calls = 0;
      server.use(
        lookupSelf(),
        http.post(`${V1}/secret/data/cas`, () => {
          calls++;
          return HttpResponse.json({ errors: [message] }, { status: code });
        }),
      );
      const error = await new VaultClient(instance, { sleep })
        .writeSecret('cas', { a: 'b' }, { cas: 3 })
        .catch(e => e);
      expect(error.message).toBe(
        `Vault write of secret "cas" failed: ${code} ${text}: ${message}`,
      );
      expect(calls).toBe(1);
    },
  );
});
