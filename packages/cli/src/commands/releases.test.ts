import type { FakePortal } from '../__testUtils__/portalServer.ts';
import { startFakePortal } from '../__testUtils__/portalServer.ts';
import { runCli } from '../__testUtils__/runCli.ts';

describe('autonomous releases', () => {
  let portal: FakePortal;
  beforeEach(async () => {
    portal = await startFakePortal();
  });
  afterEach(() => portal.close());

  function seedHistory(count: number) {
    return portal.seed(
      Array.from({ length: count }, (_, i) => ({
        version: `v${count - i}`,
        environment: i % 3 === 0 ? 'production' : 'staging',
        requestedBy: 'user:default/jane',
        trigger: 'manual' as const,
        durationMs: 125_000,
      })),
    );
  }

  it('prints the newest releases as a table, reading only the pages --limit needs', async () => {
    seedHistory(45);
    portal.pageSizeCap = 20;
    const result = await runCli(['releases', 'storefront', '--limit', '30'], {
      portal,
    });

    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^# +VERSION +ENVIRONMENT +STATUS +TRIGGER +WHO +CREATED +DURATION +ID$/,
    );
    expect(lines).toHaveLength(31);
    expect(lines[1]).toMatch(
      /^#45 +v45 +production +healthy +manual +jane +2025-03-14 14:\d\d +2m 05s +[0-9a-f-]{36}$/,
    );
    expect(lines[30]).toMatch(/^#16 +v16 /);
    const pages = portal.requestsTo('GET', /\/releases$/);
    expect(pages.map(p => p.query)).toEqual([
      { limit: '30' },
      { limit: '10', cursor: '20' },
    ]);
  });

  it('shows one environment, following pages until it has enough', async () => {
    seedHistory(45);
    portal.pageSizeCap = 20;
    const result = await runCli(
      ['releases', 'storefront', '--env', 'production', '--limit', '10'],
      { portal },
    );

    expect(result.code).toBe(0);
    const rows = result.stdout.trim().split('\n').slice(1);
    expect(rows.map(r => r.split(/ +/)[1])).toEqual([
      'v45',
      'v42',
      'v39',
      'v36',
      'v33',
      'v30',
      'v27',
      'v24',
      'v21',
      'v18',
    ]);
    expect(rows.every(r => r.split(/ +/)[2] === 'production')).toBe(true);
    expect(portal.requestsTo('GET', /\/releases$/)).toHaveLength(2);
  });

  it('stops at the last page when there are fewer releases than --limit', async () => {
    seedHistory(3);
    const result = await runCli(['releases', 'storefront', '--json'], {
      portal,
    });
    expect(
      JSON.parse(result.stdout).map((r: { version: string }) => r.version),
    ).toEqual(['v3', 'v2', 'v1']);
    expect(portal.requestsTo('GET', /\/releases$/)).toHaveLength(1);
  });

  it('says so when there are none', async () => {
    const result = await runCli(
      ['releases', 'system:default/payments', '--env', 'qa'],
      {
        portal,
      },
    );
    expect(result.stdout).toBe(
      'system:default/payments has no releases in qa yet\n',
    );
  });

  it.each(['0', '-3', 'ten', '2.5'])('refuses --limit %s', async limit => {
    const result = await runCli(
      ['releases', 'storefront', `--limit=${limit}`],
      { portal },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `--limit "${limit}" is not a number of releases`,
    );
  });
});
