import {
  autonomousSettingsPermission,
  Project,
  ProjectWebhook,
  RotatedWebhookSecret,
  WEBHOOK_DELIVERY_PAGE_SIZE,
  WebhookDeliveryPage,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AuthenticationError, NotFoundError } from '@backstage/errors';
import express from 'express';
import { setTimeout as delay } from 'node:timers/promises';
import Router from 'express-promise-router';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../database/cursor';
import { DatabaseWebhookDeliveryStore } from '../database/WebhookDeliveryStore';
import { readGithubDelivery, readGitlabDelivery } from '../webhooks/pushEvent';
import { deliveryPayload, rawDeliveryBody } from '../webhooks/requestBody';
import {
  isGithubSignatureValid,
  isGitlabTokenValid,
} from '../webhooks/signature';
import { ProjectOutcome, WebhookReceiver } from '../webhooks/WebhookReceiver';
import { WebhookSecrets } from '../webhooks/WebhookSecrets';
import { RouteContext } from './context';
import { entityRefFromParams } from './params';
import { parseInput, queryInteger } from './validation';

/** GitHub gives up on a delivery after 10 s; a release still being created finishes later. */
const ANSWER_WITHIN_MS = 5_000;

function summary(outcomes: ProjectOutcome[] | undefined): string {
  if (!outcomes) {
    return 'received; still being handled, its outcome shows on the project';
  }
  return outcomes.length
    ? outcomes.map(o => `${o.entityRef}: ${o.outcome}: ${o.detail}`).join('\n')
    : 'no project uses this repository';
}

/**
 * `POST /webhooks/github` and `/webhooks/gitlab`: reachable without a Backstage token (their
 * auth policy is `unauthenticated`), refused 401 unless signed with the repository's secret.
 * Mounted before the plugin's JSON parser: the signature covers the raw body.
 */
export function createWebhookReceiveRouter(deps: {
  receiver: WebhookReceiver;
  maxBodyBytes?: number;
  answerWithinMs?: number;
}): express.Router {
  const router = Router();
  const { receiver } = deps;

  async function answer(
    res: express.Response,
    work: Promise<ProjectOutcome[]>,
  ) {
    const done = new AbortController();
    const handled = work.finally(() => done.abort());
    // Once the answer went out a failure has nobody to tell; the receiver logged it.
    handled.catch(() => undefined);
    const outcomes = await Promise.race([
      handled,
      delay(deps.answerWithinMs ?? ANSWER_WITHIN_MS, undefined, {
        signal: done.signal,
      }).catch(() => undefined),
    ]);
    res.status(202).json({ message: summary(outcomes), projects: outcomes });
  }

  router.post(
    '/webhooks/github',
    rawDeliveryBody(deps.maxBodyBytes),
    async (req, res) => {
      const signature = req.header('X-Hub-Signature-256');
      if (!signature) {
        throw new AuthenticationError(
          'X-Hub-Signature-256 is missing: give the webhook the secret the portal keeps for the repository, so GitHub signs its deliveries',
        );
      }
      const delivery = readGithubDelivery(req.headers, deliveryPayload(req));
      const raw = req.body as Buffer;
      const projects = await receiver.verify(delivery, secret =>
        isGithubSignatureValid(raw, signature, secret),
      );
      await answer(res, receiver.receive(delivery, projects));
    },
  );

  router.post(
    '/webhooks/gitlab',
    rawDeliveryBody(deps.maxBodyBytes),
    async (req, res) => {
      const token = req.header('X-Gitlab-Token');
      if (!token) {
        throw new AuthenticationError(
          "X-Gitlab-Token is missing: set the webhook's secret token to the one the portal keeps for the project",
        );
      }
      const delivery = readGitlabDelivery(req.headers, deliveryPayload(req));
      const projects = await receiver.verify(delivery, secret =>
        isGitlabTokenValid(token, secret),
      );
      await answer(res, receiver.receive(delivery, projects));
    },
  );

  return router;
}

const deliveriesQuery = z
  .object({
    limit: queryInteger({
      min: 1,
      max: WEBHOOK_DELIVERY_PAGE_SIZE.max,
    }).default(WEBHOOK_DELIVERY_PAGE_SIZE.default),
    cursor: z.string({ message: 'must be given once' }).optional(),
  })
  .strict();

const rotateBody = z.object({}).strict();

function repositoryOf(project: Project) {
  if (!project.repository) {
    throw new NotFoundError(
      `${project.entityRef} names no repository: add the annotation github.com/project-slug or gitlab.com/project-slug to its catalog-info.yaml`,
    );
  }
  return project.repository;
}

/** A project's webhook: the URL to paste, rotating its secret, its recent deliveries. */
export function createWebhookManagementRouter(
  ctx: RouteContext,
  deps: {
    secrets: WebhookSecrets;
    store: DatabaseWebhookDeliveryStore;
    /** `<backend>/api/autonomous`, as the Git host reaches it. */
    externalBaseUrl(): Promise<string>;
  },
): express.Router {
  const router = Router();
  const { secrets, store } = deps;
  const urlOf = async (provider: string) =>
    `${await deps.externalBaseUrl()}/webhooks/${provider}`;

  router.get('/projects/:kind/:namespace/:name/webhook', async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const caller = await ctx.readProject(req, entityRef);
    const { project, entity } = caller.resolved;
    const repository = repositoryOf(project);
    const secret = await secrets.describe(entity, repository);
    const body: ProjectWebhook = {
      provider: repository.provider,
      repository: repository.slug,
      url: await urlOf(repository.provider),
      contentType: 'application/json',
      events: ['push'],
      secretConfigured: Boolean(secret),
      secretUpdatedAt: secret?.updatedAt,
      vaultPath: secrets.pathOf(repository),
      environments: project.environments.map(e => ({
        name: e.name,
        branch: e.branch,
        autoDeploy: e.autoDeploy,
      })),
    };
    res.json(body);
  });

  router.post(
    '/projects/:kind/:namespace/:name/webhook/rotate',
    async (req, res) => {
      const entityRef = entityRefFromParams(req.params);
      parseInput(rotateBody, req.body ?? {}, 'body');
      const caller = await ctx.authorize(
        req,
        autonomousSettingsPermission,
        entityRef,
      );
      const { project, entity } = caller.resolved;
      const repository = repositoryOf(project);
      const rotated = await ctx.audited(
        req,
        caller,
        'webhook.rotate',
        entityRef,
        () => secrets.rotate(entity, repository),
        secrets.pathOf(repository),
      );
      const url = await urlOf(repository.provider);
      const body: RotatedWebhookSecret = {
        ...rotated,
        url,
        message: `Paste this secret into the ${
          repository.provider === 'github' ? 'GitHub' : 'GitLab'
        } webhook of ${
          repository.slug
        } now: it is not shown again, and deliveries signed with the previous one are refused from now on`,
      };
      res.setHeader('Cache-Control', 'no-store');
      res.json(body);
    },
  );

  router.get(
    '/projects/:kind/:namespace/:name/webhook/deliveries',
    async (req, res) => {
      const entityRef = entityRefFromParams(req.params);
      const query = parseInput(deliveriesQuery, req.query, 'query');
      const beforeSeq =
        query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      await ctx.authorizeRead(req, entityRef);
      const page = await store.list(entityRef, {
        limit: query.limit,
        beforeSeq,
      });
      const body: WebhookDeliveryPage = {
        items: page.items,
        nextCursor:
          page.lastSeq === undefined ? undefined : encodeCursor(page.lastSeq),
      };
      res.json(body);
    },
  );

  return router;
}
