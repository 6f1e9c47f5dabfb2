import { http, HttpResponse } from 'msw';
import { SetupServer } from 'msw/node';
import { mockServices } from '@backstage/backend-test-utils';
import type {
  DatabaseEvent,
  DatabaseInstance,
  Project,
  ReleaseStatus,
  ReleaseWithEvents,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AutonomousBackendClient } from '../portal/AutonomousBackend';
import { checkPortalRequest, checkPortalResponse } from './apiDocument';

export const PORTAL = 'http://portal.test';
const API = `${PORTAL}/api/autonomous`;

/** The way a release moves through its stages, one per read; it ends at the last. */
export const HEALTHY_PATH: ReleaseStatus[] = [
  'queued',
  'building',
  'built',
  'syncing',
  'progressing',
  'healthy',
];

const DATABASE_PATH: DatabaseInstance['status'][] = [
  'accepted',
  'preparing',
  'installing',
  'checking',
  'ready',
];

/** The Autonomous backend's client the actions get: the mock auth issues tokens for the user. */
export function portalClient(): AutonomousBackendClient {
  return new AutonomousBackendClient({
    discovery: {
      getBaseUrl: async id => `${PORTAL}/api/${id}`,
      getExternalBaseUrl: async id => `${PORTAL}/api/${id}`,
    },
    auth: mockServices.auth(),
  });
}

function project(entityRef: string, environments: string[]): Project {
  const name = entityRef.split('/')[1];
  return {
    entityRef,
    kind: 'monolith',
    autoDeploy: true,
    environments: environments.map(env => ({
      name: env,
      namespace: `${name}-${env}`,
      branch: 'main',
      autoDeploy: true,
      domains: [],
    })),
    upstreams: {},
  } as Project;
}

/**
 * An in-memory Autonomous backend: projects appear when the test says the catalog has them,
 * releases move one stage per read along their path, databases one status per read. Every
 * request and answer is checked against the API document; `problems` collects what was wrong.
 */
export function servePortal(server: SetupServer) {
  const projects = new Map<string, Project>();
  /** Database Resources the catalog has, with their annotated engine. */
  const resources = new Map<string, string>();
  const releases = new Map<
    string,
    ReleaseWithEvents & { path: ReleaseStatus[] }
  >();
  const databases = new Map<string, DatabaseInstance & { reads: number }>();
  const requests: string[] = [];
  const problems: string[] = [];
  const tokens: string[] = [];
  const state = {
    /** Reads of a project that answer 404 before the catalog has it. */
    projectMissingReads: 0,
    releasePath: HEALTHY_PATH,
    databaseFailsAt: undefined as DatabaseInstance['status'] | undefined,
  };
  let seq = 0;

  function reply(request: Request, status: number, body: unknown) {
    const url = new URL(request.url);
    problems.push(
      ...checkPortalResponse({
        method: request.method,
        path: url.pathname.slice('/api/autonomous'.length),
        status,
        body,
      }),
    );
    return HttpResponse.json(body as any, { status });
  }
  const notFound = (request: Request, message: string) =>
    reply(request, 404, { error: { name: 'NotFoundError', message } });

  async function record(request: Request) {
    const url = new URL(request.url);
    const path = url.pathname.slice('/api/autonomous'.length);
    const text = request.method === 'GET' ? '' : await request.clone().text();
    const body = text ? JSON.parse(text) : undefined;
    requests.push(`${request.method} ${path}${url.search}`);
    tokens.push(request.headers.get('authorization') ?? '');
    problems.push(
      ...checkPortalRequest({
        method: request.method,
        path,
        authorization: request.headers.get('authorization'),
        body,
      }),
    );
    return body;
  }

  const entityOf = (params: Record<string, unknown>) =>
    `${params.kind}:${params.namespace}/${params.name}`;

  server.use(
    http.get(
      `${API}/projects/:kind/:namespace/:name`,
      async ({ request, params }) => {
        await record(request);
        const found = projects.get(entityOf(params));
        if (!found || state.projectMissingReads > 0) {
          state.projectMissingReads = Math.max(
            0,
            state.projectMissingReads - 1,
          );
          return notFound(request, `${entityOf(params)} is not in the catalog`);
        }
        return reply(request, 200, found);
      },
    ),
    http.get(
      `${API}/projects/:kind/:namespace/:name/releases`,
      async ({ request, params }) => {
        await record(request);
        const items = [...releases.values()]
          .filter(r => r.entityRef === entityOf(params))
          .reverse()
          .map(({ events: _e, path: _p, ...release }) => release);
        return reply(request, 200, { items });
      },
    ),
    http.post(
      `${API}/projects/:kind/:namespace/:name/releases`,
      async ({ request, params }) => {
        const body = await record(request);
        const entityRef = entityOf(params);
        if (!projects.has(entityRef)) {
          return notFound(request, `${entityRef} is not in the catalog`);
        }
        seq++;
        const id = `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
        const at = new Date().toISOString();
        const release = {
          id,
          number: seq,
          entityRef,
          environment: body.environment,
          version: `${body.ref ?? 'main'}-${seq}`,
          ref: body.ref,
          trigger: body.trigger ?? 'api',
          requestedBy: 'user:default/mock',
          reason: body.reason,
          status: 'queued' as ReleaseStatus,
          createdAt: at,
          events: [
            {
              id: `${id}-0`,
              releaseId: id,
              at,
              to: 'queued' as ReleaseStatus,
              message: 'Queued',
            },
          ],
          path: state.releasePath,
        };
        releases.set(id, release);
        const { events: _e, path: _p, ...answer } = release;
        return reply(request, 201, answer);
      },
    ),
    http.get(`${API}/releases/:id`, async ({ request, params }) => {
      await record(request);
      const release = releases.get(String(params.id));
      if (!release) return notFound(request, `no release ${params.id}`);
      const index = release.path.indexOf(release.status);
      const next = release.path[index + 1];
      if (next) {
        release.events.push({
          id: `${release.id}-${release.events.length}`,
          releaseId: release.id,
          at: new Date().toISOString(),
          from: release.status,
          to: next,
          message: `Stage ${next} reached`,
        });
        release.status = next;
      }
      const { path: _p, ...answer } = release;
      return reply(request, 200, answer);
    }),
    http.get(`${API}/database-engines`, async ({ request }) => {
      await record(request);
      const entityRef = new URL(request.url).searchParams.get('entityRef')!;
      const engine = resources.get(entityRef);
      return reply(request, 200, {
        ...(engine ? { defaultEngine: engine } : {}),
        items: [
          {
            engine: 'postgresql',
            title: 'PostgreSQL',
            versions: ['15', '16'],
            defaultVersion: '16',
            defaultStorageGi: 10,
            modes: [
              { mode: 'single', available: true },
              {
                mode: 'cluster',
                available: false,
                reason:
                  'Cluster mode is not available: only single-instance databases can be provisioned',
              },
            ],
          },
        ],
      });
    }),
    http.get(`${API}/databases`, async ({ request }) => {
      await record(request);
      const entityRef = new URL(request.url).searchParams.get('entityRef');
      const items = [...databases.values()]
        .filter(d => d.entityRef === entityRef)
        .reverse()
        .map(({ reads: _r, ...d }) => d);
      return reply(request, 200, { items });
    }),
    http.post(`${API}/databases`, async ({ request }) => {
      const body = await record(request);
      if (!resources.has(body.entityRef)) {
        return notFound(request, `${body.entityRef} is not in the catalog`);
      }
      if (body?.mode === 'cluster') {
        return reply(request, 400, {
          error: {
            name: 'InputError',
            message:
              'Cluster mode is not available: only single-instance databases can be provisioned',
          },
        });
      }
      const name = body.name ?? body.entityRef.split('/')[1];
      const live = [...databases.values()].find(
        d => d.name === name && !['failed', 'deleted'].includes(d.status),
      );
      if (live) {
        return reply(request, 409, {
          error: { name: 'ConflictError', message: `database ${name} exists` },
        });
      }
      seq++;
      const at = new Date().toISOString();
      const instance = {
        id: `00000000-0000-4000-9000-${String(seq).padStart(12, '0')}`,
        entityRef: body.entityRef,
        name,
        engine: body.engine ?? resources.get(body.entityRef),
        version: body.version ?? '16',
        mode: 'single' as const,
        environment: 'production',
        namespace: `db-${name}`,
        storageGi: body.storageGi ?? 10,
        status: 'accepted' as const,
        credentialsPath: `autonomous/databases/${name}`,
        createdBy: 'user:default/mock',
        createdAt: at,
        updatedAt: at,
        reads: 0,
      };
      databases.set(instance.id, instance);
      const { reads: _r, ...answer } = instance;
      return reply(request, 202, answer);
    }),
    http.get(`${API}/databases/:id`, async ({ request, params }) => {
      await record(request);
      const db = databases.get(String(params.id));
      if (!db) return notFound(request, `no database ${params.id}`);
      db.reads++;
      const next = DATABASE_PATH[DATABASE_PATH.indexOf(db.status) + 1];
      if (next && db.status === state.databaseFailsAt) {
        db.status = 'failed';
        db.statusMessage = 'The StatefulSet did not become ready in time';
      } else if (next) {
        db.status = next;
        if (next === 'ready') {
          db.connection = {
            host: `${db.name}.${db.namespace}.svc.cluster.local`,
            port: 5432,
            database: db.name,
            username: db.name,
          };
        }
      }
      const { reads: _r, ...answer } = db;
      return reply(request, 200, answer);
    }),
    http.get(`${API}/databases/:id/events`, async ({ request, params }) => {
      await record(request);
      const db = databases.get(String(params.id));
      if (!db) return notFound(request, `no database ${params.id}`);
      const steps = DATABASE_PATH.slice(
        0,
        DATABASE_PATH.indexOf(db.status === 'failed' ? 'checking' : db.status) +
          1,
      );
      const items: DatabaseEvent[] = steps.map((status, i) => ({
        id: `${db.id}-${i}`,
        databaseId: db.id,
        step: (
          [
            'accepted',
            'namespace',
            'application',
            'readiness',
            'ready',
          ] as const
        )[i],
        status:
          db.status === 'failed' && i === steps.length - 1
            ? 'failed'
            : 'succeeded',
        message: `Step ${status}`,
        createdAt: db.createdAt,
      }));
      return reply(request, 200, { items });
    }),
  );

  return {
    projects,
    resources,
    releases,
    databases,
    requests,
    problems,
    tokens,
    state,
    addProject(entityRef: string, environments = ['staging', 'production']) {
      projects.set(entityRef, project(entityRef, environments));
    },
    writes: () => requests.filter(r => !r.startsWith('GET')),
    /** Fails the test when a request or an answer was not what the API document says. */
    assertNoProblems() {
      if (problems.length) {
        throw new Error(
          `Not as the API document says:\n${problems.splice(0).join('\n')}`,
        );
      }
    },
  };
}
