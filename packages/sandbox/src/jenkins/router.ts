import express from 'express';
import type { Request, Router } from 'express';
import type { SandboxContext } from '../context.ts';
import { randomHex } from '../util.ts';
import { buildRoutes } from './builds.ts';
import { buildClass } from './jobConfig.ts';
import { buildJob, createItem, jobConfigXml, jobJson } from './jobs.ts';
import { jenkinsQueueRoutes } from './queue.ts';
import type { JenkinsState } from './state.ts';
import {
  children,
  errorPage,
  jobSummary,
  jobUrl,
  rootUrl,
  template,
} from './views.ts';

function basicAuth(ctx: SandboxContext, req: Request): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  const token = decoded.slice(colon + 1);
  return colon > 0 && ctx.credentials.jenkins[user] === token;
}

/**
 * Parses `/job/a/job/b/rest...` into the job's full name and the rest of the path, and gives the
 * path template used for call counts.
 */
function parseJobPath(path: string): { names: string[]; rest: string[] } {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const names: string[] = [];
  let i = 0;
  while (parts[i] === 'job' && parts[i + 1] !== undefined) {
    names.push(parts[i + 1]);
    i += 2;
  }
  return { names, rest: parts.slice(i) };
}

/**
 * Jenkins' remote API: the root and crumb issuer, the queue, and everything under
 * `/job/{name}/…` (folders nest as `/job/a/job/b/…`).
 */
export function jenkinsRouter(
  ctx: SandboxContext,
  state: JenkinsState,
): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false }));
  // Jenkins reads config.xml whatever the Content-Type says, as long as there is one.
  router.use(express.text({ type: () => true, limit: '5mb' }));

  router.use((req, res, next) => {
    res.setHeader('X-Jenkins', '2.568.2');
    if (!basicAuth(ctx, req)) {
      res.setHeader('WWW-Authenticate', 'Basic realm="Jenkins"');
      errorPage(res, 401, 'Unauthorized');
      return;
    }
    next();
  });

  router.get('/crumbIssuer/api/json', (_req, res) => {
    res.json({
      _class: 'hudson.security.csrf.DefaultCrumbIssuer',
      crumb: randomHex(32),
      crumbRequestField: 'Jenkins-Crumb',
    });
  });

  router.get('/api/json', (req, res) => {
    res.json({
      _class: 'hudson.model.Hudson',
      mode: 'NORMAL',
      nodeDescription: 'the Jenkins controller (sandbox)',
      numExecutors: 2,
      url: `${rootUrl(req)}/`,
      useCrumbs: true,
      useSecurity: true,
      jobs: children(state, req, ''),
    });
  });

  jenkinsQueueRoutes(router, ctx, state, {
    jobSummary,
    jobUrl,
    buildClass,
    errorPage,
  });

  router.use((req, res) => {
    const { names, rest } = parseJobPath(req.path);
    const fullName = names.join('/');
    const parentJob = fullName ? state.jobs.get(fullName) : undefined;
    const restPath = rest.length ? `/${rest.join('/')}` : '';

    // createItem at the root or in a folder
    if (
      rest[0] === 'createItem' &&
      rest.length === 1 &&
      req.method === 'POST'
    ) {
      createItem(state, req, res, names, parentJob);
      return;
    }

    if (!parentJob) {
      template(res, names, restPath);
      errorPage(res, 404, 'Not Found');
      return;
    }
    const job = parentJob;

    if (rest.length === 1 && rest[0] === 'config.xml') {
      jobConfigXml(req, res, job, names);
      return;
    }

    if (
      rest.length === 2 &&
      rest[0] === 'api' &&
      rest[1] === 'json' &&
      req.method === 'GET'
    ) {
      jobJson(state, req, res, job, names);
      return;
    }

    if (
      rest.length === 1 &&
      (rest[0] === 'build' || rest[0] === 'buildWithParameters')
    ) {
      buildJob(state, req, res, job, names, rest);
      return;
    }

    buildRoutes(ctx, state, req, res, job, names, rest);
  });

  return router;
}
