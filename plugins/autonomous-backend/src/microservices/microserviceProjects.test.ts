import { isReleaseInFlight } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/config';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { Server } from 'node:http';
import request from 'supertest';
import { snapshotDatabase } from '../__testUtils__/databaseSnapshot';
import { authHeader } from '../__testUtils__/matrixCallers';
import {
  entityFor,
  SandboxProjects,
  sandboxConfig,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { startAutonomousTestBackend } from '../__testUtils__/testBackend';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { githubPushExamples } from '../__testUtils__/webhookContracts';
import { githubSignature } from '../webhooks/signature';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { ReleaseWorkStore } from '../database/ReleaseWorkStore';

jest.setTimeout(180_000);

const OWNER = 'user:default/owner';
/** May read and deploy everything, and delete nothing. */
const DEPLOYER = 'user:default/deployer';
const SYSTEM = 'system:default/payments';
const SERVICES = ['payments-api', 'payments-ledger', 'payments-worker'];
const ENVIRONMENTS = ['staging', 'production'];
const REPOSITORY = 'acme/payments';
const WEBHOOK_SECRET = 'payments-webhook-secret';
const BASE = '/api/autonomous';
const PROJECT = `${BASE}/projects/system/default/payments`;
const databases = createStoreTestDatabases();
let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.clients
    .get('vault')
    .writeSecret(`autonomous/webhooks/github/${REPOSITORY}`, {
      secret: WEBHOOK_SECRET,
    });
});
afterAll(() => upstream?.stop());

/** The payments System as examples/entities.yaml declares it, one repository for its services. */
function paymentsEntities(harborSuffix: string): Entity[] {
  const system: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: 'payments',
      namespace: 'default',
      annotations: {
        'autonomous.dev/project': 'microservice',
        'autonomous.dev/environments': ENVIRONMENTS.join(','),
      },
    },
    spec: { owner: 'group:default/payments-team' },
  };
  const services = SERVICES.map(name => {
    const entity = entityFor(name, {
      environments: ENVIRONMENTS,
      repository: { provider: 'github', slug: REPOSITORY },
      autoDeploy: true,
    });
    Object.assign(entity.metadata.annotations!, {
      'autonomous.dev/project': 'microservice',
      'autonomous.dev/source-path': `services/${name}`,
      // Harbor tags are immutable: each database's run builds into its own repository.
      'goharbor.io/repository-slug': `shop/${name}-${harborSuffix}`,
      ...(name === 'payments-api'
        ? { 'autonomous.dev/domains': 'pay.example.com' }
        : {}),
    });
    entity.spec = { ...entity.spec, system: 'payments' };
    return entity;
  });
  return [system, ...services];
}

function push(sha: string, changed: string[]): string {
  const [, example] = githubPushExamples().find(
    ([name]) => name === 'with-new-branch.payload.json',
  )!;
  const body = JSON.parse(example);
  body.ref = 'refs/heads/main';
  body.after = sha;
  body.repository.full_name = REPOSITORY;
  const commit = {
    ...body.head_commit,
    id: sha,
    message: 'Round the card fee',
    timestamp: '2026-12-08T09:00:00Z',
    added: [],
    modified: changed,
    removed: [],
  };
  body.head_commit = commit;
  body.commits = [commit];
  return JSON.stringify(body);
}

describe.each(databases.ids)('microservice projects on %s', databaseId => {
  let knex: Knex;
  let server: Server;
  const argocdApps = () => [...upstream.sandbox.sandbox.argocd.apps.keys()];
  const releasesOf = (service: string) =>
    knex('releases')
      .where({ entity_ref: `component:default/${service}` })
      .orderBy('seq');

  /** Waits until no release is in flight, then until ArgoCD has no sync running. */
  async function settle() {
    const deadline = Date.now() + 90_000;
    const busy = async () =>
      (await knex('releases').select('status')).some(r =>
        isReleaseInFlight(r.status),
      );
    while (await busy()) {
      if (Date.now() > deadline) throw new Error('releases still in flight');
      upstream.sandbox.sandbox.advance();
      await new Promise(r => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    knex = await databases.migrated(databaseId);
    // The same applications on every engine's run: a deletion in the last one is undone here.
    for (const name of SERVICES) {
      await upstream.addProject(name, { environments: ENVIRONMENTS });
    }
    const config = sandboxConfig(upstream.sandbox.url).get() as JsonObject;
    server = await startAutonomousTestBackend({
      knex,
      config: {
        autonomous: {
          ...(config.autonomous as JsonObject),
          orchestrator: { pollInterval: { milliseconds: 100 } },
        },
      },
      entities: paymentsEntities(databaseId.toLowerCase().replace('_', '')),
      policy: {
        allows: (who, permission) =>
          who === OWNER ||
          (who === DEPLOYER && permission !== 'autonomous.project.delete'),
      },
    });
  });

  it('shows the three services with readiness, current release and domain per environment', async () => {
    const res = await request(server)
      .get(`${PROJECT}/services`)
      .set(authHeader(OWNER));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: SYSTEM,
      kind: 'microservice',
      releaseGroups: [],
    });
    expect(res.body.services.map((s: { name: string }) => s.name)).toEqual(
      SERVICES,
    );
    const api = res.body.services[0];
    expect(api).toMatchObject({
      entityRef: 'component:default/payments-api',
      sourcePath: 'services/payments-api',
    });
    expect(api.environments).toEqual([
      expect.objectContaining({
        environment: 'staging',
        argocdApplication: 'payments-api-staging',
        ready: expect.any(Boolean),
        readiness: expect.any(String),
        domains: [],
      }),
      expect.objectContaining({
        environment: 'production',
        argocdApplication: 'payments-api',
        domains: ['pay.example.com'],
      }),
    ]);
    // Nothing was released yet: no service has a current release anywhere.
    expect(
      res.body.services.flatMap((s: any) =>
        s.environments.map((e: any) => e.currentRelease),
      ),
    ).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);

    const stranger = await request(server)
      .get(`${PROJECT}/services`)
      .set(authHeader('user:default/stranger'));
    expect(stranger.status).toBe(403);
  });

  it('deploys payments-api alone, then two services together as one group', async () => {
    const alone = await request(server)
      .post(`${PROJECT}/services/releases`)
      .set(authHeader(DEPLOYER))
      .send({ environment: 'production', services: ['payments-api'] });
    expect(alone.status).toBe(201);
    expect(alone.body).toMatchObject({
      entityRef: SYSTEM,
      environment: 'production',
      requestedBy: DEPLOYER,
      releases: [
        {
          entityRef: 'component:default/payments-api',
          environment: 'production',
          status: 'queued',
          ref: 'main',
        },
      ],
    });
    await settle();
    expect((await releasesOf('payments-worker')).length).toBe(0);

    const shown = await request(server)
      .get(`${PROJECT}/services`)
      .set(authHeader(OWNER));
    const api = shown.body.services.find((s: any) => s.name === 'payments-api');
    const production = api.environments.find(
      (e: any) => e.environment === 'production',
    );
    expect(production).toMatchObject({
      ready: true,
      health: 'Healthy',
      sync: 'Synced',
      currentRelease: {
        id: alone.body.releases[0].id,
        status: 'healthy',
      },
      readiness: expect.stringMatching(/^Ready · /),
    });

    const together = await request(server)
      .post(`${PROJECT}/services/releases`)
      .set(authHeader(DEPLOYER))
      .send({
        environment: 'staging',
        services: ['payments-worker', 'payments-ledger'],
        reason: 'Settle in the new currency',
      });
    expect(together.status).toBe(201);
    expect(
      together.body.releases.map((r: any) => [r.entityRef, r.environment]),
    ).toEqual([
      ['component:default/payments-worker', 'staging'],
      ['component:default/payments-ledger', 'staging'],
    ]);
    // Each release is in its own service's history, and the System lists them as one group.
    const workerHistory = await request(server)
      .get(`${BASE}/projects/component/default/payments-worker/releases`)
      .set(authHeader(OWNER));
    expect(workerHistory.body.items.map((r: any) => r.id)).toEqual([
      together.body.releases[0].id,
    ]);
    await settle();
    const groups = (
      await request(server).get(`${PROJECT}/services`).set(authHeader(OWNER))
    ).body.releaseGroups;
    expect(groups.map((g: any) => g.id)).toEqual([
      together.body.id,
      alone.body.id,
    ]);
    expect(groups[0]).toMatchObject({
      reason: 'Settle in the new currency',
      releases: [{ status: 'healthy' }, { status: 'healthy' }],
    });
  });

  it('refuses an unknown service or a service with a release in flight, creating nothing', async () => {
    const before = await snapshotDatabase(knex);
    const unknown = await request(server)
      .post(`${PROJECT}/services/releases`)
      .set(authHeader(OWNER))
      .send({
        environment: 'production',
        services: ['payments-api', 'payments-apx'],
      });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain(
      'payments-apx is not a service of system:default/payments; its services are payments-api, payments-ledger, payments-worker',
    );
    const stranger = await request(server)
      .post(`${PROJECT}/services/releases`)
      .set(authHeader('user:default/stranger'))
      .send({ environment: 'production', services: ['payments-api'] });
    expect(stranger.status).toBe(403);
    expect(await snapshotDatabase(knex)).toEqual(before);

    // A release of payments-ledger held by another backend: the pair is refused as a whole.
    await settle();
    const store = new DatabaseReleaseStore(knex);
    const work = new ReleaseWorkStore(knex);
    let held;
    // This backend's orchestrator may take the release first: then it is finished, and again.
    for (let attempt = 0; attempt < 5 && !held; attempt++) {
      await settle();
      const queued = await store.createRelease({
        entityRef: 'component:default/payments-ledger',
        environment: 'production',
        version: 'held',
        ref: 'main',
        trigger: 'api',
        requestedBy: OWNER,
      });
      if (await work.claim(queued.id, 600_000)) held = queued;
    }
    if (!held) throw new Error('the orchestrator took every queued release');
    const withHeld = await snapshotDatabase(knex);
    const busy = await request(server)
      .post(`${PROJECT}/services/releases`)
      .set(authHeader(OWNER))
      .send({
        environment: 'production',
        services: ['payments-api', 'payments-ledger'],
      });
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toContain(
      `component:default/payments-ledger has release #${held.number} queued in production`,
    );
    await store.transition(held.id, 'cancelled', 'Cancelled by the test');
    // No release and no group; the refused attempt is in the audit trail, as every refusal is.
    const after = await snapshotDatabase(knex);
    expect(after.release_groups).toEqual(withHeld.release_groups);
    expect(after.releases.rows).toEqual(withHeld.releases.rows);
    expect(
      await knex('audit_events').where({ action: 'release.group-create' }),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: OWNER, outcome: 'failed' }),
      ]),
    );
  });

  it('releases only the service whose folder a push changed', async () => {
    await settle();
    const counts = async () =>
      Promise.all(SERVICES.map(async s => (await releasesOf(s)).length));
    const [api, ledger, worker] = await counts();
    const body = push(randomUUID().replace(/-/g, '').padEnd(40, 'a'), [
      'services/payments-api/src/fees.ts',
    ]);
    const res = await request(server)
      .post(`${BASE}/webhooks/github`)
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'push')
      .set('X-GitHub-Delivery', randomUUID())
      .set(
        'X-Hub-Signature-256',
        githubSignature(Buffer.from(body), WEBHOOK_SECRET),
      )
      .send(body);
    expect(res.status).toBe(202);
    const outcomes = Object.fromEntries(
      res.body.projects.map((p: any) => [p.entityRef, p.outcome]),
    );
    expect(outcomes).toEqual({
      'component:default/payments-api': 'released',
      'component:default/payments-ledger': 'ignored',
      'component:default/payments-worker': 'ignored',
    });
    // Both environments follow main with auto-deploy on: two releases of payments-api only.
    expect(await counts()).toEqual([api + 2, ledger, worker]);
    await settle();
  });

  it('refuses a delete with a wrong confirmation or without the permission, and deletes with the right one, keeping the history', async () => {
    await settle();
    const apps = SERVICES.flatMap(s => [s, `${s}-staging`]).sort();
    expect(argocdApps()).toEqual(expect.arrayContaining(apps));
    const before = await snapshotDatabase(knex);

    const wrong = await request(server)
      .delete(PROJECT)
      .set(authHeader(OWNER))
      .send({ confirm: 'payment' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toBe(
      "confirm: type the project's name, payments, to delete system:default/payments and its ArgoCD applications",
    );
    const notAllowed = await request(server)
      .delete(PROJECT)
      .set(authHeader(DEPLOYER))
      .send({ confirm: 'payments' });
    expect(notAllowed.status).toBe(403);
    expect(await snapshotDatabase(knex)).toEqual(before);
    expect(argocdApps()).toEqual(expect.arrayContaining(apps));

    const history = await knex('releases').count({ n: '*' });
    const deleted = await request(server)
      .delete(PROJECT)
      .set(authHeader(OWNER))
      .send({ confirm: 'payments' });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({
      entityRef: SYSTEM,
      deletedBy: OWNER,
      services: [
        'component:default/payments-api',
        'component:default/payments-ledger',
        'component:default/payments-worker',
        SYSTEM,
      ],
    });
    expect([...deleted.body.applications].sort()).toEqual(apps);
    expect(argocdApps().filter(a => apps.includes(a))).toEqual([]);
    // The history stays, readable; the deletion is audited; nothing deploys any more.
    expect(await knex('releases').count({ n: '*' })).toEqual(history);
    const apiHistory = await request(server)
      .get(`${BASE}/projects/component/default/payments-api/releases`)
      .set(authHeader(OWNER));
    expect(apiHistory.status).toBe(200);
    expect(apiHistory.body.items.length).toBe(3);
    expect(
      await knex('audit_events').where({ action: 'project.delete' }),
    ).toEqual([
      expect.objectContaining({
        actor: OWNER,
        entity_ref: SYSTEM,
        outcome: 'succeeded',
      }),
    ]);
    const shown = await request(server)
      .get(`${PROJECT}/services`)
      .set(authHeader(OWNER));
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      services: [],
      deletion: { deletedBy: OWNER },
    });
    const deploy = await request(server)
      .post(`${PROJECT}/services/releases`)
      .set(authHeader(OWNER))
      .send({ environment: 'production', services: ['payments-api'] });
    expect(deploy.status).toBe(409);
    expect(deploy.body.error.message).toContain(
      'system:default/payments was deleted by user:default/owner',
    );
    const single = await request(server)
      .post(`${BASE}/projects/component/default/payments-api/releases`)
      .set(authHeader(OWNER))
      .send({ environment: 'production' });
    expect(single.status).toBe(409);
    expect(single.body.error.message).toContain(
      'component:default/payments-api was deleted with its project system:default/payments',
    );
  });
});
