import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { gitHttpBackend } from './gitHttp.ts';
import { GITHUB_NAME, GitHubState } from './state.ts';
import type { GitHubHook, GitHubRepository } from './state.ts';

/** Where the double's repositories say they are on the web, as GitHub's own do. */
const WEB_HOST = 'github.com';

type Handler = (req: Request, res: Response) => unknown;

/** Express 4 does not catch a rejected handler: the error goes to the sandbox's handler. */
const safe =
  (handler: Handler) => (req: Request, res: Response, next: NextFunction) =>
    Promise.resolve(handler(req, res)).catch(next);

function origin(req: Request) {
  return `${req.protocol}://${req.get('host')}`;
}

function error(res: Response, status: number, message: string, extra = {}) {
  res.status(status).json({
    message,
    documentation_url: 'https://docs.github.com/rest',
    ...extra,
  });
}

/** The token from `Authorization: token|Bearer <t>` or HTTP basic (Git sends it so). */
function tokenOf(req: Request): string | undefined {
  const header = req.headers.authorization ?? '';
  const [scheme, value = ''] = header.split(' ');
  if (/^(token|bearer)$/i.test(scheme)) return value;
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString();
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return undefined;
}

function repoJson(req: Request, repo: GitHubRepository) {
  const fullName = `${repo.owner}/${repo.name}`;
  return {
    id: repo.id,
    node_id: `R_sandbox${repo.id}`,
    name: repo.name,
    full_name: fullName,
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    description: repo.description,
    owner: { login: repo.owner, type: repo.ownerType },
    html_url: `https://${WEB_HOST}/${fullName}`,
    url: `${origin(req)}/github/api/v3/repos/${fullName}`,
    clone_url: `${origin(req)}/github/git/${fullName}.git`,
    default_branch: repo.defaultBranch,
  };
}

function hookJson(hook: GitHubHook) {
  // GitHub never returns a hook's secret.
  const { secret, ...config } = hook.config;
  return {
    id: hook.id,
    type: 'Repository',
    name: 'web',
    active: hook.active,
    events: hook.events,
    config: { ...config, ...(secret ? { secret: '********' } : {}) },
  };
}

/**
 * The part of GitHub's REST API that `publish:github`, the catalog's GitHub URL reader and
 * `autonomous:webhook:create` use (under `/api/v3`, as GitHub Enterprise serves it), and Git
 * smart HTTP for the repositories it creates (under `/git`).
 */
export function githubRouter(state: GitHubState): Router {
  const router = express.Router();

  router.use((req: Request, res: Response, next: NextFunction) => {
    if (tokenOf(req) !== state.token) {
      if (req.path.startsWith('/git/')) {
        res.setHeader('WWW-Authenticate', 'Basic realm="GitHub"');
      }
      error(res, 401, 'Bad credentials');
      return;
    }
    next();
  });

  router.all(
    /^\/git\/([^/]+)\/([^/]+)\.git(\/.*)$/,
    safe(async (req, res) => {
      const [owner, name, rest] = [req.params[0], req.params[1], req.params[2]];
      const repo = state.get(owner, name);
      if (!repo) {
        error(res, 404, `Repository ${owner}/${name} not found`);
        return;
      }
      res.locals.template = `/git/{owner}/{repo}.git${rest}`;
      gitHttpBackend(
        await state.root(),
        `/${repo.owner}/${repo.name}.git${rest}`,
        req,
        res,
      );
    }),
  );

  // The integration's rawBaseUrl: files by owner, repository, ref and path.
  router.get(
    '/raw/:owner/:repo/:ref/*',
    safe(async (req, res) => {
      const repo = state.get(req.params.owner, req.params.repo);
      const path = (req.params as Record<string, string>)[0];
      const file = repo && (await state.file(repo, req.params.ref, path));
      if (!file) {
        res.status(404).type('text/plain').send('404: Not Found');
        return;
      }
      res.type('text/plain').send(file.content);
    }),
  );

  const api = express.Router();
  router.use('/api/v3', express.json(), api);

  api.get('/user', (_req, res) => {
    res.json({ login: state.login, type: 'User' });
  });

  // Every owner but the token's user is an organization the user may create repositories in.
  api.get('/users/:username', (req, res) => {
    const login = req.params.username;
    res.json({
      login,
      type: login === state.login ? 'User' : 'Organization',
    });
  });

  const createRepo = (owner: string) => async (req: Request, res: Response) => {
    const body = req.body ?? {};
    if (typeof body.name !== 'string' || !GITHUB_NAME.test(body.name)) {
      error(res, 422, 'Validation Failed', {
        errors: [{ resource: 'Repository', field: 'name', code: 'invalid' }],
      });
      return;
    }
    if (state.get(owner, body.name)) {
      error(res, 422, 'Repository creation failed.', {
        errors: [
          {
            resource: 'Repository',
            code: 'custom',
            field: 'name',
            message: 'name already exists on this account',
          },
        ],
      });
      return;
    }
    const repo = await state.create({
      owner,
      name: body.name,
      ownerType: owner === state.login ? 'User' : 'Organization',
      private: body.private === true || body.visibility === 'private',
      description:
        typeof body.description === 'string' ? body.description : null,
      defaultBranch: 'main',
    });
    res.status(201).json(repoJson(req, repo));
  };
  api.post(
    '/user/repos',
    safe((req, res) => createRepo(state.login)(req, res)),
  );
  api.post(
    '/orgs/:org/repos',
    safe(async (req, res) => {
      if (!GITHUB_NAME.test(req.params.org)) {
        error(res, 404, 'Not Found');
        return;
      }
      await createRepo(req.params.org)(req, res);
    }),
  );

  const withRepo = (
    handler: (req: Request, res: Response, repo: GitHubRepository) => unknown,
  ) =>
    safe((req: Request, res: Response) => {
      const repo = state.get(req.params.owner, req.params.repo);
      if (!repo) {
        error(res, 404, 'Not Found');
        return undefined;
      }
      return handler(req, res, repo);
    });

  api.get(
    '/repos/:owner/:repo',
    withRepo((req, res, repo) => res.json(repoJson(req, repo))),
  );

  api.get(
    '/repos/:owner/:repo/contents/*',
    withRepo(async (req, res, repo) => {
      const path = (req.params as Record<string, string>)[0];
      const ref =
        typeof req.query.ref === 'string' ? req.query.ref : repo.defaultBranch;
      const file = await state.file(repo, ref, path);
      if (!file) {
        error(res, 404, 'Not Found');
        return;
      }
      res.setHeader('ETag', `"${file.sha}"`);
      if (req.headers['if-none-match'] === `"${file.sha}"`) {
        res.status(304).end();
        return;
      }
      if (String(req.headers.accept ?? '').includes('raw')) {
        res.type('application/octet-stream').send(file.content);
        return;
      }
      res.json({
        type: 'file',
        encoding: 'base64',
        name: path.split('/').pop(),
        path,
        sha: file.sha,
        size: file.content.length,
        content: file.content.toString('base64'),
      });
    }),
  );

  api.get(
    '/repos/:owner/:repo/hooks',
    withRepo((_req, res, repo) => res.json(repo.hooks.map(hookJson))),
  );

  const hookInput = (body: any): GitHubHook['config'] | string => {
    const url = body?.config?.url;
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
      return 'config.url must be an http(s) URL';
    }
    return {
      url,
      content_type: body.config.content_type,
      secret: body.config.secret,
    };
  };

  api.post(
    '/repos/:owner/:repo/hooks',
    withRepo((req, res, repo) => {
      const config = hookInput(req.body);
      if (typeof config === 'string') {
        error(res, 422, `Validation Failed: ${config}`);
        return;
      }
      const hook: GitHubHook = {
        id: repo.id * 1000 + repo.hooks.length + 1,
        active: req.body.active !== false,
        events: Array.isArray(req.body.events) ? req.body.events : ['push'],
        config,
      };
      repo.hooks.push(hook);
      res.status(201).json(hookJson(hook));
    }),
  );

  api.patch(
    '/repos/:owner/:repo/hooks/:id',
    withRepo((req, res, repo) => {
      const hook = repo.hooks.find(h => String(h.id) === req.params.id);
      if (!hook) {
        error(res, 404, 'Not Found');
        return;
      }
      const config = hookInput(req.body);
      if (typeof config === 'string') {
        error(res, 422, `Validation Failed: ${config}`);
        return;
      }
      hook.config = config;
      if (Array.isArray(req.body.events)) hook.events = req.body.events;
      if (typeof req.body.active === 'boolean') hook.active = req.body.active;
      res.json(hookJson(hook));
    }),
  );

  api.put(
    '/repos/:owner/:repo/branches/:branch/protection',
    withRepo(async (req, res, repo) => {
      const branches = await state.branches(repo);
      if (!branches[req.params.branch]) {
        error(res, 404, 'Branch not found');
        return;
      }
      if (!repo.protectedBranches.includes(req.params.branch)) {
        repo.protectedBranches.push(req.params.branch);
      }
      res.json({
        url: `${repoJson(req, repo).url}/branches/${
          req.params.branch
        }/protection`,
        enforce_admins: { enabled: Boolean(req.body?.enforce_admins) },
      });
    }),
  );

  api.use((req, res) => {
    error(
      res,
      404,
      `The sandbox's GitHub double does not serve ${req.method} ${req.path}`,
    );
  });
  return router;
}

/** `GET /_sandbox/github`: the repositories, their branches and hooks (never a hook's secret). */
export function githubControlRoutes(router: Router, state: GitHubState) {
  router.get('/github', async (_req, res, next) => {
    try {
      res.json(await state.dump());
    } catch (e) {
      next(e);
    }
  });
}
