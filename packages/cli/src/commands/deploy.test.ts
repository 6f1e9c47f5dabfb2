import type { FakePortal } from '../__testUtils__/portalServer.ts';
import { startFakePortal } from '../__testUtils__/portalServer.ts';
import { runCli } from '../__testUtils__/runCli.ts';

describe('autonomous deploy', () => {
  let portal: FakePortal;
  beforeEach(async () => {
    portal = await startFakePortal();
  });
  afterEach(() => portal.close());

  it('creates a release with the CLI trigger and follows it to healthy (exit 0)', async () => {
    const result = await runCli(
      [
        'deploy',
        'storefront',
        '--env',
        'staging',
        '--ref',
        'main',
        '--reason',
        'ship it',
        '--wait',
      ],
      { portal },
    );

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [create] = portal.requestsTo('POST', /\/releases$/);
    expect(create.path).toBe(
      '/api/autonomous/projects/component/default/storefront/releases',
    );
    expect(create.authorization).toBe(`Bearer ${portal.token}`);
    expect(create.body).toEqual({
      environment: 'staging',
      ref: 'main',
      reason: 'ship it',
      trigger: 'cli',
    });
    const lines = result.stdout.trim().split('\n');
    const id = [...portal.releases.keys()][0];
    expect(lines[0]).toBe(
      `Deploying component:default/storefront to staging: release v1 (${id}); following it`,
    );
    // Every event once, in order, as `HH:MM:SS  from → to  message`.
    expect(lines.slice(1, -1)).toEqual([
      '14:03:01  queued  queued by cli',
      '14:03:02  queued → building  Jenkins build #12 started',
      '14:03:03  building → built  image pinned to harbor.test/shop/storefront@sha256:aa',
      '14:03:04  built → syncing  ArgoCD sync requested',
      '14:03:05  syncing → progressing  rollout 1/2 ready',
      '14:03:06  progressing → healthy  rollout complete, 2/2 ready',
    ]);
    expect(lines[lines.length - 1]).toBe(
      'Release v1 is healthy in staging (took 6s)',
    );
    // The portal moves one step per read: five reads, none after the release ended.
    expect(
      portal.requestsTo('GET', /^\/api\/autonomous\/releases\//),
    ).toHaveLength(5);
  });

  it('exits 1 and prints why when the release fails', async () => {
    portal.script = [
      { to: 'building', message: 'Jenkins build #7 started' },
      {
        to: 'failed',
        message: 'Jenkins build #7 failed: npm test exited with 1',
      },
    ];
    const result = await runCli(
      [
        'deploy',
        'component:default/storefront',
        '--env',
        'production',
        '--wait',
      ],
      { portal },
    );

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'building → failed  Jenkins build #7 failed: npm test exited with 1',
    );
    expect(result.stderr).toBe(
      'Release v1 failed: Jenkins build #7 failed: npm test exited with 1\n',
    );
  });

  it.each([
    [
      'cancelled',
      'cancelled by jane',
      'Release v1 was cancelled: cancelled by jane',
    ],
    [
      'degraded',
      'health gate error-rate failed',
      'Release v1 is degraded in staging: health gate error-rate failed',
    ],
  ] as const)('exits 1 when the release ends %s', async (to, message, said) => {
    portal.script = [{ to, message }];
    const result = await runCli(
      ['deploy', 'storefront', '--env', 'staging', '--wait'],
      {
        portal,
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(said);
  });

  it('without --wait prints the release id and version and returns at once', async () => {
    const result = await runCli(['deploy', 'storefront', '--env', 'staging'], {
      portal,
    });
    const id = [...portal.releases.keys()][0];
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Deploying component:default/storefront to staging: release v1 (${id}) is queued\n`,
    );
    expect(portal.requestsTo('GET', /./)).toHaveLength(0);
  });

  it('prints the JSON answers with --json', async () => {
    const result = await runCli(
      ['deploy', 'storefront', '--env', 'staging', '--wait', '--json'],
      { portal },
    );
    expect(result.code).toBe(0);
    const release = JSON.parse(result.stdout);
    expect(release).toMatchObject({ version: 'v1', status: 'healthy' });
    expect(release.events).toHaveLength(6);
  });

  it("on 409 prints the portal's message naming the release in flight and how to go ahead", async () => {
    [portal.inFlight] = portal.seed([{ version: 'v7', status: 'building' }]);
    const result = await runCli(['deploy', 'storefront', '--env', 'staging'], {
      portal,
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: release v7 (${portal.inFlight.id}) is building in staging (HTTP 409)\n` +
        'hint: add --queue to run after the release in flight, or --supersede to cancel it and run this one\n',
    );
  });

  it.each([
    ['--queue', 'queue'],
    ['--supersede', 'supersede'],
  ])('sends %s as onConflict', async (flag, policy) => {
    [portal.inFlight] = portal.seed([{ version: 'v7', status: 'building' }]);
    const result = await runCli(
      ['deploy', 'storefront', '--env', 'staging', flag],
      {
        portal,
      },
    );
    expect(result.code).toBe(0);
    const [create] = portal.requestsTo('POST', /\/releases$/);
    expect(create.body).toMatchObject({ onConflict: policy });
  });

  it('refuses --queue with --supersede and a malformed --commit before calling the portal', async () => {
    const both = await runCli(
      ['deploy', 'storefront', '--env', 'staging', '--queue', '--supersede'],
      { portal },
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(
      '--queue and --supersede cannot be used together',
    );

    const commit = await runCli(
      ['deploy', 'storefront', '--env', 'staging', '--commit', 'main'],
      { portal },
    );
    expect(commit.code).toBe(2);
    expect(commit.stderr).toContain('--commit "main" is not a commit SHA');
    expect(portal.requests).toHaveLength(0);
  });

  it('sends a commit SHA as commitSha', async () => {
    await runCli(
      ['deploy', 'storefront', '--env', 'staging', '--commit', '3f2a9c1'],
      {
        portal,
      },
    );
    expect(portal.requests[0].body).toMatchObject({ commitSha: '3f2a9c1' });
  });

  it('keeps following through a passing 503 and gives up on a lasting one', async () => {
    portal.overrides.push({
      method: 'GET',
      path: /^\/releases\//,
      status: 503,
      body: {
        error: { name: 'ServiceUnavailableError', message: 'restarting' },
      },
    });
    const passing = await runCli(
      ['deploy', 'storefront', '--env', 'staging', '--wait'],
      {
        portal,
      },
    );
    expect(passing.code).toBe(0);
    expect(passing.stderr).toBe(
      'warning: restarting (HTTP 503); trying again (1/5)\n',
    );

    for (let i = 0; i < 6; i++) {
      portal.overrides.push({
        method: 'GET',
        path: /^\/releases\//,
        status: 503,
        body: { error: { name: 'ServiceUnavailableError', message: 'down' } },
      });
    }
    const lasting = await runCli(
      ['deploy', 'storefront', '--env', 'staging', '--wait'],
      {
        portal,
      },
    );
    expect(lasting.code).toBe(1);
    expect(lasting.stderr).toMatch(
      /trying again \(5\/5\)\nerror: down \(HTTP 503\)\n$/,
    );
  });
});
