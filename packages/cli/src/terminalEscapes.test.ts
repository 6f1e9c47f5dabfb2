import type { FakePortal } from './__testUtils__/portalServer.ts';
import { backstageError } from './__testUtils__/portalTypes.ts';
import { startFakePortal } from './__testUtils__/portalServer.ts';
import { runCli } from './__testUtils__/runCli.ts';

const ESC = '\u001b';

describe('text from the portal in the terminal', () => {
  let portal: FakePortal;
  beforeEach(async () => {
    portal = await startFakePortal();
  });
  afterEach(() => portal.close());

  it('shows escape codes in event messages instead of letting the terminal obey them', async () => {
    portal.script = [
      { to: 'building', message: `${ESC}]0;pwned${ESC}\\ build #3 started` },
      { to: 'healthy', message: `${ESC}[2J${ESC}[31mall good` },
    ];
    const result = await runCli(
      ['deploy', 'storefront', '--env', 'staging', '--wait'],
      { portal },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(ESC);
    expect(result.stdout).toContain('\\x1b]0;pwned\\x1b\\ build #3 started');
    expect(result.stdout).toContain('\\x1b[2J\\x1b[31mall good');
  });

  it('does the same for error messages', async () => {
    portal.overrides.push({
      method: 'POST',
      path: /\/releases$/,
      status: 409,
      body: backstageError(409, 'ConflictError', `busy${ESC}[8m hidden`),
    });
    const result = await runCli(['deploy', 'storefront', '--env', 'staging'], {
      portal,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain(ESC);
    expect(result.stderr).toContain('busy\\x1b[8m hidden');
  });
});
