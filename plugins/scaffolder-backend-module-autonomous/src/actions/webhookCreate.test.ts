// Tests only: the delivery contracts are read from the repository.
// eslint-disable-next-line no-restricted-imports
import { readFileSync } from 'fs';
// eslint-disable-next-line no-restricted-imports
import { resolve } from 'path';
import { createHmac } from 'crypto';
import Ajv from 'ajv';
import { http, HttpResponse } from 'msw';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import {
  CheckpointStore,
  VAULT,
  actionContext,
  testClients,
  visibleTrace,
} from '../__testUtils__/actionContext';
import { serveVault } from '../__testUtils__/serveVault';
import { createWebhookCreateAction } from './webhookCreate';
import { examples } from './webhookCreate.examples';

const CONTRACTS = resolve(
  __dirname,
  '../../../../packages/upstream-contracts/specs',
);
const contract = (file: string) =>
  JSON.parse(readFileSync(resolve(CONTRACTS, file), 'utf8'));

const GITHUB_API = 'https://api.github.com';
const GITLAB_API = 'https://gitlab.com/api/v4';
const BACKEND = 'https://portal.example.com/api';
const GITHUB_TOKEN = 'ghp_integrationtoken';
const GITLAB_TOKEN = 'glpat-integrationtoken';

describe('autonomous:webhook:create', () => {
  const server = setupUpstreamServer([{ system: 'vault', baseUrl: VAULT }]);

  /** In-memory repository hooks of GitHub and GitLab, as their REST APIs keep them. */
  function serveScm() {
    const hooks = new Map<string, Array<{ id: number; body: any }>>();
    const requests: string[] = [];
    const auth: string[] = [];
    let seq = 0;
    const hooksOf = (key: string) => {
      if (!hooks.has(key)) hooks.set(key, []);
      return hooks.get(key)!;
    };
    server.use(
      http.get(
        `${GITHUB_API}/repos/:owner/:repo/hooks`,
        ({ params, request }) => {
          requests.push(`GET github ${params.owner}/${params.repo}`);
          auth.push(request.headers.get('authorization') ?? '');
          return HttpResponse.json(
            hooksOf(`github:${params.owner}/${params.repo}`).map(h => ({
              id: h.id,
              config: {
                url: h.body.config.url,
                content_type: 'json',
                insecure_ssl: '0',
              },
            })),
          );
        },
      ),
      http.post(
        `${GITHUB_API}/repos/:owner/:repo/hooks`,
        async ({ params, request }) => {
          requests.push(`POST github ${params.owner}/${params.repo}`);
          auth.push(request.headers.get('authorization') ?? '');
          const body = await request.json();
          const hook = { id: ++seq, body };
          hooksOf(`github:${params.owner}/${params.repo}`).push(hook);
          return HttpResponse.json({ id: hook.id }, { status: 201 });
        },
      ),
      http.patch(
        `${GITHUB_API}/repos/:owner/:repo/hooks/:id`,
        async ({ params, request }) => {
          requests.push(
            `PATCH github ${params.owner}/${params.repo} ${params.id}`,
          );
          const hook = hooksOf(`github:${params.owner}/${params.repo}`).find(
            h => h.id === Number(params.id),
          )!;
          hook.body = { ...hook.body, ...((await request.json()) as object) };
          return HttpResponse.json({ id: hook.id });
        },
      ),
      http.get(
        `${GITLAB_API}/projects/:project/hooks`,
        ({ params, request }) => {
          requests.push(`GET gitlab ${params.project}`);
          auth.push(request.headers.get('authorization') ?? '');
          return HttpResponse.json(
            hooksOf(`gitlab:${params.project}`).map(h => ({
              id: h.id,
              url: h.body.url,
            })),
          );
        },
      ),
      http.post(
        `${GITLAB_API}/projects/:project/hooks`,
        async ({ params, request }) => {
          requests.push(`POST gitlab ${params.project}`);
          auth.push(request.headers.get('authorization') ?? '');
          const hook = { id: ++seq, body: await request.json() };
          hooksOf(`gitlab:${params.project}`).push(hook);
          return HttpResponse.json(
            { id: hook.id, url: (hook.body as any).url },
            { status: 201 },
          );
        },
      ),
    );
    return { hooks, requests, auth };
  }

  const action = () =>
    createWebhookCreateAction({
      integrations: ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            github: [{ host: 'github.com', token: GITHUB_TOKEN }],
            gitlab: [{ host: 'gitlab.com', token: GITLAB_TOKEN }],
          },
        }),
      ),
      discovery: {
        getBaseUrl: async id => `http://localhost:7007/api/${id}`,
        getExternalBaseUrl: async id => `${BACKEND}/${id}`,
      },
      clients: testClients(),
    });

  it('runs the example: a GitHub push webhook whose deliveries the portal can verify with the secret in Vault', async () => {
    const scm = serveScm();
    const kv = serveVault(server);
    const ctx = actionContext(examples[0].input);
    await action().handler(ctx);

    const [hook] = scm.hooks.get('github:acme/shop')!;
    const secret = kv.store.get('autonomous/webhooks/github/acme/shop')!.data
      .secret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(hook.body).toEqual({
      name: 'web',
      active: true,
      events: ['push'],
      config: {
        url: `${BACKEND}/autonomous/webhooks/github`,
        content_type: 'json',
        secret,
        insecure_ssl: '0',
      },
    });
    expect(scm.auth).toEqual([
      `Bearer ${GITHUB_TOKEN}`,
      `Bearer ${GITHUB_TOKEN}`,
    ]);

    // The delivery contract: JSON push payloads (as the schema describes them), signed
    // X-Hub-Signature-256 with the secret the portal reads from Vault.
    const vector = contract('github/webhook-signature.test-vector.json');
    const sign = (key: string, body: string) =>
      `sha256=${createHmac('sha256', key).update(body, 'utf8').digest('hex')}`;
    expect(sign(vector.secret, vector.payload)).toBe(vector.expected_signature);
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(
      contract('github/push.bundled.schema.json'),
    );
    const delivery = JSON.stringify(
      contract('github/examples/push/payload.json'),
    );
    expect(validate(JSON.parse(delivery))).toBe(true);
    expect(sign(secret, delivery)).toMatch(/^sha256=[0-9a-f]{64}$/);

    expect(ctx.output).toHaveBeenCalledWith('provider', 'github');
    expect(ctx.output).toHaveBeenCalledWith('webhookId', hook.id);
    expect(ctx.output).toHaveBeenCalledWith(
      'vaultPath',
      'autonomous/webhooks/github/acme/shop',
    );
    expect(visibleTrace(ctx)).not.toContain(secret);
    expect(examples[0].example).toContain('action: autonomous:webhook:create');
  });

  it('runs the example: a GitLab push hook that sends the secret from Vault as X-Gitlab-Token', async () => {
    const scm = serveScm();
    const kv = serveVault(server);
    const ctx = actionContext(examples[1].input);
    await action().handler(ctx);
    const [hook] = scm.hooks.get('gitlab:acme/web/shop')!;
    const secret = kv.store.get('autonomous/webhooks/gitlab/acme/web/shop')!
      .data.secret;
    // GitLab sends `token` verbatim as X-Gitlab-Token with every push hook.
    expect(hook.body).toEqual({
      url: `${BACKEND}/autonomous/webhooks/gitlab`,
      token: secret,
      push_events: true,
      tag_push_events: false,
      merge_requests_events: false,
      enable_ssl_verification: true,
    });
    expect(contract('gitlab/push-hook.example.json').object_kind).toBe('push');
    expect(scm.auth).toEqual([
      `Bearer ${GITLAB_TOKEN}`,
      `Bearer ${GITLAB_TOKEN}`,
    ]);
    expect(visibleTrace(ctx)).not.toContain(secret);
  });

  it('creates one hook and one secret when re-run after a crash that lost the checkpoint', async () => {
    const scm = serveScm();
    const kv = serveVault(server);
    const input = examples[0].input;
    const crashing = new CheckpointStore({
      crashAfter: `webhook.github.github.com.acme/shop.${BACKEND}/autonomous/webhooks/github`,
    });
    await expect(
      action().handler(actionContext(input, { store: crashing })),
    ).rejects.toThrow('crash after');
    const store = new CheckpointStore();
    await action().handler(actionContext(input, { store }));
    await action().handler(actionContext(input, { store }));
    expect(scm.hooks.get('github:acme/shop')).toHaveLength(1);
    expect(scm.requests.filter(r => r.startsWith('POST'))).toHaveLength(1);
    // The secret was never rotated: the hook and Vault agree.
    const secret = kv.store.get('autonomous/webhooks/github/acme/shop')!;
    expect(secret.v).toBe(1);
    expect(scm.hooks.get('github:acme/shop')![0].body.config.secret).toBe(
      secret.data.secret,
    );
  });

  it('touches nothing in a dry run', async () => {
    const scm = serveScm();
    const kv = serveVault(server);
    const ctx = actionContext(examples[0].input, { dryRun: true });
    await action().handler(ctx);
    expect(scm.requests).toEqual([]);
    expect(kv.requests).toEqual([]);
    expect(ctx.logged.join('\n')).toContain(
      `Dry run: would create a push webhook on github repository acme/shop to ${BACKEND}/autonomous/webhooks/github, its secret in Vault "main" at secret/autonomous/webhooks/github/acme/shop`,
    );
  });

  it('fails the step when GitHub refuses the hook', async () => {
    serveScm();
    serveVault(server);
    server.use(
      http.post(`${GITHUB_API}/repos/:owner/:repo/hooks`, () =>
        HttpResponse.json(
          { message: 'Resource not accessible by integration' },
          { status: 403 },
        ),
      ),
    );
    const error = await action()
      .handler(actionContext(examples[0].input))
      .catch(e => e);
    expect(error.message).toContain(
      'Creating a webhook on GitHub repository acme/shop failed: 403',
    );
    expect(error.message).not.toContain(GITHUB_TOKEN);
  });

  it('refuses a Vault path that holds another secret', async () => {
    const scm = serveScm();
    serveVault(server, {
      'autonomous/webhooks/github/acme/shop': { other: 'x' },
    });
    await expect(
      action().handler(actionContext(examples[0].input)),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(scm.requests).toEqual([]);
  });

  it.each([
    [{ repoUrl: 'git.example.org?owner=a&repo=b' }, 'git.example.org'],
    [
      { repoUrl: 'github.com?owner=acme&repo=shop', webhookUrl: 'ftp://x' },
      'not an http(s) URL',
    ],
    [
      { repoUrl: 'github.com?owner=acme&repo=shop', vaultPath: 'a/../b' },
      'not a KV v2 secret path',
    ],
    [
      { repoUrl: 'github.com?owner=acme&repo=shop', vaultInstance: 'x' },
      'no vault instance is named "x"',
    ],
  ])('rejects bad input %j', async (input, message) => {
    const scm = serveScm();
    await expect(action().handler(actionContext(input))).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
    expect(scm.requests).toEqual([]);
  });
});
