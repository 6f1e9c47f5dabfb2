import {
  autonomousReadPermission,
  RELEASE_PAGE_SIZE,
  ReleasePage,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './database/cursor';
import { ReleaseStore } from './database/ReleaseStore';
import { EntityAuthorizer } from './service/EntityAuthorizer';
import { ProjectService } from './service/ProjectService';
import { entityRefFromParams, parseInput } from './service/validation';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  authorizer: EntityAuthorizer;
  projects: ProjectService;
  releases: ReleaseStore;
}

const historyQuery = z
  .object({
    limit: z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(RELEASE_PAGE_SIZE.max, `must be at most ${RELEASE_PAGE_SIZE.max}`)
      .default(RELEASE_PAGE_SIZE.default),
    cursor: z.string({ message: 'must be given once' }).optional(),
  })
  .strict();

const releaseParams = z.object({
  id: z.uuid('must be a release id (a UUID)'),
});

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, authorizer, projects, releases } = options;
  const router = Router();
  router.use(express.json());

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

  return router;
}
