import { clone, isoSeconds } from '../util.ts';
import { latestRunBetween, nextRun, parseCron } from './cron.ts';
import { KubeError } from './errors.ts';
import { recordEvent } from './events.ts';
import { ownerRef } from './owners.ts';
import type { KubeStore } from './store.ts';

const SCHEDULED_AT = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

function finished(job: any): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')
      return c.type;
  }
  return undefined;
}

/**
 * The cronjob controller: at each due time of `spec.schedule` (UTC) it creates a Job
 * `<cronjob>-<minutes since the epoch>` from `spec.jobTemplate`, keeps `status.active`,
 * `lastScheduleTime` and `lastSuccessfulTime`, honours `suspend`, `concurrencyPolicy` and the
 * history limits. After a pause it starts only the latest missed run, as Kubernetes does.
 */
export class CronJobController {
  private readonly store: KubeStore;
  /** uid → the time up to which the schedule has been acted on. */
  private readonly cursors = new Map<string, number>();
  /** uids whose next due run is to be skipped (control API). */
  private readonly skips = new Set<string>();

  constructor(store: KubeStore) {
    this.store = store;
  }

  private cursorOf(cj: any): number {
    const known = this.cursors.get(cj.metadata.uid);
    if (known !== undefined) return known;
    const from = Date.parse(
      cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp,
    );
    // creationTimestamp has whole seconds; the creation minute's own run is not due any more.
    const cursor = Number.isNaN(from) ? this.store.ctx.now() : from;
    this.cursors.set(cj.metadata.uid, cursor);
    return cursor;
  }

  /** The next time the CronJob is due, as the control API shows it. */
  nextScheduleTime(cj: any): number | undefined {
    try {
      return nextRun(parseCron(cj.spec.schedule), this.cursorOf(cj));
    } catch {
      return undefined;
    }
  }

  skipNext(cj: any, skip: boolean) {
    this.cursorOf(cj);
    if (skip) this.skips.add(cj.metadata.uid);
    else this.skips.delete(cj.metadata.uid);
  }

  isSkipping(cj: any): boolean {
    return this.skips.has(cj.metadata.uid);
  }

  private jobsOf(cj: any): any[] {
    return this.store
      .list('jobs', cj.metadata.namespace)
      .filter(j =>
        (j.metadata.ownerReferences ?? []).some(
          (r: any) => r.uid === cj.metadata.uid,
        ),
      );
  }

  /** Creates the Job of the run scheduled at `at` (rounded down to the minute). */
  run(cj: any, at: number): any {
    const scheduled = Math.floor(at / 60_000) * 60_000;
    const name = `${cj.metadata.name}-${Math.floor(scheduled / 60_000)}`;
    const ns = cj.metadata.namespace;
    if (this.store.get('jobs', ns, name)) {
      throw new KubeError(
        409,
        'AlreadyExists',
        `jobs.batch "${name}" already exists: the run scheduled at ${isoSeconds(
          scheduled,
        )} has been created`,
        { name, group: 'batch', kind: 'jobs' },
      );
    }
    const template = cj.spec.jobTemplate ?? {};
    if (cj.spec.concurrencyPolicy === 'Replace') {
      for (const active of this.jobsOf(cj).filter(j => !finished(j)))
        this.store.delete('jobs', ns, active.metadata.name);
    }
    const job = this.store.create(
      'jobs',
      ns,
      {
        metadata: {
          name,
          labels: clone(template.metadata?.labels ?? {}),
          annotations: {
            ...clone(template.metadata?.annotations ?? {}),
            [SCHEDULED_AT]: isoSeconds(scheduled),
          },
          ownerReferences: [ownerRef(cj)],
        },
        spec: clone(template.spec),
      },
      true,
    );
    recordEvent(
      this.store,
      cj,
      'SuccessfulCreate',
      `Created job ${name}`,
      'Normal',
      'cronjob-controller',
    );
    cj.status = {
      ...cj.status,
      lastScheduleTime: isoSeconds(scheduled),
    };
    this.updateStatus(cj);
    return job;
  }

  private updateStatus(cj: any) {
    const jobs = this.jobsOf(cj);
    const active = jobs
      .filter(j => !finished(j))
      .map(j => ({
        apiVersion: 'batch/v1',
        kind: 'Job',
        name: j.metadata.name,
        namespace: j.metadata.namespace,
        uid: j.metadata.uid,
        resourceVersion: j.metadata.resourceVersion,
      }));
    const successes = jobs
      .filter(j => finished(j) === 'Complete' && j.status.completionTime)
      .map(j => j.status.completionTime as string)
      .sort();
    const status: any = { ...cj.status };
    if (active.length) status.active = active;
    else delete status.active;
    if (successes.length)
      status.lastSuccessfulTime = successes[successes.length - 1];
    if (JSON.stringify(status) !== JSON.stringify(cj.status)) {
      cj.status = status;
      cj.metadata.resourceVersion = this.store.nextVersion();
    }
  }

  private pruneHistory(cj: any) {
    const jobs = this.jobsOf(cj).sort((a, b) =>
      a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : 1,
    );
    const limits: Record<string, number> = {
      Complete: cj.spec.successfulJobsHistoryLimit ?? 3,
      Failed: cj.spec.failedJobsHistoryLimit ?? 1,
    };
    for (const kind of ['Complete', 'Failed']) {
      const done = jobs.filter(j => finished(j) === kind);
      for (const j of done.slice(0, Math.max(0, done.length - limits[kind]))) {
        this.store.delete('jobs', j.metadata.namespace, j.metadata.name);
        recordEvent(
          this.store,
          cj,
          'SuccessfulDelete',
          `Deleted job ${j.metadata.name}`,
          'Normal',
          'cronjob-controller',
        );
      }
    }
  }

  /** Starts the runs that have come due by `now`. */
  advance(now: number) {
    for (const cj of this.store.list('cronjobs')) {
      this.updateStatus(cj);
      this.pruneHistory(cj);
      if (cj.spec.suspend) continue;
      let cron;
      try {
        cron = parseCron(cj.spec.schedule);
      } catch {
        continue;
      }
      const due = latestRunBetween(cron, this.cursorOf(cj), now);
      if (due === undefined) continue;
      this.cursors.set(cj.metadata.uid, due);
      if (this.skips.delete(cj.metadata.uid)) {
        recordEvent(
          this.store,
          cj,
          'MissSchedule',
          `Missed scheduled time to start a job: ${isoSeconds(
            due,
          )} (skipped on request of the sandbox control API)`,
          'Warning',
          'cronjob-controller',
        );
        continue;
      }
      const active = this.jobsOf(cj).filter(j => !finished(j));
      if (cj.spec.concurrencyPolicy === 'Forbid' && active.length) {
        recordEvent(
          this.store,
          cj,
          'JobAlreadyActive',
          'Not starting job because prior execution is running and concurrency policy is Forbid',
          'Normal',
          'cronjob-controller',
        );
        continue;
      }
      if (
        !this.store.get(
          'jobs',
          cj.metadata.namespace,
          `${cj.metadata.name}-${Math.floor(due / 60_000)}`,
        )
      ) {
        this.run(cj, due);
      }
    }
  }

  forget(uid: string) {
    this.cursors.delete(uid);
    this.skips.delete(uid);
  }
}
