import { startTestSandbox } from './__testUtils__/contractClient.ts';
import type { RunningSandbox } from './sandbox.ts';

const ERROR_RATIO =
  'sum(rate(http_requests_total{namespace="shop-production",code=~"5.."}[1m])) / sum(rate(http_requests_total{namespace="shop-production"}[1m]))';

describe('steered Prometheus results', () => {
  let running: RunningSandbox;

  beforeAll(async () => {
    ({ running } = await startTestSandbox());
  });
  afterAll(() => running.stop());
  afterEach(() => control('/prometheus/scenario', undefined, 'DELETE'));

  async function control(path: string, body?: unknown, method = 'POST') {
    const res = await fetch(`${running.url}/_sandbox${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  async function query(q: string) {
    const res = await fetch(
      `${running.url}/prometheus/api/v1/query?query=${encodeURIComponent(q)}`,
    );
    return { status: res.status, body: await res.json() };
  }

  const ratioNow = async () =>
    Number((await query(ERROR_RATIO)).body.data.result[0]?.value[1]);

  it('answers a healthy error ratio for a steered namespace, even without pods', async () => {
    expect(
      (
        await control('/prometheus/scenario', {
          namespace: 'shop-production',
          mode: 'healthy',
        })
      ).status,
    ).toBe(200);
    expect(await ratioNow()).toBe(0.001);
  });

  it('turns the error ratio bad once the set time after the first query has passed', async () => {
    await control('/prometheus/scenario', {
      namespace: 'shop-production',
      mode: 'failing',
      failAfterMs: 300,
      failingRatio: 0.25,
    });
    expect(await ratioNow()).toBe(0.001);
    await new Promise(r => setTimeout(r, 350));
    expect(await ratioNow()).toBe(0.25);
    // Another namespace is not steered: no pods there, no series.
    const other = await query(
      ERROR_RATIO.replace(/shop-production/g, 'other-production'),
    );
    expect(other.body.data.result).toEqual([]);
  });

  it('refuses a scenario it cannot follow, saying what to send', async () => {
    const bad = await control('/prometheus/scenario', { mode: 'sometimes' });
    expect(bad).toEqual({
      status: 400,
      body: { message: "mode must be 'healthy' or 'failing'" },
    });
    const ratio = await control('/prometheus/scenario', {
      mode: 'failing',
      failingRatio: 3,
    });
    expect(ratio.status).toBe(400);
  });

  it('refuses PromQL that does not parse, as Prometheus does (bad_data)', async () => {
    const unclosed = await query('sum(rate(http_requests_total[1m])');
    expect(unclosed.status).toBe(400);
    expect(unclosed.body).toMatchObject({
      status: 'error',
      errorType: 'bad_data',
      error: expect.stringMatching(/unclosed left parenthesis/),
    });
    const trailing = await query('sum(up) /');
    expect(trailing.status).toBe(400);
    expect(trailing.body.error).toMatch(/unexpected end of input/);
    expect((await query('sum(up{namespace="a"}) > 0')).status).toBe(200);
  });
});
