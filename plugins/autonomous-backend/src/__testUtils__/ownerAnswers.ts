import request from 'supertest';
import { OWNED_ENTITY, OWNER } from './matrixCallers';

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
    'GET /index/databases': () =>
      expect(
        res.body.items.filter(
          (d: { entityRef: string }) => d.entityRef !== OWNED_ENTITY,
        ),
      ).toEqual([]),
    'GET /releases/:id': () =>
      expect(res.body).toMatchObject({ id: healthyId, status: 'healthy' }),
  };
  const check =
    checks[route] ??
    (() => expect(res.body.message).toEqual(expect.any(String)));
  check();
}
