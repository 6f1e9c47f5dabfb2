import {
  autonomousReadPermission,
  METRICS_BUCKETS,
  METRICS_FIGURES,
  METRICS_WINDOWS,
  MetricsReleasesPage,
  MetricsWindow,
  Project,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  MetricsFigureReleases,
  MetricsService,
} from '../metrics/MetricsService';
import { metricsReleasesCursor } from './metricsCursor';
import { RouteContext } from './context';
import { entityRefText } from './databasesRequests';
import { IndexReadAccess } from './indexAccess';
import { environmentName } from './requests';
import { parseInput } from './validation';

/** An owner (a group, or a user), `group:default/shop` or `shop`, normalised to a full ref. */
const ownerRef = z
  .string({
    message: 'must be given once, as an owner such as group:default/shop',
  })
  .max(255, 'must be at most 255 characters')
  .transform((value, ctx) => {
    let full: string | undefined;
    try {
      full = stringifyEntityRef(
        parseEntityRef(value, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        }),
      );
    } catch {
      full = undefined;
    }
    const checked =
      full === undefined ? undefined : entityRefText.safeParse(full);
    if (!checked?.success || !/^(group|user):/.test(checked.data)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be an owner such as group:default/shop (a group or a user)',
      });
      return z.NEVER;
    }
    return checked.data;
  });

const metricsFields = {
  entityRef: entityRefText.optional(),
  owner: ownerRef.optional(),
  environment: environmentName.optional(),
  window: z
    .enum(METRICS_WINDOWS.map(String) as ['7', '30', '90'], {
      message: `must be ${METRICS_WINDOWS.join(', ')} (days), given once`,
    })
    .default('30')
    .transform(w => Number(w) as MetricsWindow),
  bucket: z
    .enum(METRICS_BUCKETS, {
      message: `must be ${METRICS_BUCKETS.join(' or ')}, given once`,
    })
    .default('week'),
};
const oneScope = {
  check: (q: { entityRef?: string; owner?: string }) =>
    (q.entityRef === undefined) !== (q.owner === undefined),
  message:
    'give either entityRef=<kind>:<namespace>/<name> (one project) or owner=<group ref> (a team), not both and not neither',
};

const metricsQuery = z
  .strictObject(metricsFields)
  .refine(oneScope.check, { message: oneScope.message });

const releasesQuery = z
  .strictObject({
    ...metricsFields,
    figure: z.enum(METRICS_FIGURES, {
      message: `must be one of ${METRICS_FIGURES.join(', ')}, given once`,
    }),
    bucketStart: z
      .string({ message: 'must be given once, as a bucket start time' })
      .datetime({
        message:
          'must be a bucket start time as GET /metrics gives it, e.g. 2026-11-01T00:00:00.000Z',
      })
      .optional(),
    limit: z
      .string({ message: 'must be given once, a number from 1 to 500' })
      .regex(/^\d{1,3}$/, 'must be a number from 1 to 500')
      .transform(Number)
      .refine(n => n >= 1 && n <= 500, 'must be a number from 1 to 500')
      .default(100),
    cursor: z
      .string({ message: 'must be given once, as the nextCursor of a page' })
      .optional(),
  })
  .refine(oneScope.check, { message: oneScope.message });

/**
 * Delivery metrics of one project (read permission on it) or of an owner's projects (only
 * those the caller may read are counted; none readable anywhere is a 403).
 */
export function createMetricsRouter(
  ctx: RouteContext,
  deps: {
    httpAuth: HttpAuthService;
    service: MetricsService;
    access: IndexReadAccess;
  },
): express.Router {
  const router = Router();

  /**
   * Answers for the query's scope: one project (read permission on it), or an owner's projects
   * (only those the caller may read; asked before the catalog is read, so a caller who may read
   * nothing learns nothing).
   */
  async function inScope<T>(
    req: express.Request,
    query: { entityRef?: string; owner?: string },
    scoped: {
      project: (project: Project) => Promise<T>;
      owner: (
        owner: string,
        readable: (refs: string[]) => Promise<Set<string>>,
      ) => Promise<T>;
    },
  ): Promise<T> {
    if (query.entityRef !== undefined) {
      const caller = await ctx.authorize(
        req,
        autonomousReadPermission,
        query.entityRef,
      );
      return scoped.project(caller.resolved.project);
    }
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await deps.access.readable(credentials, []);
    return scoped.owner(query.owner!, refs =>
      deps.access.readable(credentials, refs),
    );
  }

  const requestOf = (query: z.infer<typeof metricsQuery>) => ({
    days: query.window,
    bucket: query.bucket,
    environment: query.environment,
  });

  router.get('/metrics', async (req, res) => {
    const query = parseInput(metricsQuery, req.query, 'query');
    const request = requestOf(query);
    res.json(
      await inScope(req, query, {
        project: project => deps.service.forProject(project, request),
        owner: (owner, readable) =>
          deps.service.forOwner(owner, request, readable),
      }),
    );
  });

  router.get('/metrics/releases', async (req, res) => {
    const query = parseInput(releasesQuery, req.query, 'query');
    const request = requestOf(query);
    const page = {
      figure: query.figure,
      bucketStart: query.bucketStart,
      limit: query.limit,
      beforeSeq:
        query.cursor === undefined
          ? undefined
          : metricsReleasesCursor.decode(query.cursor, query.figure),
    };
    const { lastSeq, ...rest }: MetricsFigureReleases = await inScope(
      req,
      query,
      {
        project: project =>
          deps.service.releasesForProject(project, request, page),
        owner: (owner, readable) =>
          deps.service.releasesForOwner(owner, request, readable, page),
      },
    );
    const body: MetricsReleasesPage = {
      ...rest,
      ...(lastSeq !== undefined
        ? { nextCursor: metricsReleasesCursor.encode(query.figure, lastSeq) }
        : {}),
    };
    res.json(body);
  });

  return router;
}
