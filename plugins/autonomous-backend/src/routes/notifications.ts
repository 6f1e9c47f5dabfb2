import { autonomousNotifyPermission } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { parseInput } from './validation';

/** The Jenkins Notification plugin's body; only the job matters. */
const jenkinsNotification = z.object({
  name: z.string({ message: 'must be the job name' }).min(1).max(255),
  url: z.string({ message: 'must be the job URL path' }).max(2048).optional(),
  build: z
    .object({
      number: z.number().int().optional(),
      phase: z.string().max(32).optional(),
      status: z.string().max(32).optional(),
    })
    .passthrough()
    .optional(),
});

/** What an argocd-notifications webhook template sends; only the application matters. */
const argocdNotification = z.object({
  app: z.string({ message: 'must be the application name' }).min(1).max(253),
  event: z.string().max(64).optional(),
});

/** `job/shop/job/storefront/` → `shop/storefront`. */
export function jobFullNameFromUrl(url: string): string | undefined {
  const parts = url.replace(/^\/+|\/+$/g, '').split('/');
  const names: string[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    if (parts[i] !== 'job') return undefined;
    try {
      names.push(decodeURIComponent(parts[i + 1]));
    } catch {
      throw new InputError(
        'invalid Jenkins notification: url: is not a job URL path (every % must be followed by two hexadecimal digits); send the url Jenkins gives',
      );
    }
  }
  return names.length ? names.join('/') : undefined;
}

/**
 * Upstream notifications wake the orchestrator for the releases that use that job or
 * application. They are never trusted for state: the orchestrator reads the upstream itself.
 */
export function createNotificationsRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  wake(filter: {
    buildJob?: string;
    argocdApplication?: string;
  }): Promise<void>;
}): express.Router {
  const router = Router();

  async function allowed(req: express.Request) {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['service', 'user'],
    });
    const [decision] = await options.permissions.authorize(
      [{ permission: autonomousNotifyPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `this token may not send notifications: grant it ${autonomousNotifyPermission.name}`,
      );
    }
  }

  router.post('/notifications/jenkins', async (req, res) => {
    await allowed(req);
    const body = parseInput(
      jenkinsNotification,
      req.body,
      'Jenkins notification',
    );
    const job = (body.url && jobFullNameFromUrl(body.url)) || body.name;
    if (!job) throw new InputError('the notification names no job');
    await options.wake({ buildJob: job });
    res.status(202).json({ message: `looking at releases built by ${job}` });
  });

  router.post('/notifications/argocd', async (req, res) => {
    await allowed(req);
    const body = parseInput(
      argocdNotification,
      req.body,
      'ArgoCD notification',
    );
    await options.wake({ argocdApplication: body.app });
    res
      .status(202)
      .json({ message: `looking at releases deployed by ${body.app}` });
  });

  return router;
}
