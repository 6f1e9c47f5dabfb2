import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import {
  newRelease,
  orchestratorHarness,
} from '../__testUtils__/orchestratorHarness';
import {
  entityFor,
  SandboxProjects,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';
import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { upstreamWrites } from '../__testUtils__/upstreamWrites';

jest.setTimeout(120_000);

/** Another team's component whose annotations name storefront's application and job. */
const intruder: Entity = {
  ...entityFor('intruder'),
  metadata: {
    ...entityFor('intruder').metadata,
    annotations: {
      ...entityFor('intruder').metadata.annotations,
      'argocd/app-name': 'storefront',
      'jenkins.io/job-full-name': 'shop/storefront',
      'goharbor.io/repository-slug': 'shop/intruder',
    },
  },
  spec: { type: 'service', owner: 'group:default/other-team' },
};

const databases = createStoreTestDatabases();
let upstream: SandboxProjects;

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject('storefront');
  upstream.addEntity(intruder);
});
afterAll(() => upstream.stop());

describe.each(databases.ids)(
  'upstream objects bound to their entity, orchestrator on %s',
  databaseId => {
    let knex: Knex;
    let harness: ReturnType<typeof orchestratorHarness>;

    beforeAll(async () => {
      knex = await databases.migrated(databaseId);
    });
    afterEach(() => harness?.orchestrator.stop());

    it("fails a release that names another entity's Jenkins job before triggering it", async () => {
      harness = orchestratorHarness(knex, upstream);
      const writes = upstreamWrites(upstream.sandbox);
      const builds = await upstream.buildTriggers();
      const created = await harness.releases.createRelease(
        newRelease('intruder', {
          buildJob: 'shop/storefront',
          argocdApplication: 'storefront',
        }),
      );
      const done = await harness.drive(created.id);

      expect(done.status).toBe('failed');
      const { events } = (await harness.releases.getReleaseWithEvents(
        created.id,
      ))!;
      expect(events[events.length - 1].message).toBe(
        'Jenkins job shop/storefront does not claim component:default/intruder: add the line "autonomous.dev/entity-ref: component:default/intruder" to the job\'s description, or map it to the entity\'s owner in autonomous.bindings',
      );
      expect(await upstream.buildTriggers()).toBe(builds);
      expect(upstreamWrites(upstream.sandbox)).toBe(writes);
    });

    it("fails a redeploy onto another entity's ArgoCD application before changing it", async () => {
      harness = orchestratorHarness(knex, upstream);
      const first = await harness.drive(
        (
          await harness.releases.createRelease(newRelease('storefront'))
        ).id,
      );
      expect(first.status).toBe('healthy');
      const app = await upstream.clients
        .get('argocd')
        .getApplication('storefront');
      const writes = upstreamWrites(upstream.sandbox);

      const created = await harness.releases.createRelease(
        newRelease('intruder', {
          trigger: 'redeploy',
          buildJob: 'shop/storefront',
          argocdApplication: 'storefront',
          imageRef: first.imageRef,
        }),
      );
      const done = await harness.drive(created.id);

      expect(done.status).toBe('failed');
      const { events } = (await harness.releases.getReleaseWithEvents(
        created.id,
      ))!;
      expect(events[events.length - 1].message).toMatch(
        /^ArgoCD application storefront does not claim component:default\/intruder \(it claims component:default\/storefront\): add the annotation autonomous\.dev\/entity-ref: component:default\/intruder/,
      );
      expect(upstreamWrites(upstream.sandbox)).toBe(writes);
      const after = await upstream.clients
        .get('argocd')
        .getApplication('storefront');
      expect(after.spec.source?.helm?.parameters).toEqual(
        app.spec.source?.helm?.parameters,
      );
    });

    it('still deploys the entity its job and application claim', async () => {
      harness = orchestratorHarness(knex, upstream);
      const builds = await upstream.buildTriggers();
      const done = await harness.drive(
        (
          await harness.releases.createRelease(newRelease('storefront'))
        ).id,
      );
      expect(done.status).toBe('healthy');
      expect(await upstream.buildTriggers()).toBe(builds + 1);
    });
  },
);
