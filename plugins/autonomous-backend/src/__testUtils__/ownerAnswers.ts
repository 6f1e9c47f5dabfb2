import request from 'supertest';
import { OWNED_DATABASE, OWNED_ENTITY, OWNER } from './matrixCallers';

/**
 * Checks what an allowed caller's answer holds, by route name, so a 2xx that did nothing is
 * noticed. `healthyId` is the release the matrix reads, redeploys and rolls back to.
 */
export function expectOwnerAnswer(
  route: string,
  res: request.Response,
  healthyId: string,
): void {
  const release = { entityRef: OWNED_ENTITY, environment: 'production' };
  const checks: Record<string, () => void> = {
    'POST /projects/:kind/:namespace/:name/releases': () =>
      expect(res.body).toMatchObject({
        ...release,
        status: 'queued',
        ref: 'main',
        requestedBy: OWNER,
      }),
    'GET /projects/:kind/:namespace/:name/services': () =>
      expect(res.body).toMatchObject({
        entityRef: OWNED_ENTITY,
        services: [
          {
            entityRef: OWNED_ENTITY,
            environments: [
              { environment: 'production', argocdApplication: 'storefront' },
            ],
          },
        ],
      }),
    'POST /projects/:kind/:namespace/:name/services/releases': () =>
      expect(res.body).toMatchObject({
        entityRef: OWNED_ENTITY,
        requestedBy: OWNER,
        releases: [{ ...release, status: 'queued', requestedBy: OWNER }],
      }),
    'DELETE /projects/:kind/:namespace/:name': () =>
      expect(res.body).toMatchObject({
        entityRef: OWNED_ENTITY,
        deletedBy: OWNER,
        applications: ['storefront'],
        services: [OWNED_ENTITY],
      }),
    'POST /releases/:id/cancel': () =>
      expect(res.body).toMatchObject({ ...release, status: 'cancelled' }),
    'POST /releases/:id/redeploy': () =>
      expect(res.body).toMatchObject({
        ...release,
        trigger: 'redeploy',
        sourceReleaseId: healthyId,
      }),
    'POST /releases/:id/rollback': () =>
      expect(res.body).toMatchObject({
        ...release,
        trigger: 'rollback',
        sourceReleaseId: healthyId,
      }),
    'GET /projects/:kind/:namespace/:name/webhook': () =>
      expect(res.body).toMatchObject({
        provider: 'github',
        repository: 'acme/storefront',
        url: expect.stringMatching(/\/api\/autonomous\/webhooks\/github$/),
      }),
    'GET /projects/:kind/:namespace/:name/settings': () =>
      expect(res.body).toMatchObject({
        entityRef: OWNED_ENTITY,
        environments: [
          expect.objectContaining({
            environment: 'production',
            branch: 'main',
          }),
        ],
        events: expect.any(Array),
      }),
    'GET /projects/:kind/:namespace/:name/webhook/deliveries': () =>
      expect(res.body).toEqual({ items: expect.any(Array) }),
    'POST /projects/:kind/:namespace/:name/webhook/rotate': () =>
      expect(res.body.secret).toMatch(/^[0-9a-f]{64}$/),
    'GET /projects/:kind/:namespace/:name/status': () =>
      expect(res.body.environments[0]).toMatchObject({
        environment: 'production',
        argocdApplication: 'storefront',
      }),
    'GET /releases/:id/build-log': () =>
      expect(res.body).toMatchObject({
        text: expect.stringContaining('Finished: SUCCESS'),
        more: false,
      }),
    'GET /releases/:id/build-log/stream': () =>
      expect(res.text).toContain('Finished: SUCCESS'),
    'GET /releases/:id/build-log/download': () => {
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename=/,
      );
      expect(res.text).toContain('Finished: SUCCESS');
    },
    'GET /projects/:kind/:namespace/:name/environments/:env/rollout': () =>
      expect(res.body).toMatchObject({
        environment: 'production',
        strategy: 'rolling',
        promote: { possible: false },
      }),
    'POST /projects/:kind/:namespace/:name/environments/:env/rollout/promote':
      () =>
        expect(res.body).toMatchObject({
          message: expect.stringMatching(
            /^rollout storefront in storefront-production promoted/,
          ),
          rollout: { strategy: 'canary' },
        }),
    'POST /projects/:kind/:namespace/:name/environments/:env/rollout/abort':
      () =>
        expect(res.body).toMatchObject({
          message: expect.stringContaining('aborted'),
          rollout: { strategy: 'canary', aborted: true },
        }),
    'GET /projects/:kind/:namespace/:name/environments/:env/drift': () =>
      expect(res.body).toMatchObject({
        environment: 'production',
        argocdApplication: 'storefront',
        resources: expect.any(Array),
      }),
    'GET /projects/:kind/:namespace/:name/environments/:env/pods': () =>
      expect(res.body[0]).toMatchObject({
        name: expect.any(String),
        containers: expect.any(Array),
      }),
    'GET /projects/:kind/:namespace/:name/environments/:env/pods/:pod/logs':
      () => expect(res.headers['content-type']).toMatch(/^text\/plain/),
    'GET /projects/:kind/:namespace/:name': () =>
      expect(res.body).toMatchObject({ entityRef: OWNED_ENTITY }),
    'GET /projects/:kind/:namespace/:name/releases': () =>
      expect(res.body.items.map((r: { id: string }) => r.id)).toContain(
        healthyId,
      ),
    // The index lists only what the owner may read: the owned entity, nothing else.
    'GET /index/projects': () =>
      expect(
        res.body.items.map((p: { entityRef: string }) => p.entityRef),
      ).toEqual([OWNED_ENTITY]),
    'GET /index/releases': () => {
      expect(
        new Set(res.body.items.map((r: { entityRef: string }) => r.entityRef)),
      ).toEqual(new Set([OWNED_ENTITY]));
      expect(res.body.items.map((r: { id: string }) => r.id)).toContain(
        healthyId,
      );
    },
    // The owner's database Resource is theirs too: its instances are listed, nothing else.
    'GET /index/databases': () => {
      expect(
        res.body.items.filter(
          (d: { entityRef: string }) =>
            d.entityRef !== OWNED_ENTITY && d.entityRef !== OWNED_DATABASE,
        ),
      ).toEqual([]);
      expect(
        res.body.items.map((d: { entityRef: string }) => d.entityRef),
      ).toContain(OWNED_DATABASE);
    },
    'GET /metrics': () => {
      expect(res.body.scope.projects).toEqual([
        { entityRef: OWNED_ENTITY, environment: 'production' },
      ]);
      expect(res.body.deploymentFrequency.n).toBeGreaterThanOrEqual(1);
    },
    'GET /metrics/releases': () => {
      expect(res.body.figure).toBe('deploymentFrequency');
      expect(res.body.items.map((r: { id: string }) => r.id)).toContain(
        healthyId,
      );
    },
    'GET /releases/:id': () =>
      expect(res.body).toMatchObject({ id: healthyId, status: 'healthy' }),
    'GET /releases/:id/health-gates': () =>
      expect(res.body).toEqual({
        releaseId: res.body.releaseId,
        gates: [],
        steps: [],
      }),
    'GET /projects/:kind/:namespace/:name/environments/:env/health-gates': () =>
      expect(res.body).toMatchObject({ ...release, gates: [] }),
    'PUT /projects/:kind/:namespace/:name/environments/:env/health-gates': () =>
      expect(res.body).toMatchObject({
        ...release,
        gates: [],
        autoRollback: true,
        updatedBy: OWNER,
      }),
    'GET /upstream-instances': () =>
      expect(res.body.items).toContainEqual({
        system: 'jenkins',
        name: expect.any(String),
        default: true,
      }),
    'GET /database-engines': () =>
      expect(res.body).toMatchObject({
        defaultEngine: 'postgresql',
        items: expect.arrayContaining([
          expect.objectContaining({ engine: 'postgresql' }),
        ]),
      }),
    'GET /databases': () =>
      expect(res.body.items[0]).toMatchObject({ entityRef: OWNED_DATABASE }),
    'POST /databases': () =>
      expect(res.body).toMatchObject({
        entityRef: OWNED_DATABASE,
        status: 'accepted',
        createdBy: OWNER,
      }),
    'GET /databases/:id': () =>
      expect(res.body).toMatchObject({
        entityRef: OWNED_DATABASE,
        status: 'ready',
        connection: expect.objectContaining({ port: expect.any(Number) }),
      }),
    'GET /databases/:id/events': () =>
      expect(res.body.items.at(-1)).toMatchObject({
        step: 'ready',
        status: 'succeeded',
      }),
    'GET /databases/:id/credentials': () => {
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({
        username: expect.stringMatching(/_ro$/),
        password: expect.stringMatching(/^[\w-]{43}$/),
      });
    },
    'GET /databases/:id/backups': () =>
      expect(res.body).toMatchObject({
        items: expect.any(Array),
        schedule: { retentionCount: expect.any(Number) },
      }),
    'POST /databases/:id/backups': () =>
      expect(res.body).toMatchObject({
        status: 'pending',
        trigger: 'manual',
        requestedBy: OWNER,
      }),
    'GET /databases/:id/backups/:backupId/download': () =>
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename=".+\.dump"$/,
      ),
    'DELETE /databases/:id/backups/:backupId': () =>
      expect(res.body).toEqual({}),
    'POST /databases/:id/backups/:backupId/restore': () =>
      expect(res.body.instance).toMatchObject({
        entityRef: OWNED_DATABASE,
        status: 'accepted',
        createdBy: OWNER,
      }),
    'GET /databases/:id/backup-settings': () =>
      expect(res.body).toMatchObject({ retentionCount: expect.any(Number) }),
    'PUT /databases/:id/backup-settings': () =>
      expect(res.body).toEqual({ schedule: '0 3 * * *', retentionCount: 5 }),
    'DELETE /databases/:id': () =>
      expect(res.body).toMatchObject({
        entityRef: OWNED_DATABASE,
        status: 'deleting',
      }),
    // The console runs `SELECT 1 AS one` on the matrix's (real PostgreSQL) instance.
    'POST /databases/:id/console/statements': () => {
      expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
      const lines = String(res.text ?? res.body)
        .trim()
        .split('\n')
        .map(line => JSON.parse(line));
      expect(lines.map(l => l.type)).toEqual(['columns', 'row', 'end']);
      expect(lines[1].values).toEqual([1]);
    },
    'POST /databases/:id/console/runs/:runId/cancel': () =>
      expect(res.body).toEqual({ runId: expect.any(String) }),
    'GET /databases/:id/console/history': () =>
      expect(res.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            user: OWNER,
            statement: 'SELECT 1 AS one',
          }),
        ]),
      ),
    'GET /databases/:id/console/saved-queries': () =>
      expect(res.body.items).toEqual(expect.any(Array)),
    'POST /databases/:id/console/saved-queries': () =>
      expect(res.body).toMatchObject({ name: 'matrix', createdBy: OWNER }),
    'PUT /databases/:id/console/saved-queries/:queryId': () =>
      expect(res.body).toMatchObject({
        statement: 'SELECT 2',
        createdBy: OWNER,
      }),
    'DELETE /databases/:id/console/saved-queries/:queryId': () =>
      expect(res.body).toEqual({}),
  };
  const check =
    checks[route] ??
    (() => expect(res.body.message).toEqual(expect.any(String)));
  check();
}
