import type { FakePortal } from '../__testUtils__/portalServer.ts';
import { startFakePortal } from '../__testUtils__/portalServer.ts';
import { runCli } from '../__testUtils__/runCli.ts';

describe('autonomous status, cancel, redeploy and logs', () => {
  let portal: FakePortal;
  beforeEach(async () => {
    portal = await startFakePortal();
  });
  afterEach(() => portal.close());

  it('status prints one line per environment with its summary', async () => {
    portal.status = {
      entityRef: 'system:default/payments',
      environments: [
        {
          environment: 'staging',
          namespace: 'payments-staging',
          summary: 'v12 is healthy (2/2 ready)',
        },
        {
          environment: 'production',
          namespace: 'payments',
          summary: 'Release v12 failed; v11 is still serving (2/2 ready)',
          errors: ['ArgoCD did not answer'],
        },
      ],
    };
    const result = await runCli(['status', 'system:default/payments'], {
      portal,
    });
    expect(result.code).toBe(0);
    expect(portal.requests[0].path).toBe(
      '/api/autonomous/projects/system/default/payments/status',
    );
    expect(result.stdout).toBe(
      'staging     v12 is healthy (2/2 ready)\n' +
        'production  Release v12 failed; v11 is still serving (2/2 ready)\n' +
        '            (partial: ArgoCD did not answer)\n',
    );
  });

  it('cancel sends the reason and prints the outcome', async () => {
    const [release] = portal.seed([{ version: 'v4', status: 'building' }]);
    const result = await runCli(
      ['cancel', release.id, '--reason', 'wrong branch'],
      { portal },
    );
    expect(result.code).toBe(0);
    expect(portal.requests[0].body).toEqual({ reason: 'wrong branch' });
    expect(result.stdout).toBe(
      `Release v4 (${release.id}) of component:default/storefront in staging is cancelled\n`,
    );
  });

  it('cancel of an unknown release prints the 404', async () => {
    const result = await runCli(
      ['cancel', '6f1c1b8e-59a6-4a34-9d43-2b7a0c4b8e11'],
      { portal },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: no release with id 6f1c1b8e-59a6-4a34-9d43-2b7a0c4b8e11 (HTTP 404)\n',
    );
  });

  it('redeploy promotes an image to another environment and follows it', async () => {
    const [release] = portal.seed([
      { version: 'v4', imageRef: 'harbor.test/shop/storefront@sha256:aa' },
    ]);
    const result = await runCli(
      ['redeploy', release.id, '--env', 'production', '--supersede', '--wait'],
      { portal },
    );
    expect(result.code).toBe(0);
    expect(portal.requests[0].path).toBe(
      `/api/autonomous/releases/${release.id}/redeploy`,
    );
    expect(portal.requests[0].body).toEqual({
      environment: 'production',
      onConflict: 'supersede',
    });
    expect(result.stdout).toContain(
      'Redeploying component:default/storefront to production: release v5',
    );
    expect(result.stdout).toContain('Release v5 is healthy in production');
  });

  it('redeploy answered 409 hints at --queue and --supersede', async () => {
    const [inFlight, release] = portal.seed([
      { version: 'v5', status: 'syncing' },
      { version: 'v4' },
    ]);
    portal.inFlight = inFlight;
    const result = await runCli(['redeploy', release.id], { portal });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error: release v5 (${inFlight.id}) is syncing in staging (HTTP 409)`,
    );
    expect(result.stderr).toContain('hint: add --queue');
  });

  it('logs prints the whole build log, or follows it as it is written', async () => {
    const [release] = portal.seed([{ version: 'v4' }]);
    portal.buildLog = [
      'Started by Autonomous\n',
      '+ npm ci\n',
      'Finished: SUCCESS\n',
    ];

    const whole = await runCli(['logs', release.id], { portal });
    expect(whole.code).toBe(0);
    expect(whole.stdout).toBe(
      'Started by Autonomous\n+ npm ci\nFinished: SUCCESS\n',
    );
    expect(portal.requests[0].path).toBe(
      `/api/autonomous/releases/${release.id}/build-log/download`,
    );

    const followed = await runCli(['logs', release.id, '--follow'], { portal });
    expect(followed.code).toBe(0);
    expect(followed.stdout).toBe(whole.stdout);
    expect(portal.requests[1].path).toBe(
      `/api/autonomous/releases/${release.id}/build-log/stream`,
    );
  });
});
