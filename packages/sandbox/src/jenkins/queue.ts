import type { Request, Response, Router } from 'express';
import type { SandboxContext } from '../context.ts';
import type { JenkinsState } from './state.ts';
import type { Job, QueueItem } from './types.ts';

/** How the Jenkins router names jobs and builds, shared with the queue's answers. */
export interface JenkinsViews {
  jobSummary(req: Request, job: Job): Record<string, unknown>;
  jobUrl(req: Request, fullName: string): string;
  buildClass(job: Job): string;
  errorPage(res: Response, status: number, message: string): void;
}

function actionsOf(item: QueueItem) {
  const parameters = Object.entries(item.params).map(([name, value]) => ({
    _class: 'hudson.model.StringParameterValue',
    name,
    value,
  }));
  return [
    ...(parameters.length
      ? [{ _class: 'hudson.model.ParametersAction', parameters }]
      : []),
    {
      _class: 'hudson.model.CauseAction',
      causes: [
        {
          _class: 'hudson.model.Cause$UserIdCause',
          shortDescription: 'Started by user autonomous',
          userId: 'autonomous',
          userName: 'autonomous',
        },
      ],
    },
  ];
}

/**
 * A queue item as `Queue.Item` exports it: a `WaitingItem` in its quiet period, or a
 * `LeftItem` once it became a build or was cancelled.
 */
export function queueItemJson(
  req: Request,
  ctx: SandboxContext,
  state: JenkinsState,
  views: JenkinsViews,
  item: QueueItem,
) {
  const job = state.jobs.get(item.job);
  const common = {
    actions: actionsOf(item),
    blocked: false,
    id: item.id,
    inQueueSince: item.inQueueSince,
    params: Object.entries(item.params)
      .map(([k, v]) => `\n${k}=${v}`)
      .join(''),
    stuck: false,
    task: job ? views.jobSummary(req, job) : { name: item.job },
    url: `queue/item/${item.id}/`,
  };
  if (item.build || item.cancelled) {
    return {
      _class: 'hudson.model.Queue$LeftItem',
      ...common,
      buildable: false,
      why: null,
      cancelled: item.cancelled,
      ...(item.build
        ? {
            executable: {
              _class: job
                ? views.buildClass(job)
                : 'hudson.model.FreeStyleBuild',
              number: item.build.number,
              url: `${views.jobUrl(req, item.job)}${item.build.number}/`,
            },
          }
        : {}),
    };
  }
  const remaining = Math.max(0, item.startAt - ctx.now());
  return {
    _class: 'hudson.model.Queue$WaitingItem',
    ...common,
    buildable: false,
    why: `In the quiet period. Expires in ${(remaining / 1000).toFixed(1)} sec`,
    timestamp: item.startAt,
  };
}

/**
 * The build queue: `GET /queue/api/json` lists the items still waiting (never those that left
 * it, as `Queue.getItems()`), `GET /queue/item/{id}/api/json` one item, waiting or left,
 * `POST /queue/cancelItem?id=` cancels a waiting one. `tree` is accepted and ignored: the
 * sandbox always answers every field.
 */
export function jenkinsQueueRoutes(
  router: Router,
  ctx: SandboxContext,
  state: JenkinsState,
  views: JenkinsViews,
): void {
  router.get('/queue/api/json', (req, res) => {
    const waiting = [...state.queue.values()].filter(
      item => !item.build && !item.cancelled,
    );
    res.json({
      _class: 'hudson.model.Queue',
      discoverableItems: [],
      items: waiting.map(item => queueItemJson(req, ctx, state, views, item)),
    });
  });

  router.get('/queue/item/:id/api/json', (req, res) => {
    const item = state.queue.get(Number(req.params.id));
    if (!item) {
      views.errorPage(res, 404, 'Not Found');
      return;
    }
    res.json(queueItemJson(req, ctx, state, views, item));
  });

  router.post('/queue/cancelItem', (req, res) => {
    const item = state.queue.get(Number(req.query.id));
    if (item && !item.build) {
      item.cancelled = true;
      item.leftAt = ctx.now();
    }
    res.status(204).end();
  });
}
