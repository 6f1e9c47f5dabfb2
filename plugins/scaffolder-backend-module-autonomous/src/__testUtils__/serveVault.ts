import { http, HttpResponse } from 'msw';
import { SetupServerApi } from 'msw/node';
import { VAULT } from './actionContext';

const V1 = `${VAULT}/v1`;

/** An in-memory Vault KV v2 (mount `secret`) with compare-and-set; records each request. */
export function serveVault(
  server: SetupServerApi,
  initial: Record<string, Record<string, string>> = {},
) {
  const store = new Map<string, { data: Record<string, string>; v: number }>(
    Object.entries(initial).map(([k, data]) => [k, { data, v: 1 }]),
  );
  const requests: string[] = [];
  const failWrites = { next: 0 };
  server.use(
    http.get(`${V1}/auth/token/lookup-self`, () =>
      HttpResponse.json({ data: { ttl: 0, renewable: false } }),
    ),
    http.get(`${V1}/secret/data/*`, ({ request }) => {
      const path = new URL(request.url).pathname.split('/secret/data/')[1];
      requests.push(`GET ${path}`);
      const found = store.get(path);
      return found
        ? HttpResponse.json({
            data: { data: found.data, metadata: { version: found.v } },
          })
        : HttpResponse.json({ errors: [] }, { status: 404 });
    }),
    http.post(`${V1}/secret/data/*`, async ({ request }) => {
      const path = new URL(request.url).pathname.split('/secret/data/')[1];
      requests.push(`POST ${path}`);
      const body = (await request.json()) as any;
      if (failWrites.next > 0) {
        failWrites.next--;
        return HttpResponse.json(
          { errors: ['Vault is sealed'] },
          { status: 503 },
        );
      }
      const version = store.get(path)?.v ?? 0;
      if (body.options?.cas !== undefined && body.options.cas !== version) {
        return HttpResponse.json(
          {
            errors: [
              'check-and-set parameter did not match the current version',
            ],
          },
          { status: 400 },
        );
      }
      store.set(path, { data: body.data, v: version + 1 });
      return HttpResponse.json({ data: { version: version + 1 } });
    }),
  );
  return { store, requests, failWrites };
}
