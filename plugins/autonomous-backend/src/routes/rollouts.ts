import {
  autonomousRolloutAbortPermission,
  autonomousRolloutPromotePermission,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { RolloutService } from '../rollouts/RolloutService';
import { RouteContext } from './context';
import { entityRefFromParams, environmentParams } from './params';
import { parseInput } from './validation';

const ROLLOUT_PATH =
  '/projects/:kind/:namespace/:name/environments/:env/rollout';

const promoteBody = z
  .object({
    full: z
      .boolean({ message: 'must be true (skip the remaining steps) or false' })
      .optional(),
  })
  .strict();

/**
 * An environment's progressive delivery: the Rollout's live steps, and promote and abort, each
 * with its own permission, audited.
 */
export function createRolloutsRouter(
  ctx: RouteContext,
  rollouts: RolloutService,
): express.Router {
  const router = Router();

  router.get(ROLLOUT_PATH, async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const { env } = parseInput(environmentParams, req.params, 'environment');
    const caller = await ctx.readProject(req, entityRef);
    res.json(await rollouts.get(caller.resolved, env));
  });

  router.post(`${ROLLOUT_PATH}/promote`, async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const { env } = parseInput(environmentParams, req.params, 'environment');
    const body = parseInput(promoteBody, req.body ?? {}, 'body');
    const caller = await ctx.authorize(
      req,
      autonomousRolloutPromotePermission,
      entityRef,
    );
    res.json(
      await ctx.audited(
        req,
        caller,
        body.full ? 'rollout.promote-full' : 'rollout.promote',
        entityRef,
        () =>
          rollouts.promote(
            caller.resolved,
            env,
            { full: body.full },
            caller.actor,
          ),
        env,
      ),
    );
  });

  router.post(`${ROLLOUT_PATH}/abort`, async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const { env } = parseInput(environmentParams, req.params, 'environment');
    const caller = await ctx.authorize(
      req,
      autonomousRolloutAbortPermission,
      entityRef,
    );
    res.json(
      await ctx.audited(
        req,
        caller,
        'rollout.abort',
        entityRef,
        () => rollouts.abort(caller.resolved, env, caller.actor),
        env,
      ),
    );
  });

  return router;
}
