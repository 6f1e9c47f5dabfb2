import { environmentSecretsPath } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { JsonObject } from '@backstage/config';
import { Knex } from 'knex';
import { Server } from 'node:http';
import request from 'supertest';
import { capturedLogs } from '../__testUtils__/capturedLogs';
import { authHeader } from '../__testUtils__/matrixCallers';
import {
  entityFor,
  SandboxProjects,
  sandboxConfig,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { startAutonomousTestBackend } from '../__testUtils__/testBackend';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(120_000);

const OWNER = 'user:default/owner';
const STRANGER = 'user:default/stranger';
const STOREFRONT = 'component:default/storefront';
const BASE = '/api/autonomous/projects/component/default/storefront';
const databases = createStoreTestDatabases();
let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject('storefront', {
    environments: ['staging', 'production'],
  });
});
afterAll(() => upstream?.stop());

/** Every row of every table of the plugin's database, as text. */
async function everyRow(knex: Knex): Promise<string> {
  const sqlite = String(knex.client.config.client).includes('sqlite');
  const tables: string[] = sqlite
    ? (
        await knex.raw(
          "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'",
        )
      ).map((r: { name: string }) => r.name)
    : (
        await knex.raw(
          'select table_name as name from information_schema.tables where table_schema = current_schema()',
        )
      ).rows.map((r: { name: string }) => r.name);
  const dumps: string[] = [];
  for (const table of tables) {
    dumps.push(JSON.stringify(await knex(table).select('*')));
  }
  return dumps.join('\n');
}

async function eventually<T>(
  fn: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise(r => setTimeout(r, 100));
  }
}

const helmParameters = async (app: string) =>
  (await upstream.clients.get('argocd').getApplication(app)).spec.source?.helm
    ?.parameters ?? [];

describe.each(databases.ids)('project settings on %s', databaseId => {
  let knex: Knex;
  let server: Server;
  const logs = capturedLogs();

  beforeAll(async () => {
    knex = await databases.migrated(databaseId);
    const config = sandboxConfig(upstream.sandbox.url).get() as JsonObject;
    server = await startAutonomousTestBackend({
      knex,
      config: {
        autonomous: {
          ...(config.autonomous as JsonObject),
          orchestrator: { enabled: false },
        },
      },
      entities: [
        entityFor('storefront', {
          environments: ['staging', 'production'],
          repository: { provider: 'github', slug: 'acme/storefront' },
        }),
      ],
      policy: { allows: who => who === OWNER },
      features: [logs.factory],
    });
  });

  const put = (path: string, body: unknown, who = OWNER) =>
    request(server)
      .put(`${BASE}/environments/${path}`)
      .set(authHeader(who))
      .send(body as object);
  const settings = async () => {
    const res = await request(server)
      .get(`${BASE}/settings`)
      .set(authHeader(OWNER));
    expect(res.status).toBe(200);
    return res.body;
  };

  it('ends a domain change with the Ingress carrying the host and TLS and the project reporting the certificate ready', async () => {
    const res = await put('production/domains', {
      domains: ['Shop.Example.com.'],
    });
    expect(res.status).toBe(200);
    expect(res.body.message).toContain(
      'Domains of production: shop.example.com',
    );

    expect(await helmParameters('storefront')).toEqual(
      expect.arrayContaining([
        { name: 'image.repository', value: 'sandbox/shop/storefront' },
        { name: 'ingress.enabled', value: 'true' },
        { name: 'ingress.hosts[0].host', value: 'shop.example.com' },
        { name: 'ingress.tls[0].secretName', value: 'storefront-tls' },
        { name: 'ingress.tls[0].hosts[0]', value: 'shop.example.com' },
        {
          name: 'ingress.annotations.cert-manager\\.io/cluster-issuer',
          value: 'letsencrypt',
        },
      ]),
    );

    const ready = await eventually(async () => {
      const view = await settings();
      const production = view.environments.find(
        (e: any) => e.environment === 'production',
      );
      return production.domains[0]?.tls === 'ready' ? production : undefined;
    }, 'the certificate of shop.example.com ready');
    expect(ready.domains).toEqual([
      expect.objectContaining({
        host: 'shop.example.com',
        tls: 'ready',
        inIngress: true,
        // The sandbox's ingress answers on 127.0.0.1; shop.example.com does not point there.
        dns: expect.stringMatching(/^(unresolved|elsewhere)$/),
        dnsMessage: expect.stringContaining('point it at 127.0.0.1'),
      }),
    ]);

    const ingress = upstream.sandbox.sandbox.kubernetes.get(
      'ingresses',
      'storefront-production',
      'storefront',
    );
    expect(ingress.spec.rules.map((r: any) => r.host)).toEqual([
      'shop.example.com',
    ]);
    expect(ingress.spec.tls).toEqual([
      { secretName: 'storefront-tls', hosts: ['shop.example.com'] },
    ]);

    // The domain belongs to production now: staging cannot take it.
    const taken = await put('staging/domains', {
      domains: ['shop.example.com'],
    });
    expect(taken.status).toBe(400);
    expect(taken.body.error.message).toContain(
      'shop.example.com is already a domain of production',
    );

    const view = await settings();
    expect(view.events[0]).toMatchObject({
      environment: 'production',
      action: 'settings.domains',
      actor: OWNER,
      message: expect.stringContaining('added shop.example.com'),
    });
    expect(
      await knex('audit_events').where({
        action: 'settings.domains',
        outcome: 'succeeded',
      }),
    ).toHaveLength(1);

    // Taking every domain away removes the Ingress's parameters, not just its hosts.
    expect((await put('production/domains', { domains: [] })).status).toBe(200);
    const after = await helmParameters('storefront');
    expect(after.filter(p => p.name.startsWith('ingress.'))).toEqual([
      { name: 'ingress.enabled', value: 'false' },
    ]);
  });

  it('keeps a secret environment variable in Vault and nowhere else', async () => {
    const secret = `sk_live_${databaseId}_51Hx9vQ2eZvKYlo2C`;
    const res = await put('production/variables', {
      variables: [
        { name: 'LOG_LEVEL', secret: false, value: 'debug' },
        { name: 'STRIPE_KEY', secret: true, value: secret },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.environment.variables).toEqual([
      { name: 'LOG_LEVEL', secret: false, value: 'debug' },
      { name: 'STRIPE_KEY', secret: true },
    ]);

    const path = environmentSecretsPath(STOREFRONT, 'production');
    const vault = upstream.clients.get('vault');
    expect((await vault.readSecret(path))?.data).toEqual({
      STRIPE_KEY: secret,
    });

    const parameters = await helmParameters('storefront');
    expect(parameters).toEqual(
      expect.arrayContaining([
        { name: 'configMap.data.LOG_LEVEL', value: 'debug', forceString: true },
        { name: 'secretEnv.vaultPath', value: path },
        { name: 'secretEnv.keys[0]', value: 'STRIPE_KEY' },
      ]),
    );

    // Changing the plain one and leaving the secret's value out keeps Vault's.
    const again = await put('production/variables', {
      variables: [
        { name: 'LOG_LEVEL', secret: false, value: 'info,warn' },
        { name: 'STRIPE_KEY', secret: true },
      ],
    });
    expect(again.status).toBe(200);
    expect((await vault.readSecret(path))?.data).toEqual({
      STRIPE_KEY: secret,
    });
    // A new secret without a value has nothing to keep: refused before anything is written.
    const missing = await put('production/variables', {
      variables: [{ name: 'NEW_TOKEN', secret: true }],
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain(
      'Vault holds no value for NEW_TOKEN',
    );

    const view = await request(server)
      .get(`${BASE}/settings`)
      .set(authHeader(OWNER));
    const argocdApp = await upstream.clients
      .get('argocd')
      .getApplication('storefront');
    for (const [where, text] of [
      ['the answers', JSON.stringify([res.body, again.body, missing.body])],
      ['the settings and their events', view.text],
      ['the tables', await everyRow(knex)],
      ['the logs', logs.lines.join('\n')],
      ['the ArgoCD application', JSON.stringify(argocdApp)],
    ]) {
      expect({ where, leaks: text.includes(secret) }).toEqual({
        where,
        leaks: false,
      });
    }
    expect(view.body.events[0].message).toContain('STRIPE_KEY (secret)');
  });

  it('turns auto-deploy off and moves it to another branch, seen by the webhook too', async () => {
    const res = await put('staging/auto-deploy', {
      enabled: true,
      branch: 'develop',
    });
    expect(res.status).toBe(200);
    expect(res.body.environment).toMatchObject({
      environment: 'staging',
      autoDeploy: true,
      branch: 'develop',
    });
    const webhook = await request(server)
      .get(`${BASE}/webhook`)
      .set(authHeader(OWNER));
    expect(webhook.body.environments).toEqual([
      { name: 'staging', branch: 'develop', autoDeploy: true },
      { name: 'production', branch: 'main', autoDeploy: false },
    ]);
    expect(
      (await put('staging/auto-deploy', { enabled: false })).body.environment,
    ).toMatchObject({ autoDeploy: false, branch: 'develop' });
    // The domains set before are kept by an auto-deploy change.
    expect((await settings()).events[0]).toMatchObject({
      action: 'settings.auto-deploy',
      environment: 'staging',
    });
  });

  it('sets replicas and autoscaling bounds, and refuses bounds that cannot hold', async () => {
    const res = await put('production/scaling', {
      replicas: 2,
      autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuPercent: 70 },
    });
    expect(res.status).toBe(200);
    expect(await helmParameters('storefront')).toEqual(
      expect.arrayContaining([
        { name: 'replicaCount', value: '2' },
        { name: 'autoscaling.enabled', value: 'true' },
        { name: 'autoscaling.minReplicas', value: '2' },
        { name: 'autoscaling.maxReplicas', value: '6' },
        { name: 'autoscaling.targetCPUUtilizationPercentage', value: '70' },
      ]),
    );
    const bad = await put('production/scaling', {
      replicas: 2,
      autoscaling: { minReplicas: 5, maxReplicas: 3, targetCpuPercent: 70 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(
      'maxReplicas must be at least minReplicas',
    );
    expect((await settings()).environments[1].scaling).toEqual({
      replicas: 2,
      autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuPercent: 70 },
    });
  });

  it('refuses someone without the settings permission, and bad input, before writing anything', async () => {
    const before = JSON.stringify(await helmParameters('storefront'));
    const events = (await settings()).events.length;
    const denied = await put(
      'production/domains',
      { domains: ['evil.example.com'] },
      STRANGER,
    );
    expect(denied.status).toBe(403);
    for (const [path, body, says] of [
      ['production/domains', { domains: ['*.example.com'] }, 'wildcard'],
      ['production/domains', { domains: ['localhost'] }, 'full domain name'],
      [
        'production/domains',
        { domains: ['a.example.com', 'a.example.com'] },
        'twice',
      ],
      [
        'production/variables',
        { variables: [{ name: '1BAD', secret: false, value: '' }] },
        'not starting with a digit',
      ],
      ['production/scaling', { replicas: 101 }, 'at most 100'],
      ['qa/domains', { domains: [] }, 'not one of'],
      ['production/auto-deploy', { enabled: 'yes' }, 'true or false'],
    ] as const) {
      const res = await put(path, body);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.message).toContain(says);
    }
    expect(JSON.stringify(await helmParameters('storefront'))).toBe(before);
    expect((await settings()).events).toHaveLength(events);
  });
});
