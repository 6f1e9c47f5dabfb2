import type { Response, Router } from 'express';
import { isoSeconds } from '../util.ts';
import { KubeError } from './errors.ts';
import type { KubernetesState } from './state.ts';

function fail(res: Response, e: unknown) {
  if (e instanceof KubeError) {
    res.status(e.code).json({ message: e.message });
    return;
  }
  res.status(500).json({ message: String((e as Error)?.message ?? e) });
}

/**
 * Control routes for CronJobs (under `/_sandbox`):
 * `GET  /kubernetes/cronjobs/{namespace}/{name}` — the next due time and whether it is skipped;
 * `POST /kubernetes/cronjobs/{namespace}/{name}/run` `{ scheduledTime? }` — run it now, as if
 * the schedule had fired (Job `<name>-<minutes>`, `status.lastScheduleTime` set);
 * `POST /kubernetes/cronjobs/{namespace}/{name}/skip-next` — the next due run creates no Job and
 * leaves `lastScheduleTime` as it was (a missed run); `DELETE …/skip-next` takes that back.
 */
export function cronJobControlRoutes(
  router: Router,
  kube: KubernetesState,
  advance: () => void,
) {
  const cronJob = (ns: string, name: string) => {
    advance();
    return kube.mustGet('cronjobs', ns, name);
  };
  const describe = (cj: any) => {
    const next = kube.cronJobs.nextScheduleTime(cj);
    return {
      namespace: cj.metadata.namespace,
      name: cj.metadata.name,
      schedule: cj.spec.schedule,
      suspend: Boolean(cj.spec.suspend),
      skipNext: kube.cronJobs.isSkipping(cj),
      nextScheduleTime: next === undefined ? null : isoSeconds(next),
      lastScheduleTime: cj.status?.lastScheduleTime ?? null,
      lastSuccessfulTime: cj.status?.lastSuccessfulTime ?? null,
    };
  };

  router.get('/kubernetes/cronjobs/:namespace/:name', (req, res) => {
    try {
      res.json(describe(cronJob(req.params.namespace, req.params.name)));
    } catch (e) {
      fail(res, e);
    }
  });

  router.post('/kubernetes/cronjobs/:namespace/:name/run', (req, res) => {
    try {
      const cj = cronJob(req.params.namespace, req.params.name);
      const given = req.body?.scheduledTime;
      const at = given === undefined ? Date.now() : Date.parse(String(given));
      if (Number.isNaN(at)) {
        res
          .status(400)
          .json({ message: 'scheduledTime must be an RFC 3339 time' });
        return;
      }
      const job = kube.cronJobs.run(cj, at);
      res.status(201).json({
        job: job.metadata.name,
        namespace: job.metadata.namespace,
        scheduledTime:
          job.metadata.annotations[
            'batch.kubernetes.io/cronjob-scheduled-timestamp'
          ],
        cronJob: describe(cj),
      });
    } catch (e) {
      fail(res, e);
    }
  });

  router.post('/kubernetes/cronjobs/:namespace/:name/skip-next', (req, res) => {
    try {
      const cj = cronJob(req.params.namespace, req.params.name);
      kube.cronJobs.skipNext(cj, true);
      res.json(describe(cj));
    } catch (e) {
      fail(res, e);
    }
  });

  router.delete(
    '/kubernetes/cronjobs/:namespace/:name/skip-next',
    (req, res) => {
      try {
        const cj = cronJob(req.params.namespace, req.params.name);
        kube.cronJobs.skipNext(cj, false);
        res.json(describe(cj));
      } catch (e) {
        fail(res, e);
      }
    },
  );
}
