import {
  autonomousDatabaseBackupPermission,
  autonomousDatabaseRestorePermission,
  DatabaseInstance,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { pipeline } from 'node:stream/promises';
import { BackupService } from '../databases/backups/BackupService';
import { RouteContext } from './context';
import { backupSettingsBody, restoreBody } from './databaseBackupsRequests';
import { backupIdParams, databaseIdParams } from './params';
import { parseInput } from './validation';

/** A file name safe in a Content-Disposition header. */
const attachmentName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * Backups of a database: the list and schedule (read), backup now, download, delete and the
 * settings (backup permission), restore (restore permission), each on the instance's entity.
 */
export function createDatabaseBackupsRouter(
  ctx: RouteContext,
  deps: {
    getInstance(id: string): Promise<DatabaseInstance>;
    service: BackupService;
    logger: LoggerService;
  },
): express.Router {
  const { service } = deps;
  const router = Router();

  async function load(req: express.Request) {
    const { id } = parseInput(databaseIdParams, req.params, 'database id');
    return deps.getInstance(id);
  }

  async function loadWithBackup(req: express.Request) {
    const { id, backupId } = parseInput(backupIdParams, req.params, 'path');
    return { instance: await deps.getInstance(id), backupId };
  }

  router.get('/databases/:id/backups', async (req, res) => {
    const instance = await load(req);
    await ctx.authorizeRead(req, instance.entityRef);
    res.json(await service.list(instance));
  });

  router.post('/databases/:id/backups', async (req, res) => {
    const instance = await load(req);
    const caller = await ctx.authorizeOn(
      req,
      autonomousDatabaseBackupPermission,
      instance.entityRef,
    );
    const backup = await ctx.audited(
      req,
      caller,
      'database.backup.create',
      instance.entityRef,
      () => service.backupNow(instance, caller.actor),
    );
    res.status(202).json(backup);
  });

  router.get('/databases/:id/backups/:backupId/download', async (req, res) => {
    const { instance, backupId } = await loadWithBackup(req);
    await ctx.authorizeOn(
      req,
      autonomousDatabaseBackupPermission,
      instance.entityRef,
    );
    const { backup, object } = await service.download(instance, backupId);
    res.status(200);
    res.set('Content-Type', 'application/octet-stream');
    res.set(
      'Content-Disposition',
      `attachment; filename="${attachmentName(
        backup.fileName ?? `${backup.id}.dump`,
      )}"`,
    );
    res.set('Content-Length', String(object.sizeBytes));
    res.set('Cache-Control', 'no-store');
    // Streamed from storage a chunk at a time; a client that goes away stops the read.
    await pipeline(object.body, res).catch(e => {
      object.body.destroy();
      deps.logger.info(`download of backup ${backup.id} ended early: ${e}`);
    });
  });

  router.delete('/databases/:id/backups/:backupId', async (req, res) => {
    const { instance, backupId } = await loadWithBackup(req);
    const caller = await ctx.authorizeOn(
      req,
      autonomousDatabaseBackupPermission,
      instance.entityRef,
    );
    await ctx.audited(
      req,
      caller,
      'database.backup.delete',
      instance.entityRef,
      () => service.deleteBackup(instance, backupId, caller.actor),
      backupId,
    );
    res.status(204).end();
  });

  router.post('/databases/:id/backups/:backupId/restore', async (req, res) => {
    const { instance, backupId } = await loadWithBackup(req);
    const body = parseInput(restoreBody, req.body ?? {}, 'body');
    const caller = await ctx.authorizeOn(
      req,
      autonomousDatabaseRestorePermission,
      instance.entityRef,
    );
    const answer = await ctx.audited(
      req,
      caller,
      `database.backup.restore.${body.target}`,
      instance.entityRef,
      async () =>
        body.target === 'new'
          ? {
              instance: await service.restoreToNew(
                instance,
                backupId,
                caller.actor,
                body.name,
              ),
            }
          : service.restoreInPlace(
              instance,
              backupId,
              caller.actor,
              body.confirm,
            ),
      backupId,
    );
    res.status(202).json(answer);
  });

  router.get('/databases/:id/backup-settings', async (req, res) => {
    const instance = await load(req);
    await ctx.authorizeRead(req, instance.entityRef);
    res.json(await service.getSettings(instance));
  });

  router.put('/databases/:id/backup-settings', async (req, res) => {
    const instance = await load(req);
    const body = parseInput(backupSettingsBody, req.body ?? {}, 'body');
    const caller = await ctx.authorizeOn(
      req,
      autonomousDatabaseBackupPermission,
      instance.entityRef,
    );
    const saved = await ctx.audited(
      req,
      caller,
      'database.backup.settings',
      instance.entityRef,
      () => service.putSettings(instance, body),
      instance.id,
    );
    res.json(saved);
  });

  return router;
}
