import {
  autonomousReadPermission,
  autonomousSyncPermission,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import express from 'express';
import Router from 'express-promise-router';
import { EnvironmentService } from '../service/EnvironmentService';
import { automatedSyncBody, environmentParams } from '../service/releaseInput';
import { entityRefFromParams, parseInput } from '../service/validation';
import { RouteContext } from './context';

const ENV_PATH = '/projects/:kind/:namespace/:name/environments/:env';

/** Deployment and running status, and the ArgoCD actions on one environment. */
export function createEnvironmentRouter(
  ctx: RouteContext,
  environments: EnvironmentService,
): express.Router {
  const router = Router();

  router.get('/projects/:kind/:namespace/:name/status', async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const caller = await ctx.authorize(
      req,
      autonomousReadPermission,
      entityRef,
    );
    res.json(await environments.status(caller.resolved));
  });

  router.post(`${ENV_PATH}/sync`, async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const { env } = parseInput(environmentParams, req.params, 'environment');
    const caller = await ctx.authorize(
      req,
      autonomousSyncPermission,
      entityRef,
    );
    const result = await ctx.audited(
      caller,
      'environment.sync',
      entityRef,
      () => environments.sync(caller.resolved, env),
      env,
    );
    res.status(202).json(result);
  });

  router.post(`${ENV_PATH}/refresh`, async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const { env } = parseInput(environmentParams, req.params, 'environment');
    const caller = await ctx.authorize(
      req,
      autonomousSyncPermission,
      entityRef,
    );
    const result = await ctx.audited(
      caller,
      'environment.refresh',
      entityRef,
      () => environments.refresh(caller.resolved, env),
      env,
    );
    res.status(202).json(result);
  });

  router.put(`${ENV_PATH}/automated-sync`, async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const { env } = parseInput(environmentParams, req.params, 'environment');
    const { enabled } = parseInput(automatedSyncBody, req.body ?? {}, 'body');
    const caller = await ctx.authorize(
      req,
      autonomousSyncPermission,
      entityRef,
    );
    const result = await ctx.audited(
      caller,
      enabled
        ? 'environment.automated-sync.resume'
        : 'environment.automated-sync.suspend',
      entityRef,
      () => environments.setAutomatedSync(caller.resolved, env, enabled),
      env,
    );
    res.json(result);
  });

  return router;
}
