import { spawn } from 'node:child_process';
import type { FakePortal } from './__testUtils__/portalServer.ts';
import { startFakePortal } from './__testUtils__/portalServer.ts';

/** Runs `node src/main.ts <argv>` the way `yarn autonomous` does. */
function runMain(argv: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
          require.resolve('./main.ts'),
          ...argv,
        ],
        { env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...env } },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', chunk => (stdout += chunk));
      child.stderr.on('data', chunk => (stderr += chunk));
      child.on('error', reject);
      child.on('close', code => resolve({ code, stdout, stderr }));
    },
  );
}

describe('node src/main.ts', () => {
  let portal: FakePortal;
  beforeEach(async () => {
    portal = await startFakePortal();
  });
  afterEach(() => portal.close());

  it('deploys and waits as a separate process, exiting 0 when healthy', async () => {
    portal.script = [{ to: 'healthy', message: 'rollout complete, 1/1 ready' }];
    const result = await runMain(
      ['deploy', 'storefront', '--env', 'staging', '--wait'],
      {
        AUTONOMOUS_URL: portal.url,
        AUTONOMOUS_TOKEN: portal.token,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'queued → healthy  rollout complete, 1/1 ready',
    );
    expect(result.stdout).toContain('Release v1 is healthy in staging');
    expect(portal.requests[0].body).toMatchObject({ trigger: 'cli' });
  });

  it('exits 2 without a token and 1 when the release fails', async () => {
    const noToken = await runMain(['releases', 'storefront'], {
      AUTONOMOUS_URL: portal.url,
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('AUTONOMOUS_TOKEN is not set');

    portal.script = [
      { to: 'failed', message: 'no image for commit 3f2a9c1 in Harbor' },
    ];
    const failed = await runMain(
      ['deploy', 'storefront', '--env', 'staging', '--wait'],
      {
        AUTONOMOUS_URL: portal.url,
        AUTONOMOUS_TOKEN: portal.token,
      },
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      'Release v1 failed: no image for commit 3f2a9c1 in Harbor\n',
    );
  });
});
