import { http, HttpResponse } from 'msw';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import { UpstreamHttp, joinUrl, parseRetryAfter } from './http';

const BASE = 'http://upstream.test/prefix';

describe('joinUrl', () => {
  it('keeps the path prefix of the instance URL', () => {
    expect(
      joinUrl('http://localhost:7200/argocd/', '/api/v1/applications', {
        upsert: true,
      }),
    ).toBe('http://localhost:7200/argocd/api/v1/applications?upsert=true');
    expect(joinUrl('http://h', '/a?x=1', { y: 2, z: undefined })).toBe(
      'http://h/a?x=1&y=2',
    );
  });
});

describe('parseRetryAfter', () => {
  it('takes seconds or a date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(
      parseRetryAfter(
        'Thu, 01 Jan 2026 00:00:10 GMT',
        Date.parse('2026-01-01T00:00:00Z'),
      ),
    ).toBe(10_000);
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('UpstreamHttp', () => {
  const server = setupUpstreamServer([{ system: 'loki', baseUrl: BASE }]);
  const sleep = jest.fn(async () => {});
  beforeEach(() => sleep.mockClear());
  const make = (extra: object = {}) =>
    new UpstreamHttp({
      system: 'loki',
      baseUrl: BASE,
      sleep,
      retries: 3,
      ...extra,
    });

  it('retries POST only when marked idempotent', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/x`, () => {
        calls++;
        return new HttpResponse('', { status: 500 });
      }),
    );
    await expect(
      make().request({ method: 'POST', path: '/x', operation: 'x' }),
    ).rejects.toThrow();
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      make().request({
        method: 'POST',
        path: '/x',
        operation: 'x',
        idempotent: true,
      }),
    ).rejects.toThrow();
    expect(calls).toBe(4);
  });

  it('caps Retry-After at the longest wait and backs off exponentially otherwise', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/x`, () => {
        calls++;
        if (calls === 1) {
          return new HttpResponse('', {
            status: 429,
            headers: { 'Retry-After': '3600' },
          });
        }
        return calls < 4
          ? new HttpResponse('', { status: 503 })
          : HttpResponse.json({ ok: true });
      }),
    );
    const res = await make({ maxDelayMs: 5000, baseDelayMs: 100 }).request({
      method: 'GET',
      path: '/x',
      operation: 'x',
    });
    expect(res.json()).toEqual({ ok: true });
    const delays = sleep.mock.calls.map(c => (c as unknown as [number])[0]);
    expect(delays[0]).toBe(5000);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
    expect(delays[2]).toBeGreaterThanOrEqual(200);
    expect(delays[2]).toBeLessThanOrEqual(400);
  });

  it('never puts credentials of the URL or the headers into a network error', async () => {
    const password = 's3cr3t-pa55';
    const client = new UpstreamHttp({
      system: 'harbor',
      baseUrl: `http://admin:${password}@unreachable.invalid`,
      secrets: [password],
      retries: 0,
      fetch: async () => {
        throw new TypeError(
          `Request cannot be constructed from a URL that includes credentials: http://admin:${password}@unreachable.invalid/x`,
        );
      },
    });
    const error = await client
      .request({ method: 'GET', path: '/x', operation: 'read' })
      .catch(e => e);
    expect(error.status).toBeUndefined();
    expect(error.retryable).toBe(true);
    expect(
      `${error.message} ${error.reason} ${error.cause ?? ''} ${error.stack}`,
    ).not.toContain(password);
  });

  it('never echoes a credential the upstream put into its error body', async () => {
    const token = 'very-secret-token-value';
    server.use(
      http.get(`${BASE}/x`, () =>
        HttpResponse.json(
          { message: `token ${token} is not valid` },
          { status: 401 },
        ),
      ),
    );
    const error = await make({
      secrets: [token],
      authHeaders: () => ({ Authorization: `Bearer ${token}` }),
    })
      .request({ method: 'GET', path: '/x', operation: 'read' })
      .catch(e => e);
    expect(error.message).toBe(
      'Loki read failed: 401 Unauthorized: token *** is not valid',
    );
  });

  it('logs retries without credentials', async () => {
    const token = 'logged-token-must-not-appear';
    const warn = jest.fn();
    let calls = 0;
    server.use(
      http.get(`${BASE}/x`, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json(
              { message: `bad token ${token}` },
              { status: 503 },
            )
          : HttpResponse.json({});
      }),
    );
    await make({ secrets: [token], logger: { warn } }).request({
      method: 'GET',
      path: '/x',
      operation: 'read',
    });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(
      /^Loki read failed: 503 Service Unavailable: bad token \*\*\*; attempt 2 of 4 in \d+ ms$/,
    );
  });
});
