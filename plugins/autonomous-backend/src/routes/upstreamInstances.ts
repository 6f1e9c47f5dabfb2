import {
  UPSTREAM_SYSTEMS,
  UpstreamClients,
  UpstreamSystem,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { RouteContext } from './context';
import { entityRefText } from './databasesRequests';
import { parseInput } from './validation';

const query = z
  .object({
    entityRef: entityRefText,
    system: z
      .enum(UPSTREAM_SYSTEMS as [UpstreamSystem, ...UpstreamSystem[]], {
        message: `must be one of ${UPSTREAM_SYSTEMS.join(', ')}`,
      })
      .optional(),
  })
  .strict();

/** One configured instance, by name only: its URL and credentials stay in config. */
export interface UpstreamInstanceName {
  system: UpstreamSystem;
  name: string;
  /** The first instance of its system, used when an entity or a template names none. */
  default: boolean;
}

/**
 * `GET /upstream-instances?entityRef=…`: which instances of each upstream system the portal
 * has, for the entity's `autonomous.dev/<system>-instance` annotation — the wizard's instance
 * picker asks for the entity it is about to create, as the engine picker does. Needs read
 * permission on that entity; only names leave the backend, never URLs or credentials.
 */
export function createUpstreamInstancesRouter(
  ctx: Pick<RouteContext, 'authorizeRead'>,
  options: { clients: Pick<UpstreamClients, 'instancesOf'> },
): express.Router {
  const router = Router();
  router.get('/upstream-instances', async (req, res) => {
    const { entityRef, system } = parseInput(query, req.query, 'query');
    await ctx.authorizeRead(req, entityRef);
    const items: UpstreamInstanceName[] = (
      system ? [system] : UPSTREAM_SYSTEMS
    ).flatMap(s =>
      options.clients
        .instancesOf(s)
        .list()
        .map((instance, i) => ({
          system: s,
          name: instance.name,
          default: i === 0,
        })),
    );
    res.json({ items });
  });
  return router;
}
