import {
  autonomousDatabaseCreatePermission,
  autonomousDatabaseCredentialsPermission,
  autonomousDatabaseDeletePermission,
  DatabaseInstance,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import express from 'express';
import Router from 'express-promise-router';
import { DatabaseService } from '../databases/DatabaseService';
import { RouteContext } from './context';
import {
  credentialsQuery,
  deleteBody,
  entityRefQuery,
  provisionBody,
} from './databasesRequests';
import { databaseIdParams } from './params';
import { parseInput } from './validation';

/**
 * Provisioning, reads, credentials and deletion of databases. Each route checks its permission
 * on the instance's entity (a Resource of spec.type database); actions are audited.
 */
export function createDatabasesRouter(
  ctx: RouteContext,
  service: DatabaseService,
): express.Router {
  const router = Router();

  async function loadInstance(req: express.Request): Promise<DatabaseInstance> {
    const { id } = parseInput(databaseIdParams, req.params, 'database id');
    return service.get(id);
  }

  router.get('/database-engines', async (req, res) => {
    const { entityRef } = parseInput(entityRefQuery, req.query, 'query');
    await ctx.authorizeRead(req, entityRef);
    res.json(await service.engines(entityRef));
  });

  router.get('/databases', async (req, res) => {
    const { entityRef } = parseInput(entityRefQuery, req.query, 'query');
    await ctx.authorizeRead(req, entityRef);
    res.json({ items: await service.list(entityRef) });
  });

  router.post('/databases', async (req, res) => {
    const body = parseInput(provisionBody, req.body ?? {}, 'body');
    const caller = await ctx.authorizeOn(
      req,
      autonomousDatabaseCreatePermission,
      body.entityRef,
    );
    const instance = await ctx.audited(
      req,
      caller,
      'database.create',
      body.entityRef,
      () => service.provision({ ...body, requestedBy: caller.actor }),
    );
    res.status(202).json(instance);
  });

  router.get('/databases/:id', async (req, res) => {
    const instance = await loadInstance(req);
    await ctx.authorizeRead(req, instance.entityRef);
    res.json(instance);
  });

  router.get('/databases/:id/events', async (req, res) => {
    const instance = await loadInstance(req);
    await ctx.authorizeRead(req, instance.entityRef);
    res.json({ items: await service.listEvents(instance.id) });
  });

  router.get('/databases/:id/credentials', async (req, res) => {
    const instance = await loadInstance(req);
    const { user } = parseInput(credentialsQuery, req.query, 'query');
    const caller = await ctx.authorizeOn(
      req,
      autonomousDatabaseCredentialsPermission,
      instance.entityRef,
    );
    // Audited as a read of this user's password; the value itself is never recorded.
    const credentials = await ctx.audited(
      req,
      caller,
      `database.credentials.${user}`,
      instance.entityRef,
      () => service.credentials(instance, user),
      instance.id,
    );
    res.set('Cache-Control', 'no-store');
    res.set('Pragma', 'no-cache');
    res.json(credentials);
  });

  router.delete('/databases/:id', async (req, res) => {
    const instance = await loadInstance(req);
    const body = parseInput(deleteBody, req.body ?? {}, 'body');
    const caller = await ctx.authorizeOn(
      req,
      autonomousDatabaseDeletePermission,
      instance.entityRef,
    );
    const deleting = await ctx.audited(
      req,
      caller,
      'database.delete',
      instance.entityRef,
      () =>
        service.delete(instance, {
          confirm: body.confirm,
          finalBackup: body.finalBackup ?? true,
          requestedBy: caller.actor,
        }),
      instance.id,
    );
    res.status(202).json(deleting);
  });

  return router;
}
