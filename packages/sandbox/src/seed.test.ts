import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  auth,
  ContractClient,
  startTestSandbox,
} from './__testUtils__/contractClient.ts';
import type { RunningSandbox } from './sandbox.ts';
import { startSandbox } from './sandbox.ts';
import { SEED_JOB_PARAMETERS, seedApplicationName } from './seed.ts';
import type { SandboxSeed } from './seed.ts';

const EXAMPLES_SEED = resolve(__dirname, '../seeds/examples.json');
const EXAMPLES_CATALOG = resolve(__dirname, '../../../examples/entities.yaml');

const examplesSeed = (): SandboxSeed =>
  JSON.parse(readFileSync(EXAMPLES_SEED, 'utf8'));

/**
 * The Components of a catalog file with their flat `metadata.annotations` block. The sample
 * catalog writes annotations as `key: value` lines, which is all this reads.
 */
function catalogComponents(yaml: string) {
  return yaml
    .split(/^---$/m)
    .filter(doc => /^kind: Component$/m.test(doc))
    .map(doc => {
      const name = /^ {2}name: (.+)$/m.exec(doc)![1].trim();
      const block = /^ {2}annotations:\n((?: {4}.+\n)+)/m.exec(doc)?.[1] ?? '';
      const annotations: Record<string, string> = {};
      for (const line of block.split('\n').filter(Boolean)) {
        const [, key, value] = /^ {4}([^:]+): (.*)$/.exec(line)!;
        annotations[key] = value.replace(/^'(.*)'$/, '$1');
      }
      return { name, annotations };
    });
}

describe('the sandbox seed', () => {
  let running: RunningSandbox;
  let client: ContractClient;

  beforeAll(async () => {
    ({ running, client } = await startTestSandbox({ seed: examplesSeed() }));
  });

  afterAll(async () => {
    await running.stop();
    client.assertNoProblems();
  });

  it('describes every project of the sample catalog as its annotations name it', () => {
    const expected = catalogComponents(readFileSync(EXAMPLES_CATALOG, 'utf8'))
      .filter(c => c.annotations['autonomous.dev/project'])
      .map(({ name, annotations: a }) => {
        const list = (key: string) =>
          a[key]
            ?.split(',')
            .map(v => v.trim())
            .filter(Boolean);
        return {
          name,
          jenkinsJob: a['jenkins.io/job-full-name'],
          harborRepository: a['goharbor.io/repository-slug'],
          argocdApplication: a['argocd/app-name'],
          environments: list('autonomous.dev/environments') ?? ['production'],
          ...(a['autonomous.dev/domains']
            ? { domains: list('autonomous.dev/domains') }
            : {}),
          autoDeploy: a['autonomous.dev/auto-deploy'] === 'true',
          kubernetesId: a['backstage.io/kubernetes-id'],
        };
      });
    expect(expected.length).toBeGreaterThan(0);
    expect(examplesSeed().projects).toEqual(expected);
  });

  it('starts every application Healthy and Synced, serving a digest pushed to Harbor', async () => {
    const app = await client.call('argocd', '/api/v1/applications/storefront', {
      headers: auth.argocd,
    });
    expect(app.json.status.sync.status).toBe('Synced');
    expect(app.json.status.health.status).toBe('Healthy');
    const [image] = app.json.status.summary.images;
    const registry = `127.0.0.1:${running.port}`;
    expect(image).toMatch(
      new RegExp(
        `^${registry.replace(
          /\./g,
          '\\.',
        )}/shop/storefront@sha256:[0-9a-f]{64}$`,
      ),
    );
    expect(app.json.status.summary.externalURLs).toEqual([
      'http://shop.example.com/',
    ]);
    expect(app.json.spec.syncPolicy.automated).toEqual({
      prune: true,
      selfHeal: true,
    });
    expect(app.json.spec.destination.namespace).toBe('storefront-production');

    const artifact = await client.call(
      'harbor',
      '/api/v2.0/projects/shop/repositories/storefront/artifacts/initial',
      { headers: auth.harbor },
    );
    expect(artifact.status).toBe(200);
    expect(image.endsWith(`@${artifact.json.digest}`)).toBe(true);

    const pods = await client.call(
      'kubernetes',
      '/api/v1/namespaces/storefront-production/pods',
      { headers: auth.kubernetes },
    );
    expect(pods.json.items.map((p: any) => p.spec.containers[0].image)).toEqual(
      [image],
    );
    expect(pods.json.items[0].status.containerStatuses[0].ready).toBe(true);

    const list = await client.call('argocd', '/api/v1/applications', {
      headers: auth.argocd,
    });
    const apps = list.json.items.map((a: any) => ({
      name: a.metadata.name,
      namespace: a.spec.destination.namespace,
      health: a.status.health.status,
      automated: Boolean(a.spec.syncPolicy.automated),
      hosts: a.status.summary.externalURLs ?? [],
    }));
    expect(apps).toHaveLength(8);
    expect(apps).toContainEqual({
      name: 'storefront-staging',
      namespace: 'storefront-staging',
      health: 'Healthy',
      automated: true,
      hosts: [],
    });
    expect(apps).toContainEqual({
      name: 'payments-worker',
      namespace: 'payments-worker-production',
      health: 'Healthy',
      automated: false,
      hosts: [],
    });
    expect(apps.every((a: { health: string }) => a.health === 'Healthy')).toBe(
      true,
    );
  });

  it('has a job per project that accepts the five release parameters', async () => {
    const job = await client.call(
      'jenkins',
      '/job/payments/job/payments-api/api/json',
      {
        headers: auth.jenkins,
      },
    );
    expect(job.json.fullName).toBe('payments/payments-api');
    expect(
      job.json.actions[0].parameterDefinitions.map((d: any) => d.name),
    ).toEqual(SEED_JOB_PARAMETERS);

    const values = {
      GIT_COMMIT: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      GIT_BRANCH: 'main',
      IMAGE_REPOSITORY: 'payments/payments-api',
      IMAGE_TAG: 'v2',
      AUTONOMOUS_RELEASE_ID: 'rel-1',
    };
    const trigger = await client.call(
      'jenkins',
      '/job/payments/job/payments-api/buildWithParameters',
      {
        method: 'POST',
        headers: {
          ...auth.jenkins,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(values).toString(),
      },
    );
    expect(trigger.status).toBe(201);
    const queuePath = new URL(trigger.headers.get('location')!).pathname;
    const item = await client.call(
      'jenkins',
      `${queuePath.replace(/^\/jenkins/, '')}api/json`,
      { headers: auth.jenkins },
    );
    const parameters = item.json.actions[0].parameters.map((p: any) => [
      p.name,
      p.value,
    ]);
    expect(Object.fromEntries(parameters)).toEqual(values);
  });

  it('has every job and application claim the entity it was seeded for', async () => {
    const job = await client.call(
      'jenkins',
      '/job/payments/job/payments-api/api/json',
      { headers: auth.jenkins },
    );
    expect(job.json.description.split('\n')).toContain(
      'autonomous.dev/entity-ref: component:default/payments-api',
    );
    for (const name of ['payments-api', 'payments-api-staging']) {
      const app = await client.call('argocd', `/api/v1/applications/${name}`, {
        headers: auth.argocd,
      });
      expect(app.json.metadata.annotations).toMatchObject({
        'autonomous.dev/entity-ref': 'component:default/payments-api',
      });
      expect(app.json.metadata.labels).toMatchObject({
        'autonomous.dev/entity-kind': 'component',
        'autonomous.dev/entity-namespace': 'default',
        'autonomous.dev/entity-name': 'payments-api',
      });
    }
  });

  it('names applications after the entity, with the environment unless it is production or the only one', () => {
    const [storefront] = examplesSeed().projects;
    expect(seedApplicationName(storefront, 'production')).toBe('storefront');
    expect(seedApplicationName(storefront, 'staging')).toBe(
      'storefront-staging',
    );
    expect(
      seedApplicationName(
        { ...storefront, environments: ['preview'] },
        'preview',
      ),
    ).toBe('storefront');
  });

  it('refuses a seed with a wrong field and says which', async () => {
    const bad = examplesSeed();
    (bad.projects[1] as any).harborRepository = 'payments';
    await expect(startSandbox({ port: 0, seed: bad })).rejects.toThrow(
      'sandbox seed: projects[1].harborRepository must be project/repository; got "payments"',
    );
    await expect(startSandbox({ port: 0, seed: [] })).rejects.toThrow(
      'sandbox seed: expected an object { "projects": [ … ] }',
    );
  });
});
