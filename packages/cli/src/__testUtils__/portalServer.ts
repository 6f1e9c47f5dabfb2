import type {
  Release,
  ReleaseEvent,
  ReleaseWithEvents,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakePortal, Step } from './portalTypes.ts';
import {
  BASE_TIME,
  backstageError,
  HEALTHY_SCRIPT,
  TEST_TOKEN,
} from './portalTypes.ts';

export type { FakePortal, RecordedRequest, Step } from './portalTypes.ts';
export { HEALTHY_SCRIPT, TEST_TOKEN } from './portalTypes.ts';

export async function startFakePortal(): Promise<FakePortal> {
  let clock = 0;
  let sequence = 0;
  const now = () => new Date(BASE_TIME + 1000 * clock++).toISOString();
  const order: string[] = []; // ids, oldest first
  const progress = new Map<string, Step[]>();
  const listener: { server?: http.Server } = {};
  const portal: FakePortal = {
    url: '',
    token: TEST_TOKEN,
    requests: [],
    releases: new Map(),
    script: HEALTHY_SCRIPT,
    pageSizeCap: 100,
    buildLog: [],
    overrides: [],
    seed(list) {
      // Given newest first; stored oldest first like the portal's sequence.
      return [...list]
        .reverse()
        .map(fields => {
          const release = create(fields, []);
          const status = fields.status ?? 'healthy';
          release.status = status;
          return withoutEvents(release);
        })
        .reverse();
    },
    requestsTo(method, path) {
      return portal.requests.filter(
        r => r.method === method && path.test(r.path),
      );
    },
    close() {
      const running = listener.server;
      if (!running) return Promise.resolve();
      running.closeAllConnections();
      return new Promise(resolve => running.close(() => resolve()));
    },
  };

  function addEvent(release: ReleaseWithEvents, step: Step) {
    const event: ReleaseEvent = {
      id: randomUUID(),
      releaseId: release.id,
      at: now(),
      from: release.events.length ? release.status : undefined,
      to: step.to,
      message: step.message,
    };
    release.events.push(event);
    release.status = step.to;
    if (['healthy', 'failed', 'cancelled', 'rolled-back'].includes(step.to)) {
      release.finishedAt = event.at;
      release.durationMs =
        Date.parse(event.at) -
        Date.parse(release.startedAt ?? release.createdAt);
    }
  }

  function create(fields: Partial<Release>, script: Step[]): ReleaseWithEvents {
    // Versions count on from the highest one, seeded ones included.
    for (const existing of portal.releases.values()) {
      sequence = Math.max(sequence, Number(existing.version.slice(1)) || 0);
    }
    sequence += 1;
    const createdAt = now();
    const release: ReleaseWithEvents = {
      id: randomUUID(),
      // Numbered per project, as the portal does; the fake holds one project at a time.
      number: portal.releases.size + 1,
      entityRef: 'component:default/storefront',
      environment: 'staging',
      version: `v${sequence}`,
      trigger: 'cli',
      requestedBy: 'external:ci',
      status: 'queued',
      createdAt,
      startedAt: createdAt,
      events: [],
      ...fields,
    };
    addEvent(release, {
      to: 'queued',
      message: `queued by ${release.trigger}`,
    });
    portal.releases.set(release.id, release);
    order.push(release.id);
    progress.set(release.id, [...script]);
    return release;
  }

  function withoutEvents(release: ReleaseWithEvents): Release {
    const { events: _events, ...rest } = release;
    return rest;
  }

  async function handle(
    req: http.IncomingMessage,
    body: unknown,
  ): Promise<{ status: number; body: unknown } | 'streamed'> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/^\/api\/autonomous/, '');
    const method = req.method ?? 'GET';
    const override = portal.overrides.findIndex(
      o => o.method === method && o.path.test(path),
    );
    if (override >= 0) {
      const [answer] = portal.overrides.splice(override, 1);
      return answer;
    }
    if (req.headers.authorization !== `Bearer ${portal.token}`) {
      return {
        status: 401,
        body: backstageError(401, 'AuthenticationError', 'Illegal token'),
      };
    }
    const input = (body ?? {}) as Record<string, unknown>;
    const conflict = () =>
      portal.inFlight && !input.onConflict
        ? {
            status: 409,
            body: backstageError(
              409,
              'ConflictError',
              `release ${portal.inFlight.version} (${portal.inFlight.id}) is ${portal.inFlight.status} in ${portal.inFlight.environment}`,
            ),
          }
        : undefined;

    let m = /^\/projects\/([^/]+)\/([^/]+)\/([^/]+)\/releases$/.exec(path);
    if (m && method === 'POST') {
      const refused = conflict();
      if (refused) return refused;
      const entityRef = `${m[1]}:${m[2]}/${decodeURIComponent(m[3])}`;
      const release = create(
        {
          entityRef,
          environment: String(input.environment),
          ref: input.ref as string | undefined,
          commitSha: input.commitSha as string | undefined,
          trigger: (input.trigger as Release['trigger']) ?? 'api',
        },
        portal.script,
      );
      return { status: 201, body: withoutEvents(release) };
    }
    if (m && method === 'GET') {
      const entityRef = `${m[1]}:${m[2]}/${decodeURIComponent(m[3])}`;
      const limit = Number(url.searchParams.get('limit') ?? 20);
      if (!(limit >= 1 && limit <= 100)) {
        return {
          status: 400,
          body: backstageError(400, 'InputError', 'limit must be at most 100'),
        };
      }
      const all = [...order]
        .reverse()
        .map(id => portal.releases.get(id)!)
        .filter(r => r.entityRef === entityRef);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const size = Math.min(limit, portal.pageSizeCap);
      const items = all.slice(start, start + size).map(withoutEvents);
      const next = start + size < all.length ? String(start + size) : undefined;
      return { status: 200, body: { items, nextCursor: next } };
    }
    m = /^\/projects\/([^/]+)\/([^/]+)\/([^/]+)\/status$/.exec(path);
    if (m && method === 'GET' && portal.status) {
      return { status: 200, body: portal.status };
    }
    m = /^\/releases\/([^/]+)(\/[a-z/-]+)?$/.exec(path);
    const release = m ? portal.releases.get(m[1]) : undefined;
    if (m && !release) {
      return {
        status: 404,
        body: backstageError(
          404,
          'NotFoundError',
          `no release with id ${m[1]}`,
        ),
      };
    }
    if (release && m) {
      const action = `${method} ${m[2] ?? ''}`;
      if (action === 'GET ') {
        const next = progress.get(release.id)?.shift();
        if (next) addEvent(release, next);
        return { status: 200, body: release };
      }
      if (action === 'POST /cancel') {
        addEvent(release, {
          to: 'cancelled',
          message: `cancelled: ${input.reason ?? 'no reason given'}`,
        });
        progress.set(release.id, []);
        return { status: 200, body: withoutEvents(release) };
      }
      if (action === 'POST /rollback' || action === 'POST /redeploy') {
        const rollback = action === 'POST /rollback';
        // A rollback supersedes by default; a redeploy rejects like a deploy.
        const refused = rollback ? undefined : conflict();
        if (refused) return refused;
        const made = create(
          {
            entityRef: release.entityRef,
            environment: rollback
              ? release.environment
              : (input.environment as string | undefined) ??
                release.environment,
            imageRef: release.imageRef,
            sourceReleaseId: release.id,
            trigger: rollback ? 'rollback' : 'redeploy',
          },
          portal.script.filter(s => s.to !== 'building' && s.to !== 'built'),
        );
        return { status: 201, body: withoutEvents(made) };
      }
      if (action === 'GET /build-log/download') {
        return { status: 200, body: portal.buildLog.join('') };
      }
      if (action === 'GET /build-log/stream') return 'streamed';
    }
    return {
      status: 404,
      body: backstageError(
        404,
        'NotFoundError',
        `no route for ${method} ${path}`,
      ),
    };
  }

  const listening = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw ? JSON.parse(raw) : undefined;
      const url = new URL(req.url ?? '/', 'http://localhost');
      portal.requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
        authorization: req.headers.authorization,
      });
      const answer = await handle(req, body);
      if (answer === 'streamed') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        for (const piece of portal.buildLog) {
          res.write(piece);
          await new Promise(resolve => setTimeout(resolve, 20));
        }
        res.end();
        return;
      }
      const text = typeof answer.body === 'string';
      res.writeHead(answer.status, {
        'content-type': text ? 'text/plain; charset=utf-8' : 'application/json',
      });
      res.end(text ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>(resolve => listening.listen(0, '127.0.0.1', resolve));
  listener.server = listening;
  const { port } = listening.address() as AddressInfo;
  portal.url = `http://127.0.0.1:${port}`;

  return portal;
}
