import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakePortal } from './__testUtils__/portalServer.ts';
import { startFakePortal } from './__testUtils__/portalServer.ts';
import { runCli } from './__testUtils__/runCli.ts';

describe('autonomous: configuration, errors and help', () => {
  let portal: FakePortal;
  beforeEach(async () => {
    portal = await startFakePortal();
  });
  afterEach(() => portal.close());

  it('says how to set a missing token or URL (exit 2) and calls nothing', async () => {
    const noToken = await runCli(['status', 'storefront'], {
      env: { AUTONOMOUS_URL: portal.url },
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toBe(
      "error: AUTONOMOUS_TOKEN is not set: export AUTONOMOUS_TOKEN=<token> (a static token from backend.auth.externalAccess in app-config, or a user's Backstage token) or pass --token\n",
    );

    const noUrl = await runCli(['status', 'storefront'], {
      env: { AUTONOMOUS_TOKEN: portal.token },
    });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain(
      'AUTONOMOUS_URL is not set: export AUTONOMOUS_URL=http://localhost:7007',
    );

    const badUrl = await runCli(
      ['status', 'storefront', '--url', 'localhost:7007'],
      {
        env: { AUTONOMOUS_TOKEN: portal.token },
      },
    );
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('"localhost:7007" is not an http(s) URL');
    expect(portal.requests).toHaveLength(0);
  });

  it('lets --url and --token override the environment', async () => {
    portal.status = {
      entityRef: 'component:default/storefront',
      environments: [],
    };
    const result = await runCli(
      [
        'status',
        'storefront',
        '--url',
        `${portal.url}/`,
        '--token',
        portal.token,
      ],
      {
        env: {
          AUTONOMOUS_URL: 'http://elsewhere.invalid',
          AUTONOMOUS_TOKEN: 'stale-token',
        },
      },
    );
    expect(result.code).toBe(0);
    expect(portal.requests[0].authorization).toBe(`Bearer ${portal.token}`);
  });

  it("prints the portal's 401 message with a hint about the token", async () => {
    const result = await runCli(['releases', 'storefront'], {
      env: { AUTONOMOUS_URL: portal.url, AUTONOMOUS_TOKEN: 'wrong-token' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: Illegal token (HTTP 401)\n' +
        'hint: the portal did not accept the token: set AUTONOMOUS_TOKEN (or --token) to a static token from backend.auth.externalAccess, or to a current user token (user tokens expire after about an hour)\n',
    );
  });

  it('shows the start of a body that is not a Backstage error', async () => {
    portal.overrides.push({
      method: 'GET',
      path: /status$/,
      status: 502,
      body: '<html>Bad gateway</html>',
    });
    const result = await runCli(['status', 'storefront'], { portal });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: <html>Bad gateway</html> (HTTP 502)\n');
  });

  it('exits 3 when the portal cannot be reached', async () => {
    const closed = http.createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise(resolve => closed.close(resolve));

    const result = await runCli(['deploy', 'storefront', '--env', 'staging'], {
      env: {
        AUTONOMOUS_URL: `http://127.0.0.1:${port}`,
        AUTONOMOUS_TOKEN: 'any-token',
      },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `error: cannot reach http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n` +
        'hint: check AUTONOMOUS_URL (or --url) and that the portal backend is running\n',
    );
  });

  it.each([
    [
      ['deploy', 'storefront', '--env', 'staging', '--force'],
      'error: unknown option --force',
    ],
    [
      ['deploy', 'storefront', '--env'],
      'error: --env needs a value: --env <name>',
    ],
    [
      ['deploy', 'storefront', '--env', '--wait'],
      'error: --env needs a value: --env <name>',
    ],
    [
      ['deploy', 'storefront', '--wait=yes', '--env', 'qa'],
      'error: --wait takes no value',
    ],
    [
      ['deploy', 'storefront', '--env', 'a', '--env', 'b'],
      'error: --env is given more than once',
    ],
    [['deploy', '--env', 'staging'], 'error: missing <entity>'],
    [
      ['deploy', 'storefront', 'checkout', '--env', 'qa'],
      'error: unexpected argument "checkout"',
    ],
    [
      ['status', 'component:default/a/b'],
      'error: "component:default/a/b" is not an entity reference',
    ],
    [['cancel', 'v12'], 'error: "v12" is not a release id'],
  ])('refuses %j with exit 2', async (argv, message) => {
    const result = await runCli(argv, { portal });
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(portal.requests).toHaveLength(0);
  });

  it('prints the usage line after a bad flag', async () => {
    const result = await runCli(['status', 'storefront', '--watch'], {
      portal,
    });
    expect(result.stderr).toBe(
      'error: unknown option --watch\nusage: autonomous status <entity> [--json]\n',
    );
  });

  it.each([
    'deploy',
    'releases',
    'rollback',
    'redeploy',
    'cancel',
    'status',
    'logs',
  ])('explains %s with --help, needing no configuration', async command => {
    const result = await runCli([command, '--help'], { env: {} });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^usage: autonomous ${command} <`),
    );
    expect(result.stdout).toContain('--token <token>');
  });

  it('lists the commands, and refuses an unknown one', async () => {
    const help = await runCli(['--help'], { env: {} });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('  rollback  ');
    const none = await runCli([], { env: {} });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: autonomous <command> [options]');
    const unknown = await runCli(['promote', 'storefront'], { env: {} });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'error: unknown command "promote": use one of deploy, releases',
    );
  });
});
