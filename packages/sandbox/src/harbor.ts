import express from 'express';
import type { Request, Response, Router } from 'express';
import type { SandboxContext } from './context.ts';
import { HarborState, type ImmutableRule } from './harborState.ts';
import { uuid } from './util.ts';

export { HarborState };

function errors(res: Response, status: number, code: string, message: string) {
  res.status(status).json({ errors: [{ code, message }] });
}

function decodeRepo(raw: string): string {
  let name = raw;
  for (let i = 0; i < 2 && name.includes('%'); i++) {
    name = decodeURIComponent(name);
  }
  return name;
}

function basicUser(req: Request): [string, string] | undefined {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

export function harborRouter(ctx: SandboxContext, state: HarborState): Router {
  const router = express.Router();
  router.use(
    express.json({ type: ['application/json', 'application/*+json'] }),
  );
  router.use((req, res, next) => {
    res.setHeader('X-Request-Id', uuid());
    const user = basicUser(req);
    const ok =
      user &&
      ((ctx.credentials.harbor[user[0]] !== undefined &&
        ctx.credentials.harbor[user[0]] === user[1]) ||
        state.robots.get(user[0])?.secret === user[1]);
    if (!ok) {
      errors(res, 401, 'UNAUTHORIZED', 'unauthorized');
      return;
    }
    next();
  });

  const base = '/api/v2.0';

  router.get(`${base}/ping`, (_req, res) => {
    res.type('text/plain').send('Pong');
  });

  router.get(`${base}/projects`, (req, res) => {
    const name =
      typeof req.query.name === 'string' ? req.query.name : undefined;
    const list = [...state.projects.values()]
      .filter(p => !name || p.name.includes(name))
      .map(p => state.renderProject(p));
    res.setHeader('X-Total-Count', String(list.length));
    res.json(list);
  });

  router.head(`${base}/projects`, (req, res) => {
    const name = String(req.query.project_name ?? '');
    res.status(state.projects.has(name) ? 200 : 404).end();
  });

  router.post(`${base}/projects`, (req, res) => {
    const name = req.body?.project_name;
    if (
      typeof name !== 'string' ||
      !/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name)
    ) {
      errors(
        res,
        400,
        'BAD_REQUEST',
        'project_name in body is required and must be lowercase alphanumeric',
      );
      return;
    }
    if (state.projects.has(name)) {
      errors(res, 409, 'CONFLICT', `The project named ${name} already exists`);
      return;
    }
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.body?.metadata ?? {})) {
      metadata[k] = String(v);
    }
    const project = state.createProject(name, metadata);
    if (typeof req.body?.storage_limit === 'number') {
      project.storage_limit = req.body.storage_limit;
    }
    res.setHeader(
      'Location',
      `${base}/projects/${
        req.headers['x-resource-name-in-location'] === 'true'
          ? project.name
          : project.project_id
      }`,
    );
    res.status(201).end();
  });

  const projectParam = (req: Request) =>
    state.findProject(
      String(req.params.project),
      req.headers['x-is-resource-name'] === 'true',
    );

  router.get(`${base}/projects/:project`, (req, res) => {
    const project = projectParam(req);
    if (!project) {
      errors(res, 404, 'NOT_FOUND', `project ${req.params.project} not found`);
      return;
    }
    res.json(state.renderProject(project));
  });

  router.delete(`${base}/projects/:project`, (req, res) => {
    const project = projectParam(req);
    if (!project) {
      errors(res, 404, 'NOT_FOUND', `project ${req.params.project} not found`);
      return;
    }
    if (
      [...state.repositories.values()].some(
        r => r.project_id === project.project_id,
      )
    ) {
      errors(
        res,
        412,
        'PRECONDITION',
        `the project ${project.name} contains repositories, can not be deleted`,
      );
      return;
    }
    state.projects.delete(project.name);
    state.immutableRules.delete(project.name);
    res.status(200).end();
  });

  router.get(`${base}/projects/:project/immutabletagrules`, (req, res) => {
    const project = projectParam(req);
    if (!project) {
      errors(res, 404, 'NOT_FOUND', `project ${req.params.project} not found`);
      return;
    }
    const rules = state.immutableRules.get(project.name) ?? [];
    res.setHeader('X-Total-Count', String(rules.length));
    res.json(rules);
  });

  router.post(`${base}/projects/:project/immutabletagrules`, (req, res) => {
    const project = projectParam(req);
    if (!project) {
      errors(res, 404, 'NOT_FOUND', `project ${req.params.project} not found`);
      return;
    }
    const rules = state.immutableRules.get(project.name) ?? [];
    const rule: ImmutableRule = {
      id: rules.length + 1 + project.project_id * 100,
      priority: Number(req.body?.priority ?? 0),
      disabled: Boolean(req.body?.disabled),
      action: String(req.body?.action ?? 'immutable'),
      template: String(req.body?.template ?? 'immutable_template'),
      tag_selectors: req.body?.tag_selectors ?? [
        { kind: 'doublestar', decoration: 'matches', pattern: '**' },
      ],
      scope_selectors: req.body?.scope_selectors ?? {
        repository: [
          { kind: 'doublestar', decoration: 'repoMatches', pattern: '**' },
        ],
      },
    };
    rules.push(rule);
    state.immutableRules.set(project.name, rules);
    res.setHeader(
      'Location',
      `${base}/projects/${project.project_id}/immutabletagrules/${rule.id}`,
    );
    res.status(201).end();
  });

  router.post(`${base}/retentions`, (req, res) => {
    const ref = req.body?.scope?.ref;
    const project = state.findProject(String(ref ?? ''));
    if (!project) {
      errors(
        res,
        400,
        'BAD_REQUEST',
        `project ${ref ?? ''} not found in scope.ref`,
      );
      return;
    }
    const id = state.retentions.size + 1;
    state.retentions.set(id, { id, ...req.body });
    project.metadata.retention_id = String(id);
    res.setHeader('Location', `${base}/retentions/${id}`);
    res.status(201).end();
  });

  router.get(`${base}/retentions/:id`, (req, res) => {
    const policy = state.retentions.get(Number(req.params.id));
    if (!policy) {
      errors(res, 404, 'NOT_FOUND', `retention ${req.params.id} not found`);
      return;
    }
    res.json(policy);
  });

  router.post(`${base}/robots`, (req, res) => {
    const result = state.createRobot(req.body);
    if (typeof result === 'string') {
      if (result === 'conflict') {
        errors(
          res,
          409,
          'CONFLICT',
          `robot account ${req.body?.name} already exists`,
        );
      } else {
        errors(res, 400, 'BAD_REQUEST', result);
      }
      return;
    }
    res.setHeader('Location', `${base}/robots/${result.id}`);
    res.status(201).json({
      id: result.id,
      name: result.name,
      secret: result.secret,
      creation_time: result.creation_time,
      expires_at:
        result.duration > 0
          ? Math.floor(ctx.now() / 1000) + result.duration * 86400
          : -1,
    });
  });

  router.get(`${base}/robots`, (_req, res) => {
    const list = [...state.robots.values()].map(r => ({
      id: r.id,
      name: r.name,
      description: r.description,
      level: r.level,
      duration: r.duration,
      disable: false,
      editable: true,
      expires_at: -1,
      permissions: r.permissions,
      creation_time: r.creation_time,
      update_time: r.creation_time,
    }));
    res.setHeader('X-Total-Count', String(list.length));
    res.json(list);
  });

  router.get(`${base}/projects/:project/repositories`, (req, res) => {
    const project = state.projects.get(String(req.params.project));
    if (!project) {
      errors(res, 404, 'NOT_FOUND', `project ${req.params.project} not found`);
      return;
    }
    const list = [...state.repositories.values()]
      .filter(r => r.project_id === project.project_id)
      .map(r => state.renderRepository(r));
    res.setHeader('X-Total-Count', String(list.length));
    res.json(list);
  });

  router.get(`${base}/projects/:project/repositories/:repo`, (req, res) => {
    const name = `${req.params.project}/${decodeRepo(String(req.params.repo))}`;
    const repo = state.repositories.get(name);
    if (!repo) {
      errors(res, 404, 'NOT_FOUND', `repository ${name} not found`);
      return;
    }
    res.json(state.renderRepository(repo));
  });

  router.get(
    `${base}/projects/:project/repositories/:repo/artifacts`,
    (req, res) => {
      const name = `${req.params.project}/${decodeRepo(
        String(req.params.repo),
      )}`;
      if (!state.projects.has(String(req.params.project))) {
        errors(
          res,
          404,
          'NOT_FOUND',
          `project ${req.params.project} not found`,
        );
        return;
      }
      const all = state.artifacts.get(name) ?? [];
      const page = Math.max(1, Number(req.query.page ?? 1) || 1);
      const pageSize = Math.min(
        100,
        Math.max(1, Number(req.query.page_size ?? 10) || 10),
      );
      const list = all
        .slice((page - 1) * pageSize, page * pageSize)
        .map(a => state.renderArtifact(a, req.query));
      res.setHeader('X-Total-Count', String(all.length));
      res.json(list);
    },
  );

  router.get(
    `${base}/projects/:project/repositories/:repo/artifacts/:reference`,
    (req, res) => {
      const name = `${req.params.project}/${decodeRepo(
        String(req.params.repo),
      )}`;
      const artifact = state.findArtifact(name, String(req.params.reference));
      if (!artifact) {
        errors(
          res,
          404,
          'NOT_FOUND',
          `artifact ${name}:${req.params.reference} not found`,
        );
        return;
      }
      res.json(state.renderArtifact(artifact, req.query));
    },
  );

  router.use((req, res) => {
    errors(
      res,
      404,
      'NOT_FOUND',
      `${req.method} ${req.path} is not served by the sandbox`,
    );
  });
  return router;
}
