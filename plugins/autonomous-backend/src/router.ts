import {
  autonomousReadPermission,
  RELEASE_PAGE_SIZE,
  ReleasePage,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AuditStore } from './database/AuditStore';
import { DatabaseReleaseStore } from './database/ReleaseStore';
import { ReleaseWorkStore } from './database/ReleaseWorkStore';
import { ReleaseOrchestrator } from './orchestrator/ReleaseOrchestrator';
import { RouteContext } from './routes/context';
import { createEnvironmentRouter } from './routes/environments';
import { createLogsRouter } from './routes/logs';
import { createNotificationsRouter } from './routes/notifications';
import { createReleaseActionsRouter } from './routes/releases';
import { EnvironmentService } from './service/EnvironmentService';
import { ReleaseService } from './service/ReleaseService';
import { asCallerError } from './service/upstreamErrors';
import { InputError, NotFoundError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './database/cursor';
import { EntityAuthorizer } from './service/EntityAuthorizer';
import { ProjectService } from './service/ProjectService';
import {
  entityRefFromParams,
  parseInput,
  queryInteger,
} from './service/validation';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  authorizer: EntityAuthorizer;
  projects: ProjectService;
  releases: DatabaseReleaseStore;
  work: ReleaseWorkStore;
  audit: AuditStore;
  /** Cached clients for pages; fresh ones for following logs. */
  clients: UpstreamClients;
  freshClients: UpstreamClients;
  orchestrator: Pick<ReleaseOrchestrator, 'wake'>;
  onChange?(release: Release): void;
}

const historyQuery = z
  .object({
    limit: queryInteger({ min: 1, max: RELEASE_PAGE_SIZE.max }).default(
      RELEASE_PAGE_SIZE.default,
    ),
    cursor: z.string({ message: 'must be given once' }).optional(),
  })
  .strict();

const releaseParams = z.object({
  id: z.uuid('must be a release id (a UUID)'),
});

/**
 * Bodies are JSON only. express.json() skips any other content type and leaves `{}`, which
 * would let a form post (or a cross-site one) run an action with default settings.
 */
function requireJsonBody(
  req: express.Request,
  _res: express.Response,
  next: express.NextFunction,
) {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 ||
    req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    next(
      new InputError(
        `the body must be JSON: send it with Content-Type: application/json (got ${
          req.headers['content-type'] ?? 'no content type'
        })`,
      ),
    );
    return;
  }
  next();
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, authorizer, projects, releases, orchestrator } = options;
  const router = Router();
  router.use(requireJsonBody);
  router.use(express.json());

  const ctx = new RouteContext(options);
  const wake = (filter: Parameters<ReleaseOrchestrator['wake']>[0]) =>
    orchestrator.wake(filter);
  router.use(
    createReleaseActionsRouter(ctx, {
      releases,
      service: new ReleaseService({
        releases,
        clients: options.clients,
        logger: options.logger,
        onChange: options.onChange,
        wake: id => {
          wake({ id }).catch(e =>
            options.logger.warn(`could not wake the orchestrator: ${e}`),
          );
        },
      }),
    }),
  );
  router.use(
    createEnvironmentRouter(
      ctx,
      new EnvironmentService(options.clients, options.work),
    ),
  );
  router.use(createLogsRouter(options));
  router.use(
    createNotificationsRouter({
      httpAuth,
      permissions: options.permissions,
      wake,
    }),
  );

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/projects/:kind/:namespace/:name', async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const credentials = await httpAuth.credentials(req);
    await authorizer.authorize(
      credentials,
      autonomousReadPermission,
      entityRef,
    );
    res.json(await projects.getProject(entityRef, credentials));
  });

  router.get('/projects/:kind/:namespace/:name/releases', async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const query = parseInput(historyQuery, req.query, 'query');
    const beforeSeq =
      query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const credentials = await httpAuth.credentials(req);
    await authorizer.authorize(
      credentials,
      autonomousReadPermission,
      entityRef,
    );
    const page = await releases.listReleases(entityRef, {
      limit: query.limit,
      beforeSeq,
    });
    const body: ReleasePage = {
      items: page.items,
      nextCursor:
        page.lastSeq === undefined ? undefined : encodeCursor(page.lastSeq),
    };
    res.json(body);
  });

  router.get('/releases/:id', async (req, res) => {
    const { id } = parseInput(releaseParams, req.params, 'release id');
    const credentials = await httpAuth.credentials(req);
    const release = await releases.getReleaseWithEvents(id);
    if (!release) {
      throw new NotFoundError(`no release with id ${id}`);
    }
    await authorizer.authorize(
      credentials,
      autonomousReadPermission,
      release.entityRef,
    );
    res.json(release);
  });

  // Upstream failures that reach here become 404/409/503, never the upstream's own status.
  router.use(
    (
      error: unknown,
      _req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => next(asCallerError(error)),
  );
  return router;
}
