import {
  ActionAccepted,
  autonomousSyncPermission,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import express from 'express';
import Router from 'express-promise-router';
import { EnvironmentService } from '../service/EnvironmentService';
import { automatedSyncBody } from './requests';
import { parseInput } from './validation';
import { entityRefFromParams, environmentParams } from './params';
import { Caller, RouteContext } from './context';

const ENV_PATH = '/projects/:kind/:namespace/:name/environments/:env';

/** Deployment and running status, and the ArgoCD actions on one environment. */
export function createEnvironmentRouter(
  ctx: RouteContext,
  environments: EnvironmentService,
): express.Router {
  const router = Router();

  router.get('/projects/:kind/:namespace/:name/status', async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const caller = await ctx.readProject(req, entityRef);
    res.json(await environments.status(caller.resolved));
  });

  router.get(`${ENV_PATH}/drift`, async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const { env } = parseInput(environmentParams, req.params, 'environment');
    const caller = await ctx.readProject(req, entityRef);
    res.json(await environments.driftOf(caller.resolved, env));
  });

  /** An ArgoCD action on one environment: sync permission on the entity, audited, 4xx first. */
  function action(
    method: 'post' | 'put',
    path: string,
    status: number,
    run: (
      caller: Caller,
      env: string,
      body?: { enabled: boolean },
    ) => { name: string; perform: () => Promise<ActionAccepted> },
  ) {
    router[method](`${ENV_PATH}/${path}`, async (req, res) => {
      const entityRef = entityRefFromParams(req.params);
      const { env } = parseInput(environmentParams, req.params, 'environment');
      const body =
        method === 'put'
          ? parseInput(automatedSyncBody, req.body ?? {}, 'body')
          : undefined;
      const caller = await ctx.authorize(
        req,
        autonomousSyncPermission,
        entityRef,
      );
      const { name, perform } = run(caller, env, body);
      res
        .status(status)
        .json(await ctx.audited(req, caller, name, entityRef, perform, env));
    });
  }

  action('post', 'sync', 202, (caller, env) => ({
    name: 'environment.sync',
    perform: () => environments.sync(caller.resolved, env, caller.actor),
  }));
  action('post', 'refresh', 202, (caller, env) => ({
    name: 'environment.refresh',
    perform: () => environments.refresh(caller.resolved, env),
  }));
  // A forced reconcile: hard refresh, then sync.
  action('post', 'reconcile', 202, (caller, env) => ({
    name: 'environment.reconcile',
    perform: () => environments.reconcile(caller.resolved, env, caller.actor),
  }));
  action('put', 'automated-sync', 200, (caller, env, body) => {
    const enabled = body!.enabled;
    return {
      name: enabled
        ? 'environment.automated-sync.resume'
        : 'environment.automated-sync.suspend',
      perform: () =>
        environments.setAutomatedSync(caller.resolved, env, enabled),
    };
  });

  return router;
}
