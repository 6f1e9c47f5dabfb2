import { http, HttpResponse } from 'msw';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import {
  CheckpointStore,
  VAULT,
  actionContext,
  testClients,
  visibleTrace,
} from '../__testUtils__/actionContext';
import { serveVault } from '../__testUtils__/serveVault';
import { createVaultWriteSecretAction } from './vaultWriteSecret';
import { examples } from './vaultWriteSecret.examples';

const V1 = `${VAULT}/v1`;
const SECRET_VALUE = 'Sup3r-S3cret-Value!';

/** What the scaffolder does with `${{ secrets.x }}` before the action sees its input. */
function rendered<T>(input: T): T {
  return JSON.parse(
    JSON.stringify(input).replace(/\$\{\{ secrets\.\w+ \}\}/g, SECRET_VALUE),
  );
}

describe('autonomous:vault:write-secret', () => {
  const server = setupUpstreamServer([{ system: 'vault', baseUrl: VAULT }]);

  const serveKv = (initial?: Record<string, Record<string, string>>) =>
    serveVault(server, initial);

  const action = () => createVaultWriteSecretAction({ clients: testClients() });

  it('checks every request against the Vault API contract', () => {
    expect(server.contractCheckActive).toBe(true);
  });

  it.each(examples.map(e => [e.description, e] as const))(
    'runs the example: %s',
    async (_, example) => {
      const kv = serveKv({ 'apps/shop/db': { host: 'db.internal' } });
      const ctx = actionContext(rendered(example.input));
      await action().handler(ctx);
      const path = example.input.path;
      const written = kv.store.get(path)!;
      const expected =
        example.input.mode === 'replace'
          ? rendered(example.input.data)
          : {
              ...(path === 'apps/shop/db' ? { host: 'db.internal' } : {}),
              ...rendered(example.input.data),
            };
      expect(written.data).toEqual(expected);
      expect(ctx.output).toHaveBeenCalledWith('path', path);
      expect(ctx.output).toHaveBeenCalledWith('version', written.v);
      expect(ctx.output).toHaveBeenCalledWith(
        'keys',
        Object.keys(example.input.data).sort(),
      );
      expect(visibleTrace(ctx)).not.toContain(SECRET_VALUE);
      expect(example.example).toContain(
        `action: autonomous:vault:write-secret`,
      );
    },
  );

  it('replaces the whole secret in replace mode', async () => {
    const kv = serveKv({ 'apps/shop/api': { old: 'x', apiKey: 'a' } });
    await action().handler(
      actionContext({
        path: 'apps/shop/api',
        data: { apiKey: SECRET_VALUE },
        mode: 'replace',
      }),
    );
    expect(kv.store.get('apps/shop/api')!.data).toEqual({
      apiKey: SECRET_VALUE,
    });
  });

  it('touches nothing in a dry run and says what it would write, without values', async () => {
    const kv = serveKv();
    const ctx = actionContext(rendered(examples[0].input), { dryRun: true });
    await action().handler(ctx);
    expect(kv.requests).toEqual([]);
    expect(ctx.store.ran).toEqual([]);
    expect(ctx.logged.join('\n')).toContain(
      'would merge keys password, username of secret secret/apps/shop/db',
    );
    expect(visibleTrace(ctx)).not.toContain(SECRET_VALUE);
  });

  it('writes once when the task is resumed with its checkpoints', async () => {
    const kv = serveKv();
    const store = new CheckpointStore();
    const input = { path: 'apps/shop/db', data: { password: SECRET_VALUE } };
    await action().handler(actionContext(input, { store }));
    await action().handler(actionContext(input, { store }));
    expect(kv.requests).toEqual(['GET apps/shop/db', 'POST apps/shop/db']);
    expect(kv.store.get('apps/shop/db')!.v).toBe(1);
    expect(JSON.stringify([...store.values])).not.toContain(SECRET_VALUE);
  });

  it('writes no second version when re-run after a crash that lost the checkpoint', async () => {
    const kv = serveKv();
    const input = { path: 'apps/shop/db', data: { password: SECRET_VALUE } };
    await action().handler(actionContext(input));
    const ctx = actionContext(input);
    await action().handler(ctx);
    expect(kv.requests.filter(r => r.startsWith('POST'))).toHaveLength(1);
    expect(ctx.output).toHaveBeenCalledWith('version', 1);
  });

  it('fails the step when Vault refuses the write', async () => {
    server.use(
      http.get(`${V1}/auth/token/lookup-self`, () =>
        HttpResponse.json({ data: { ttl: 0, renewable: false } }),
      ),
      http.get(`${V1}/secret/data/locked`, () =>
        HttpResponse.json({ errors: [] }, { status: 404 }),
      ),
      http.post(`${V1}/secret/data/locked`, () =>
        HttpResponse.json({ errors: ['permission denied'] }, { status: 403 }),
      ),
    );
    const ctx = actionContext({ path: 'locked', data: { a: SECRET_VALUE } });
    const error = await action()
      .handler(ctx)
      .catch(e => e);
    expect(error.message).toContain('403 Forbidden: permission denied');
    expect(String(error.message)).not.toContain(SECRET_VALUE);
  });

  it.each([
    [{ path: '../etc', data: { a: 'b' } }, 'is not a KV v2 secret path'],
    [{ path: 'apps/*', data: { a: 'b' } }, 'is not a KV v2 secret path'],
    [{ path: 'apps/shop', data: {} }, 'at least one key'],
    [{ path: 'apps/shop', data: { a: 1 } }, 'values must be strings'],
    [
      { path: 'apps/shop', data: { a: 'b' }, instance: 'nope' },
      'no vault instance is named "nope"',
    ],
  ])('rejects bad input %j', async (input, message) => {
    const kv = serveKv();
    await expect(
      action().handler(actionContext(input as any)),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
    expect(kv.requests).toEqual([]);
  });
});
