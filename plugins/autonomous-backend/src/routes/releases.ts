import {
  autonomousDeployPermission,
  autonomousRollbackPermission,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { z } from 'zod';
import { NotFoundError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import {
  cancelBody,
  createReleaseBody,
  redeployBody,
  rollbackBody,
} from './requests';
import { ReleaseService } from '../service/ReleaseService';
import { parseInput } from './validation';
import { entityRefFromParams, releaseIdParams } from './params';
import { Caller, RouteContext } from './context';
import { EntityPermission } from '../service/EntityAuthorizer';

/** Create, cancel, redeploy and roll back: each checks its permission on the entity and is audited. */
export function createReleaseActionsRouter(
  ctx: RouteContext,
  deps: { releases: DatabaseReleaseStore; service: ReleaseService },
): express.Router {
  const router = Router();
  const { releases, service } = deps;

  async function loadRelease(req: express.Request): Promise<Release> {
    const { id } = parseInput(releaseIdParams, req.params, 'release id');
    const release = await releases.getRelease(id);
    if (!release) throw new NotFoundError(`no release with id ${id}`);
    return release;
  }

  router.post('/projects/:kind/:namespace/:name/releases', async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const body = parseInput(createReleaseBody, req.body ?? {}, 'body');
    const caller = await ctx.authorize(
      req,
      autonomousDeployPermission,
      entityRef,
    );
    const created = await ctx.audited(
      req,
      caller,
      'release.create',
      entityRef,
      () => service.create(caller.resolved, body, caller.actor),
    );
    res.status(201).json(created);
  });

  function onRelease<T>(
    path: string,
    permission: EntityPermission,
    action: string,
    schema: z.ZodType<T>,
    run: (caller: Caller, release: Release, body: T) => Promise<Release>,
    status: number,
  ) {
    router.post(path, async (req, res) => {
      const release = await loadRelease(req);
      const body = parseInput(schema, req.body ?? {}, 'body');
      const caller = await ctx.authorize(req, permission, release.entityRef);
      const result = await ctx.audited(
        req,
        caller,
        action,
        release.entityRef,
        () => run(caller, release, body),
        release.id,
      );
      res.status(status).json(result);
    });
  }

  onRelease(
    '/releases/:id/cancel',
    autonomousDeployPermission,
    'release.cancel',
    cancelBody,
    (caller, release, body) =>
      service.cancel(caller.resolved, release, caller.actor, body.reason),
    200,
  );
  onRelease(
    '/releases/:id/redeploy',
    autonomousDeployPermission,
    'release.redeploy',
    redeployBody,
    (caller, release, body) =>
      service.redeploy(caller.resolved, release, body, caller.actor),
    201,
  );
  onRelease(
    '/releases/:id/rollback',
    autonomousRollbackPermission,
    'release.rollback',
    rollbackBody,
    (caller, release, body) =>
      service.rollback(caller.resolved, release, body, caller.actor),
    201,
  );

  return router;
}
