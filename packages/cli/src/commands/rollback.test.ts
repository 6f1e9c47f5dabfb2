import type { FakePortal } from '../__testUtils__/portalServer.ts';
import { startFakePortal } from '../__testUtils__/portalServer.ts';
import { runCli } from '../__testUtils__/runCli.ts';

const image = (tag: string) => `harbor.test/shop/storefront@sha256:${tag}`;

describe('autonomous rollback', () => {
  let portal: FakePortal;
  beforeEach(async () => {
    portal = await startFakePortal();
  });
  afterEach(() => portal.close());

  /** Staging's story, newest first, with production releases in between. */
  function seedStory() {
    const [v8, v7, v6, v5, v4, v3, v2] = portal.seed([
      {
        version: 'v8',
        environment: 'production',
        imageRef: image('d'),
        status: 'healthy',
      },
      {
        version: 'v7',
        environment: 'staging',
        imageRef: image('c'),
        status: 'degraded',
      },
      {
        version: 'v6',
        environment: 'staging',
        imageRef: image('c'),
        status: 'healthy',
      },
      { version: 'v5', environment: 'staging', status: 'failed' },
      {
        version: 'v4',
        environment: 'production',
        imageRef: image('e'),
        status: 'healthy',
      },
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
    return { v8, v7, v6, v5, v4, v3, v2 };
  }

  it('goes back to the newest healthy release of the environment whose image differs', async () => {
    const { v3 } = seedStory();
    portal.pageSizeCap = 2;
    const result = await runCli(
      ['rollback', 'storefront', '--env', 'staging', '--reason', 'errors'],
      {
        portal,
      },
    );

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [rollback] = portal.requestsTo('POST', /\/rollback$/);
    expect(rollback.path).toBe(`/api/autonomous/releases/${v3.id}/rollback`);
    expect(rollback.body).toEqual({ reason: 'errors' });
    expect(result.stdout).toContain(
      `Current release in staging: v7 (degraded); going back to v3 (${v3.id}), the newest healthy release with a different image`,
    );
    expect(result.stdout).toMatch(
      /Rolling back component:default\/storefront in staging to v3: release v9 \([0-9a-f-]{36}\) is queued/,
    );
    // v3 is on the third page of two; nothing older is read.
    expect(portal.requestsTo('GET', /\/releases$/)).toHaveLength(3);
  });

  it('takes the newest release with an image as current when the newest has none', async () => {
    const [, v10, v9] = portal.seed([
      { version: 'v11', environment: 'staging', status: 'failed' },
      {
        version: 'v10',
        environment: 'staging',
        imageRef: image('b'),
        status: 'healthy',
      },
      {
        version: 'v9',
        environment: 'staging',
        imageRef: image('a'),
        status: 'healthy',
      },
    ]);
    await runCli(['rollback', 'storefront', '--env', 'staging'], { portal });
    const [rollback] = portal.requestsTo('POST', /\/rollback$/);
    expect(rollback.path).toBe(`/api/autonomous/releases/${v9.id}/rollback`);
    expect(rollback.path).not.toContain(v10.id);
  });

  it('follows the rollback with --wait', async () => {
    seedStory();
    const result = await runCli(
      ['rollback', 'storefront', '--env', 'staging', '--wait'],
      {
        portal,
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'progressing → healthy  rollout complete, 2/2 ready',
    );
    expect(result.stdout).toMatch(/Release v9 is healthy in staging/);
  });

  it('says what to do when there is nothing to go back to', async () => {
    portal.seed([
      {
        version: 'v2',
        environment: 'staging',
        imageRef: image('a'),
        status: 'healthy',
      },
      {
        version: 'v1',
        environment: 'staging',
        imageRef: image('a'),
        status: 'healthy',
      },
    ]);
    const result = await runCli(
      ['rollback', 'storefront', '--env', 'staging'],
      { portal },
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: no healthy release of component:default/storefront in staging older than v2 runs a different image\n' +
        'hint: name the release to go back to with --to <release-id> (see "autonomous releases component:default/storefront --env staging")\n',
    );
    expect(portal.requestsTo('POST', /./)).toHaveLength(0);
  });

  it('uses --to when it names a release of that project and environment', async () => {
    const { v2, v4 } = seedStory();
    const ok = await runCli(
      ['rollback', 'storefront', '--env', 'staging', '--to', v2.id],
      {
        portal,
      },
    );
    expect(ok.code).toBe(0);
    expect(portal.requestsTo('POST', /\/rollback$/)[0].path).toBe(
      `/api/autonomous/releases/${v2.id}/rollback`,
    );

    const other = await runCli(
      ['rollback', 'storefront', '--env', 'staging', '--to', v4.id],
      {
        portal,
      },
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      `release v4 (${v4.id}) ran in production, not staging: a rollback goes back within one environment; use "autonomous redeploy ${v4.id} --env staging" to promote its image`,
    );
    expect(portal.requestsTo('POST', /\/rollback$/)).toHaveLength(1);
  });

  it('requires --env', async () => {
    const result = await runCli(['rollback', 'storefront'], { portal });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'error: missing --env <name>\nusage: autonomous rollback <entity> --env <name>',
    );
  });
});
