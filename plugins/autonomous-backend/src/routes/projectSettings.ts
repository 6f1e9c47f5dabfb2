import {
  autonomousSettingsPermission,
  ProjectSettingsChange,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import express from 'express';
import Router from 'express-promise-router';
import { ProjectSettingsService } from '../settings/ProjectSettingsService';
import {
  autoDeployBody,
  domainsBody,
  scalingBody,
  variablesBody,
} from '../settings/requests';
import { z } from 'zod';
import { Caller, RouteContext } from './context';
import { entityRefFromParams, environmentParams } from './params';
import { parseInput } from './validation';

const ENV_PATH = '/projects/:kind/:namespace/:name/environments/:env';

/**
 * A project's settings: read by its readers; changed with `autonomous.project.settings`,
 * audited, and recorded as events on the project. A body is checked whole before anything is
 * written anywhere.
 */
export function createProjectSettingsRouter(
  ctx: RouteContext,
  service: ProjectSettingsService,
): express.Router {
  const router = Router();

  router.get('/projects/:kind/:namespace/:name/settings', async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const caller = await ctx.readProject(req, entityRef);
    res.json(await service.view(caller.resolved));
  });

  /** One route per setting: parse, authorize, run audited, answer. */
  function change<S extends z.ZodType>(
    path: string,
    action: string,
    body: S,
    run: (
      resolved: Caller['resolved'],
      env: string,
      input: z.infer<S>,
      actor: string,
    ) => Promise<ProjectSettingsChange>,
  ) {
    router.put(`${ENV_PATH}/${path}`, async (req, res) => {
      const entityRef = entityRefFromParams(req.params);
      const { env } = parseInput(environmentParams, req.params, 'environment');
      const input = parseInput(body, req.body, 'body');
      const caller = await ctx.authorize(
        req,
        autonomousSettingsPermission,
        entityRef,
      );
      const result = await ctx.audited(
        req,
        caller,
        action,
        entityRef,
        () => run(caller.resolved, env, input, caller.actor),
        env,
      );
      res.setHeader('Cache-Control', 'no-store');
      res.json(result);
    });
  }

  change(
    'auto-deploy',
    'settings.auto-deploy',
    autoDeployBody,
    (r, env, i, a) => service.setAutoDeploy(r, env, i, a),
  );
  change('domains', 'settings.domains', domainsBody, (r, env, i, a) =>
    service.setDomains(r, env, i.domains, a),
  );
  change('variables', 'settings.variables', variablesBody, (r, env, i, a) =>
    service.setVariables(r, env, i.variables, a),
  );
  change('scaling', 'settings.scaling', scalingBody, (r, env, i, a) =>
    service.setScaling(r, env, i, a),
  );

  return router;
}
