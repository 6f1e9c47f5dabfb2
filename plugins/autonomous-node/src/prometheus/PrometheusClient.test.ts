import { http, HttpResponse, delay } from 'msw';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import { PrometheusClient } from './PrometheusClient';

const BASE = 'http://prometheus.test/prom';
const TOKEN = 'prom-bearer-token-xyz';

describe('PrometheusClient', () => {
  const server = setupUpstreamServer([{ system: 'prometheus', baseUrl: BASE }]);
  const sleep = jest.fn(async () => {});
  const client = (timeoutMs?: number) =>
    new PrometheusClient(
      { name: 'main', url: BASE, token: TOKEN },
      { sleep, timeoutMs },
    );
  beforeEach(() => sleep.mockClear());

  it('runs an instant query and reads a vector', async () => {
    server.use(
      http.get(`${BASE}/api/v1/query`, ({ request }) => {
        const q = new URL(request.url).searchParams;
        expect(q.get('query')).toBe(
          'sum(rate(http_requests_total{code=~"5.."}[5m]))',
        );
        expect(q.get('time')).toBe('1700000000');
        expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
        return HttpResponse.json({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [{ metric: { job: 'web' }, value: [1700000000, '0.25'] }],
          },
        });
      }),
    );
    const result = await client().query(
      'sum(rate(http_requests_total{code=~"5.."}[5m]))',
      {
        time: new Date(1_700_000_000_000),
      },
    );
    expect(result).toEqual({
      resultType: 'vector',
      samples: [{ metric: { job: 'web' }, timestamp: 1700000000, value: 0.25 }],
    });
  });

  it('reads a scalar as a number', async () => {
    server.use(
      http.get(`${BASE}/api/v1/query`, () =>
        HttpResponse.json({
          status: 'success',
          data: { resultType: 'scalar', result: [1, '42'] },
        }),
      ),
    );
    await expect(client().queryNumber('42')).resolves.toBe(42);
  });

  it('reports a bad query in Prometheus words', async () => {
    server.use(
      http.get(`${BASE}/api/v1/query`, () =>
        HttpResponse.json(
          {
            status: 'error',
            errorType: 'bad_data',
            error: 'parse error at char 5: unexpected end of input',
          },
          { status: 400 },
        ),
      ),
    );
    await expect(client().query('sum(')).rejects.toThrow(
      'Prometheus query "sum(" failed: 400 Bad Request: parse error at char 5: unexpected end of input',
    );
  });

  it('retries on 503, says 401 plainly, and times out', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/api/v1/query`, async ({ request }) => {
        const q = new URL(request.url).searchParams.get('query');
        if (q === 'unauthorized')
          return new HttpResponse('Unauthorized', { status: 401 });
        if (q === 'slow') {
          await delay(300);
          return HttpResponse.json({});
        }
        calls++;
        return calls < 2
          ? new HttpResponse('', { status: 503 })
          : HttpResponse.json({
              status: 'success',
              data: { resultType: 'vector', result: [] },
            });
      }),
    );
    await expect(client().query('up')).resolves.toEqual({
      resultType: 'vector',
      samples: [],
    });
    expect(calls).toBe(2);
    const e401 = await client()
      .query('unauthorized')
      .catch(e => e);
    expect(e401).toMatchObject({ status: 401, reason: 'Unauthorized' });
    expect(e401.message).not.toContain(TOKEN);
    const timeout = await new PrometheusClient(
      { name: 'main', url: BASE },
      { sleep, timeoutMs: 20, retries: 0 },
    )
      .query('slow')
      .catch(e => e);
    expect(timeout.message).toBe(
      'Prometheus query "slow" failed: no answer within 20 ms',
    );
  });
});
