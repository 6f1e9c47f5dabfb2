import express from 'express';
import type { Response, Router } from 'express';
import type { SandboxContext } from '../context.ts';
import {
  KubeError,
  matchesLabels,
  parseLabelSelector,
} from '../kubernetes/index.ts';
import { argocdSessions } from './sessions.ts';
import type { ArgoCdState } from './state.ts';
import { ArgoError } from './types.ts';

function sendError(res: Response, e: unknown) {
  if (e instanceof ArgoError) {
    res
      .status(e.status)
      .json({ error: e.message, code: e.grpc, message: e.message });
    return;
  }
  if (e instanceof KubeError) {
    res.status(e.code).json({ error: e.message, code: 2, message: e.message });
    return;
  }
  res.status(500).json({
    error: String((e as Error)?.message ?? e),
    code: 2,
    message: String((e as Error)?.message ?? e),
  });
}

/** Argo CD's REST API: sessions and `/api/v1/applications…`. */
export function argocdRouter(ctx: SandboxContext, state: ArgoCdState): Router {
  const router = express.Router();
  router.use(express.json({ limit: '5mb' }));

  argocdSessions(router, ctx, state);

  router.get('/api/v1/applications', (req, res) => {
    const names = ([] as unknown[]).concat(req.query.name ?? []).map(String);
    const projects = ([] as unknown[])
      .concat(req.query.projects ?? [], req.query.project ?? [])
      .map(String);
    const selector =
      typeof req.query.selector === 'string'
        ? parseLabelSelector(req.query.selector)
        : [];
    const items = [...state.apps.values()]
      .filter(r => !names.length || names.includes(r.app.metadata.name))
      .filter(r => !projects.length || projects.includes(r.app.spec.project))
      .filter(r => matchesLabels(r.app.metadata.labels, selector))
      .map(r => state.render(r));
    res.json({ metadata: { resourceVersion: String(Date.now()) }, items });
  });

  router.post('/api/v1/applications', (req, res) => {
    try {
      const rec = state.create(req.body, req.query.upsert === 'true');
      res.json(state.render(rec));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.get('/api/v1/applications/:name', (req, res) => {
    try {
      const rec = state.get(req.params.name);
      if (req.query.refresh === 'normal' || req.query.refresh === 'hard') {
        rec.reconciledAt = ctx.now();
      }
      res.json(state.render(rec));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.put('/api/v1/applications/:name', (req, res) => {
    try {
      const rec = state.get(req.params.name);
      if (
        req.body?.metadata?.name &&
        req.body.metadata.name !== req.params.name
      ) {
        throw new ArgoError(
          400,
          3,
          'application name in the body does not match the URL',
        );
      }
      const body = {
        ...req.body,
        metadata: { ...(req.body?.metadata ?? {}), name: req.params.name },
      };
      res.json(state.render(state.update(rec, body)));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.patch('/api/v1/applications/:name', (req, res) => {
    try {
      const rec = state.get(req.params.name);
      const patch = req.body?.patch;
      if (typeof patch !== 'string') {
        throw new ArgoError(400, 3, 'patch is required (a JSON string)');
      }
      res.json(
        state.render(
          state.patch(rec, patch, String(req.body?.patchType ?? 'merge')),
        ),
      );
    } catch (e) {
      sendError(res, e);
    }
  });

  router.post('/api/v1/applications/:name/sync', (req, res) => {
    try {
      const rec = state.get(req.params.name);
      state.sync(rec, req.body, { username: res.locals.user });
      res.json(state.render(rec));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.delete('/api/v1/applications/:name/operation', (req, res) => {
    try {
      state.terminate(state.get(req.params.name));
      res.json({});
    } catch (e) {
      sendError(res, e);
    }
  });

  router.get('/api/v1/applications/:name/resource-tree', (req, res) => {
    try {
      res.json(state.resourceTree(state.get(req.params.name)));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.get('/api/v1/applications/:name/managed-resources', (req, res) => {
    try {
      res.json(state.managedResources(state.get(req.params.name)));
    } catch (e) {
      sendError(res, e);
    }
  });

  router.delete('/api/v1/applications/:name', (req, res) => {
    try {
      state.delete(req.params.name, req.query.cascade !== 'false');
      res.json({});
    } catch (e) {
      sendError(res, e);
    }
  });

  router.use((req, res) => {
    res.status(404).json({
      error: `${req.method} ${req.path} is not served by the sandbox`,
      code: 5,
      message: 'Not Found',
    });
  });
  return router;
}
