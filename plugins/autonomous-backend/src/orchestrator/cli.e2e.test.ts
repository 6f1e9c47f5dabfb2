import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ChildBackend } from '../__testUtils__/childBackend';
import {
  entityFor,
  SandboxProjects,
  sandboxConfigData,
  startSandboxProjects,
} from '../__testUtils__/sandboxProject';

/*
 * The `autonomous` command (packages/cli) against a real backend process, its orchestrator and
 * the upstream sandbox: deploy and wait, a failed build, a rollback, the history.
 */

jest.setTimeout(300_000);

const CLI = resolve(__dirname, '../../../../packages/cli/src/main.ts');
const TOKEN = 'cli-e2e-token-with-enough-length';
const ENVIRONMENTS = ['staging', 'production'];

let upstream: SandboxProjects;
let backend: ChildBackend;

function cli(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(done => {
    // As `yarn autonomous` runs it (packages/cli/package.json).
    const node = ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', CLI];
    const child = spawn(process.execPath, [...node, ...args], {
      env: {
        ...process.env,
        AUTONOMOUS_URL: `http://127.0.0.1:${backend.port}`,
        AUTONOMOUS_TOKEN: TOKEN,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('close', code => done({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  upstream = await startSandboxProjects();
  await upstream.addProject('storefront', { environments: ENVIRONMENTS });
  const upstreams = sandboxConfigData(upstream.sandbox.url);
  backend = await ChildBackend.create({
    entities: [entityFor('storefront', { environments: ENVIRONMENTS })],
    config: () => ({
      backend: {
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token: TOKEN, subject: 'ci-deployer' },
              accessRestrictions: [{ plugin: 'autonomous' }],
            },
          ],
        },
      },
      ...upstreams,
      autonomous: {
        ...upstreams.autonomous,
        orchestrator: { pollIntervalSeconds: 0.5 },
      },
    }),
  });
  await backend.start();
});

afterAll(async () => {
  await backend?.kill();
  await upstream?.stop();
});

describe('the autonomous command against a running portal backend', () => {
  it('deploys, follows the release to healthy and exits 0', async () => {
    const run = await cli(
      'deploy',
      'storefront',
      '--env',
      'staging',
      '--reason',
      'first deploy',
      '--wait',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/building → built .*Harbor resolved/);
    expect(run.stdout).toMatch(/progressing → healthy/);
  });

  it("exits 1 with Jenkins's reason when the build fails", async () => {
    await upstream.control('/builds', { fail: true });
    try {
      const run = await cli(
        'deploy',
        'storefront',
        '--env',
        'staging',
        '--wait',
      );
      expect(run.code).toBe(1);
      expect(`${run.stdout}${run.stderr}`).toMatch(
        /finished FAILURE: see the build log/,
      );
    } finally {
      await upstream.control('/builds', { fail: false });
    }
  });

  it('rolls back to the previous good release and lists the history', async () => {
    const second = await cli(
      'deploy',
      'storefront',
      '--env',
      'staging',
      '--wait',
    );
    expect(second.code).toBe(0);
    const rollback = await cli(
      'rollback',
      'storefront',
      '--env',
      'staging',
      '--wait',
    );
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toMatch(/healthy/);

    const history = await cli(
      'releases',
      'storefront',
      '--env',
      'staging',
      '--json',
    );
    expect(history.code).toBe(0);
    const releases = JSON.parse(history.stdout);
    expect(releases.map((r: any) => [r.trigger, r.status])).toEqual([
      ['rollback', 'healthy'],
      ['cli', 'healthy'],
      ['cli', 'failed'],
      ['cli', 'healthy'],
    ]);
    expect(releases[0].imageRef).toBe(releases[3].imageRef);
    expect(releases[0].requestedBy).toBe('service:ci-deployer');
  });
});
