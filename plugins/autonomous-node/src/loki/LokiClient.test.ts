import { http, HttpResponse } from 'msw';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import { LokiClient, lokiLabelSelector } from './LokiClient';

const BASE = 'http://loki.test';

describe('LokiClient', () => {
  const server = setupUpstreamServer([{ system: 'loki', baseUrl: BASE }]);
  const sleep = jest.fn(async () => {});

  it('builds label selectors with escaped values', () => {
    expect(lokiLabelSelector({ app: 'shop', msg: 'say "hi"' })).toBe(
      '{app="shop",msg="say \\"hi\\""}',
    );
  });

  it('queries a range for a label selector and merges streams newest first', async () => {
    server.use(
      http.get(`${BASE}/loki/api/v1/query_range`, ({ request }) => {
        const q = new URL(request.url).searchParams;
        expect(q.get('query')).toBe('{namespace="shop",app="web"}');
        expect(q.get('start')).toBe('1700000000000000000');
        expect(q.get('limit')).toBe('100');
        expect(q.get('direction')).toBe('backward');
        expect(request.headers.get('x-scope-orgid')).toBe('tenant-a');
        return HttpResponse.json({
          status: 'success',
          data: {
            resultType: 'streams',
            result: [
              {
                stream: { pod: 'web-1' },
                values: [
                  ['1700000000000000003', 'c'],
                  ['1700000000000000001', 'a'],
                ],
              },
              {
                stream: { pod: 'web-2' },
                values: [['1700000000000000002', 'b']],
              },
            ],
          },
        });
      }),
    );
    const loki = new LokiClient(
      { name: 'main', url: BASE, orgId: 'tenant-a' },
      { sleep },
    );
    const entries = await loki.queryRange(
      { namespace: 'shop', app: 'web' },
      { start: new Date(1_700_000_000_000), limit: 100 },
    );
    expect(entries.map(e => `${e.labels.pod}:${e.line}`)).toEqual([
      'web-1:c',
      'web-2:b',
      'web-1:a',
    ]);
  });

  it('reports a bad query and retries 502', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/loki/api/v1/query_range`, ({ request }) => {
        if (new URL(request.url).searchParams.get('query') === '{') {
          return new HttpResponse(
            'parse error at line 1, col 2: syntax error: unexpected $end',
            {
              status: 400,
            },
          );
        }
        calls++;
        return calls < 2
          ? new HttpResponse('', { status: 502 })
          : HttpResponse.json({
              status: 'success',
              data: { resultType: 'streams', result: [] },
            });
      }),
    );
    const loki = new LokiClient({ name: 'main', url: BASE }, { sleep });
    await expect(loki.queryRange('{')).rejects.toThrow(
      'Loki log query { failed: 400 Bad Request: parse error at line 1, col 2: syntax error: unexpected $end',
    );
    await expect(loki.queryRange('{app="x"}')).resolves.toEqual([]);
    expect(calls).toBe(2);
  });
});
