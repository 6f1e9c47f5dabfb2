import {
  autonomousDeployPermission,
  autonomousProjectDeletePermission,
  autonomousReadPermission,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { MicroserviceProjects } from '../microservices/MicroserviceProjects';
import { ProjectService } from '../service/ProjectService';
import { RouteContext } from './context';
import { entityRefFromParams } from './params';
import { createReleaseBody } from './requests';
import { parseInput } from './validation';

/** The longest list of services one request deploys. */
const MAX_SERVICES = 50;

const serviceName = z
  .string({ message: 'must be a service name (text)' })
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters');

export const deployServicesBody = z
  .object({
    environment: createReleaseBody.shape.environment,
    services: z
      .array(serviceName, {
        message: 'must be a list of service names, e.g. ["payments-api"]',
      })
      .min(1, 'must name at least one service')
      .max(MAX_SERVICES, `must name at most ${MAX_SERVICES} services`)
      .refine(names => new Set(names).size === names.length, {
        message: 'must name each service once',
      }),
    ref: createReleaseBody.shape.ref,
    reason: createReleaseBody.shape.reason,
  })
  .strict();

export const deleteProjectBody = z
  .object({
    confirm: z
      .string({ message: "must be the project's name, typed" })
      .max(253, 'must be at most 253 characters'),
  })
  .strict();

/**
 * A project's services: their readiness and current releases (read), several deployed in one
 * request (deploy, on the project and on each service), and the project's deletion (its own
 * permission, audited).
 */
export function createProjectServicesRouter(
  ctx: RouteContext,
  deps: {
    service: MicroserviceProjects;
    projects: Pick<ProjectService, 'resolve'>;
  },
): express.Router {
  const router = Router();
  const { service, projects } = deps;

  router.get('/projects/:kind/:namespace/:name/services', async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    await ctx.authorizeRead(req, entityRef);
    // A deleted project is still shown, with its deletion.
    const resolved = await projects.resolve(entityRef, {
      deleted: 'include',
    });
    const overview = await service.overview(resolved);
    // Only the services the caller may read themselves.
    const readable = await Promise.all(
      overview.services.map(s =>
        ctx
          .authorizeOn(req, autonomousReadPermission, s.entityRef)
          .then(() => true)
          .catch(e => {
            if ((e as Error).name === 'NotAllowedError') return false;
            throw e;
          }),
      ),
    );
    res.json({
      ...overview,
      services: overview.services.filter((_, i) => readable[i]),
    });
  });

  router.post(
    '/projects/:kind/:namespace/:name/services/releases',
    async (req, res) => {
      const entityRef = entityRefFromParams(req.params);
      const body = parseInput(deployServicesBody, req.body ?? {}, 'body');
      const caller = await ctx.authorize(
        req,
        autonomousDeployPermission,
        entityRef,
      );
      const group = await ctx.audited(
        req,
        caller,
        'release.group-create',
        entityRef,
        () =>
          service.deploy(caller.resolved, body, caller.actor, async ref => {
            if (ref !== entityRef) {
              await ctx.authorizeOn(req, autonomousDeployPermission, ref);
            }
          }),
      );
      res.status(201).json(group);
    },
  );

  router.delete('/projects/:kind/:namespace/:name', async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const body = parseInput(deleteProjectBody, req.body ?? {}, 'body');
    const caller = await ctx.authorize(
      req,
      autonomousProjectDeletePermission,
      entityRef,
    );
    const deletion = await ctx.audited(
      req,
      caller,
      'project.delete',
      entityRef,
      () => service.delete(caller.resolved, body.confirm, caller.actor),
    );
    res.json(deletion);
  });

  return router;
}
