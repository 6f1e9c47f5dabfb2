import {
  autonomousDatabaseConsoleAuditPermission,
  autonomousDatabaseConsoleReadPermission,
  autonomousDatabaseConsoleWritePermission,
  DatabaseInstance,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import express from 'express';
import Router from 'express-promise-router';
import { ConsoleStore } from '../database/ConsoleStore';
import { ConsoleService } from '../console/ConsoleService';
import { RouteContext } from './context';
import { resultWriter } from './consoleFormats';
import {
  historyQuery,
  runIdParams,
  runStatementBody,
  savedQueryBody,
  savedQueryParams,
} from './consoleRequests';
import { databaseIdParams } from './params';
import { parseInput } from './validation';

const FLUSH_BYTES = 64 * 1024;
const FLUSH_MS = 100;

/** Writes and, when the socket's buffer is full, waits until it drained (or the reader left). */
async function send(res: express.Response, text: string): Promise<void> {
  if (!text || res.destroyed) return;
  if (!res.write(text)) {
    // Both listeners go once either fires: a million waits must not leave a million listeners.
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
}

/**
 * The database console: run a statement (streamed), cancel it, history and audit trail, saved
 * queries. Read mode needs autonomous.database.console.read on the instance's entity, write
 * mode autonomous.database.console.write, other users' statements
 * autonomous.database.console.audit.
 */
export function createConsoleRouter(
  ctx: RouteContext,
  deps: {
    getInstance(id: string): Promise<DatabaseInstance>;
    service: ConsoleService;
    store: ConsoleStore;
  },
): express.Router {
  const router = Router();

  async function loadInstance(req: express.Request) {
    const { id } = parseInput(databaseIdParams, req.params, 'database id');
    return deps.getInstance(id);
  }

  async function reader(req: express.Request, instance: DatabaseInstance) {
    return ctx.authorizeOn(
      req,
      autonomousDatabaseConsoleReadPermission,
      instance.entityRef,
    );
  }

  router.post('/databases/:id/console/statements', async (req, res) => {
    const instance = await loadInstance(req);
    const body = parseInput(runStatementBody, req.body ?? {}, 'body');
    const caller = await ctx.authorizeOn(
      req,
      body.mode === 'write'
        ? autonomousDatabaseConsoleWritePermission
        : autonomousDatabaseConsoleReadPermission,
      instance.entityRef,
    );
    // The portal's audit names the run (never the statement: it may hold a secret the user
    // typed); the statement itself is in the console's own trail, for admins.
    const { run } = await ctx.audited(
      req,
      caller,
      `database.console.${body.mode}`,
      instance.entityRef,
      async () => {
        const started = await deps.service.start({
          instance,
          actor: caller.actor,
          mode: body.mode,
          statement: body.statement,
          maxRows: body.maxRows,
          runId: body.runId,
        });
        return { id: started.statementId, run: started };
      },
      instance.id,
    );
    const writer = resultWriter(
      body.format,
      `${instance.name}-${run.statementId}`,
    );
    res.on('close', () => {
      if (!res.writableFinished) run.abandon();
    });
    res.status(200);
    res.setHeader('Content-Type', writer.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (writer.attachment) {
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="${writer.attachment}"`,
      );
    }
    res.flushHeaders();
    await send(res, writer.head(run.columns, run.runId));
    // Rows are written in pieces of about 64 KB (a write per row costs more than the row), the
    // first at once and none held back longer than FLUSH_MS, so a slow statement's rows still
    // show as they come.
    let first = true;
    let pending = '';
    let timer: NodeJS.Timeout | undefined;
    const flush = async () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      const text = pending;
      pending = '';
      await send(res, text);
    };
    const summary = await run.stream(async values => {
      // A reader gone before its 'close' listener was set stops the statement here.
      if (res.destroyed) run.abandon();
      pending += writer.row(values, first);
      if (first || pending.length >= FLUSH_BYTES) {
        first = false;
        await flush();
      } else if (!timer) {
        timer = setTimeout(() => {
          flush().catch(() => undefined);
        }, FLUSH_MS);
      }
    });
    await flush();
    if (writer.attachment && summary.outcome !== 'succeeded') {
      // A download cut short must not look complete: the connection is broken off.
      res.destroy(new Error(summary.message ?? summary.outcome));
      return;
    }
    await send(res, writer.end(summary));
    res.end();
  });

  router.post('/databases/:id/console/runs/:runId/cancel', async (req, res) => {
    const { id, runId } = parseInput(runIdParams, req.params, 'path');
    const instance = await deps.getInstance(id);
    const caller = await reader(req, instance);
    await ctx.audited(
      req,
      caller,
      'database.console.cancel',
      instance.entityRef,
      async () => {
        deps.service.cancel(instance.id, runId, caller.actor);
      },
      runId,
    );
    res.status(202).json({ runId });
  });

  router.get('/databases/:id/console/history', async (req, res) => {
    const instance = await loadInstance(req);
    const query = parseInput(historyQuery, req.query, 'query');
    const caller = await reader(req, instance);
    if (query.mine === 'false') {
      await ctx.authorizeOn(
        req,
        autonomousDatabaseConsoleAuditPermission,
        instance.entityRef,
      );
    }
    res.json(
      await deps.store.listStatements({
        databaseId: instance.id,
        user: query.mine === 'false' ? undefined : caller.actor,
        cursor: query.cursor,
        limit: query.limit,
      }),
    );
  });

  router.get('/databases/:id/console/saved-queries', async (req, res) => {
    const instance = await loadInstance(req);
    const caller = await reader(req, instance);
    res.json({
      items: await deps.store.listSavedQueries(instance.id, caller.actor),
    });
  });

  router.post('/databases/:id/console/saved-queries', async (req, res) => {
    const instance = await loadInstance(req);
    const body = parseInput(savedQueryBody, req.body ?? {}, 'body');
    const caller = await reader(req, instance);
    const saved = await ctx.audited(
      req,
      caller,
      'database.console.saved-query.create',
      instance.entityRef,
      () => deps.store.createSavedQuery(instance.id, caller.actor, body),
    );
    res.status(201).json(saved);
  });

  router.put(
    '/databases/:id/console/saved-queries/:queryId',
    async (req, res) => {
      const { id, queryId } = parseInput(savedQueryParams, req.params, 'path');
      const instance = await deps.getInstance(id);
      const body = parseInput(savedQueryBody, req.body ?? {}, 'body');
      const caller = await reader(req, instance);
      res.json(
        await ctx.audited(
          req,
          caller,
          'database.console.saved-query.update',
          instance.entityRef,
          () =>
            deps.store.updateSavedQuery(
              instance.id,
              queryId,
              caller.actor,
              body,
            ),
        ),
      );
    },
  );

  router.delete(
    '/databases/:id/console/saved-queries/:queryId',
    async (req, res) => {
      const { id, queryId } = parseInput(savedQueryParams, req.params, 'path');
      const instance = await deps.getInstance(id);
      const caller = await reader(req, instance);
      await ctx.audited(
        req,
        caller,
        'database.console.saved-query.delete',
        instance.entityRef,
        () => deps.store.deleteSavedQuery(instance.id, queryId, caller.actor),
        queryId,
      );
      res.status(204).end();
    },
  );

  return router;
}
