import {
  autonomousLogsReadPermission,
  autonomousReadPermission,
  BuildLogChunk,
  PodSummary,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { ReleaseStore } from '../database/ReleaseStore';
import {
  EntityAuthorizer,
  EntityPermission,
} from '../service/EntityAuthorizer';
import { environmentParams, podParams, releaseIdParams } from './params';
import { LogService } from '../service/LogService';
import { LogAdmission } from '../service/logReads/LogAdmission';
import { LogLimits, TooManyRequestsError } from '../service/logReads/logLimits';
import { UpstreamBindings } from '../service/UpstreamBindings';
import { ProjectService } from '../service/ProjectService';
import { entityRefFromParams, parseInput, queryInteger } from './validation';

export interface LogsRouterOptions {
  httpAuth: HttpAuthService;
  authorizer: EntityAuthorizer;
  projects: ProjectService;
  releases: ReleaseStore;
  /** The shared, cached clients (one-off reads). */
  clients: UpstreamClients;
  /** Clients without the read cache, for following logs. */
  freshClients: UpstreamClients;
  /** Clients without the read cache whose answers are cut at 1 MiB, for downloads. */
  downloadClients?: UpstreamClients;
  logger: LoggerService;
  /** `autonomous.logs.*`; defaults in DEFAULT_LOG_LIMITS. */
  logLimits?: Partial<LogLimits>;
  /** Which upstream objects an entity may act on; default: only those that claim it. */
  bindings?: UpstreamBindings;
  timing?: {
    /** How long a followed build log waits for a queued build to start. Default 60 s. */
    buildStartWaitMs?: number;
  };
}

const buildLogQuery = z
  .object({
    start: queryInteger({
      min: 0,
      minMessage: 'must be 0 or more (a byte offset from nextStart)',
    }).default(0),
  })
  .strict();

const noQuery = z.object({}).strict();

const flag = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .optional()
  .transform(value => value === 'true');

const podLogQuery = z
  .object({
    container: z
      .string({ message: 'must be given once' })
      .max(63, 'must be at most 63 characters')
      .regex(
        /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
        'must be a container name (lower-case letters, digits and "-")',
      )
      .optional(),
    previous: flag,
    follow: flag,
    download: flag,
    tailLines: queryInteger({ min: 1, max: 100_000 }).optional(),
  })
  .strict()
  .refine(query => !(query.follow && query.download), {
    path: ['follow'],
    message:
      'cannot be combined with download=true: a download is the log so far; leave out one of them',
  });

/** Answers plain text that reaches the caller as it is written. */
function startText(res: express.Response, fileName?: string) {
  res.status(200);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  // no-transform keeps the root router's compression middleware from buffering the stream.
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  if (fileName) {
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  }
  res.flushHeaders();
}

/** Writes, waiting while the caller reads slower than the log grows. */
async function write(res: express.Response, text: string): Promise<void> {
  if (!text || res.destroyed || res.writableEnded) return;
  if (res.write(text)) return;
  await new Promise<void>(resolve => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** An AbortSignal that fires when the caller disconnects (or the answer is done). */
function disconnectSignal(res: express.Response): AbortSignal {
  const controller = new AbortController();
  // The response's close, not the request's: Node closes a request once its body is read.
  res.on('close', () => controller.abort());
  return controller.signal;
}

/**
 * A follow's lifetime: aborts when the caller disconnects or when the follow has lasted
 * `maxMs`; `expired()` tells the two apart.
 */
function followLifetime(res: express.Response, maxMs: number) {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, maxMs);
  res.on('close', () => {
    clearTimeout(timer);
    controller.abort();
  });
  return { signal: controller.signal, expired: () => expired };
}

/** Who is asking, as limits count callers: a user's entity ref or `service:<subject>`. */
function callerOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return `service:${principal.subject}`;
  }
  return 'unknown';
}

/**
 * Sends text pieces as they come. Errors before the first piece get a normal error answer;
 * after it the connection is cut, so the caller sees a broken stream, never a finished log.
 */
async function sendStream(
  res: express.Response,
  pieces: AsyncIterable<string>,
  options: {
    logger: LoggerService;
    what: string;
    startNow?: boolean;
    /** Answers as an attachment of this name. */
    fileName?: string;
    /** True when the follow reached its maximum duration: the answer ends cleanly. */
    expired?: () => boolean;
  },
): Promise<void> {
  let started = false;
  if (options.startNow) {
    startText(res, options.fileName);
    started = true;
  }
  try {
    for await (const text of pieces) {
      if (!started) {
        startText(res, options.fileName);
        started = true;
      }
      if (res.destroyed) break;
      await write(res, text);
    }
  } catch (error) {
    if (!started) throw error;
    if (options.expired?.()) {
      res.end();
      return;
    }
    // A caller who went away ends the stream too; only an upstream failure is news.
    if (!res.destroyed) {
      options.logger.warn(`Stopped streaming ${options.what}: ${error}`);
      res.destroy();
    }
    return;
  }
  if (!started) startText(res, options.fileName);
  res.end();
}

/** Build logs of releases, and pods and pod logs of environments (see releaseApi.ts). */
export function createLogsRouter(options: LogsRouterOptions): express.Router {
  const { httpAuth, authorizer, logger } = options;
  const logs = new LogService({
    projects: options.projects,
    releases: options.releases,
    clients: options.clients,
    freshClients: options.freshClients,
    downloadClients: options.downloadClients,
    limits: options.logLimits,
    bindings: options.bindings,
    ...options.timing,
  });
  const admission = new LogAdmission(logs.limits);
  const router = Router();

  /** Counts a log read against the caller's budget; a 429 with Retry-After past it. */
  function admit<T>(res: express.Response, take: () => T): T {
    try {
      return take();
    } catch (error) {
      if (error instanceof TooManyRequestsError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
  }

  /**
   * Opens a follow for the caller: a slot held until the answer closes, and a lifetime that
   * ends the follow after the maximum duration.
   */
  function openFollow(res: express.Response, caller: string) {
    const release = admit(res, () => admission.admitFollow(caller));
    res.on('close', release);
    return followLifetime(res, logs.limits.maxFollowDurationMs);
  }

  /** The release whose build log the caller asked for, once they may read its logs. */
  async function releaseWithReadableLog(
    req: express.Request,
    res: express.Response,
  ) {
    const { id } = parseInput(releaseIdParams, req.params, 'release id');
    const credentials = await httpAuth.credentials(req);
    const release = await logs.getRelease(id);
    await authorizer.authorize(
      credentials,
      autonomousLogsReadPermission,
      release.entityRef,
    );
    const caller = callerOf(credentials);
    admit(res, () => admission.admitRead(caller));
    return { release, caller };
  }

  /** The project and environment the caller asked for, once they may read it. */
  async function readableEnvironment<T extends z.ZodType>(
    req: express.Request<{ kind: string; namespace: string; name: string }>,
    params: T,
    permission: EntityPermission,
  ) {
    const entityRef = entityRefFromParams(req.params);
    const parsed: z.infer<T> = parseInput(params, req.params, 'path');
    const credentials = await httpAuth.credentials(req);
    await authorizer.authorize(credentials, permission, entityRef);
    return { entityRef, params: parsed, credentials };
  }

  router.get('/releases/:id/build-log', async (req, res) => {
    const { start } = parseInput(buildLogQuery, req.query, 'query');
    const { release } = await releaseWithReadableLog(req, res);
    const chunk: BuildLogChunk = await logs.readBuildLog(release, start);
    res.json(chunk);
  });

  router.get('/releases/:id/build-log/stream', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const { release, caller } = await releaseWithReadableLog(req, res);
    const follow = openFollow(res, caller);
    await sendStream(res, logs.followBuildLog(release, follow.signal), {
      logger,
      what: `the build log of release ${release.id}`,
      expired: follow.expired,
    });
  });

  router.get('/releases/:id/build-log/download', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const { release } = await releaseWithReadableLog(req, res);
    const { fileName, pieces } = await logs.downloadBuildLog(release);
    await sendStream(res, pieces, {
      logger,
      what: `the build log download of release ${release.id}`,
      fileName,
    });
  });

  router.get(
    '/projects/:kind/:namespace/:name/environments/:env/pods',
    async (req, res) => {
      const { entityRef, params } = await readableEnvironment(
        req,
        environmentParams,
        autonomousReadPermission,
      );
      const pods: PodSummary[] = await logs.listPods(entityRef, params.env);
      res.json(pods);
    },
  );

  router.get(
    '/projects/:kind/:namespace/:name/environments/:env/pods/:pod/logs',
    async (req, res) => {
      const query = parseInput(podLogQuery, req.query, 'query');
      const { entityRef, params, credentials } = await readableEnvironment(
        req,
        podParams,
        autonomousLogsReadPermission,
      );
      const caller = callerOf(credentials);
      admit(res, () => admission.admitRead(caller));
      const lifetime = query.follow
        ? openFollow(res, caller)
        : { signal: disconnectSignal(res), expired: () => false };
      const log = await logs.openPodLog(
        entityRef,
        params.env,
        params.pod,
        query,
        lifetime.signal,
      );
      if (log.stream) {
        const stream = log.stream;
        res.on('close', () => stream.destroy());
        await sendStream(res, stream, {
          logger,
          what: `the log of pod ${params.pod} of ${entityRef}`,
          // Kubernetes answered: the follow is open even if the pod is quiet for a while.
          startNow: true,
          expired: lifetime.expired,
        });
        return;
      }
      startText(res, query.download ? log.fileName : undefined);
      res.end(log.text);
    },
  );

  return router;
}
