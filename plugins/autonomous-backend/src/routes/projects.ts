import {
  RELEASE_PAGE_SIZE,
  ReleasePage,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { NotFoundError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../database/cursor';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { ProjectService } from '../service/ProjectService';
import { parseInput, queryInteger } from './validation';
import { entityRefFromParams, releaseIdParams } from './params';
import { RouteContext } from './context';

const historyQuery = z
  .object({
    limit: queryInteger({ min: 1, max: RELEASE_PAGE_SIZE.max }).default(
      RELEASE_PAGE_SIZE.default,
    ),
    cursor: z.string({ message: 'must be given once' }).optional(),
  })
  .strict();

/** A project, its release history and one release: read permission on the entity. */
export function createProjectReadRouter(
  ctx: RouteContext,
  deps: { projects: ProjectService; releases: DatabaseReleaseStore },
): express.Router {
  const router = Router();
  const { projects, releases } = deps;

  router.get('/projects/:kind/:namespace/:name', async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    await ctx.authorizeRead(req, entityRef);
    res.json(await projects.getProject(entityRef));
  });

  router.get('/projects/:kind/:namespace/:name/releases', async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const query = parseInput(historyQuery, req.query, 'query');
    const beforeSeq =
      query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    await ctx.authorizeRead(req, entityRef);
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
    const { id } = parseInput(releaseIdParams, req.params, 'release id');
    const release = await releases.getReleaseWithEvents(id);
    if (!release) throw new NotFoundError(`no release with id ${id}`);
    await ctx.authorizeRead(req, release.entityRef);
    res.json(release);
  });

  return router;
}
