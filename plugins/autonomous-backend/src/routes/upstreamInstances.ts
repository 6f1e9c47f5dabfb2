import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  UPSTREAM_SYSTEMS,
  UpstreamClients,
  UpstreamSystem,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { parseInput } from './validation';

const query = z
  .object({
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
 * `GET /upstream-instances`: which instances of each upstream system the portal has, for the
 * wizard's instance picker (the `autonomous.dev/<system>-instance` annotation and the
 * templates' `instance` inputs). Any signed-in user or service may ask; names are not secret,
 * the rest of the config never leaves the backend.
 */
export function createUpstreamInstancesRouter(options: {
  httpAuth: HttpAuthService;
  clients: Pick<UpstreamClients, 'instancesOf'>;
}): express.Router {
  const router = Router();
  router.get('/upstream-instances', async (req, res) => {
    await options.httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { system } = parseInput(query, req.query, 'query');
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
