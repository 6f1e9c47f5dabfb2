import { clone, isoSeconds, randomSuffix } from '../util.ts';
import { recordEvent } from './events.ts';
import { ownerRef, podsOf } from './owners.ts';
import type { PodRuntimes } from './pods.ts';
import type { KubeStore } from './store.ts';

/** The job controller: one pod per Job, and the Job's Complete or Failed condition when it ends. */
export class JobController {
  private readonly store: KubeStore;
  private readonly pods: PodRuntimes;

  constructor(store: KubeStore, pods: PodRuntimes) {
    this.store = store;
    this.pods = pods;
  }

  /** Starts a new Job's one pod. */
  start(job: any) {
    const ns = job.metadata.namespace;
    const pod = this.store.create(
      'pods',
      ns,
      {
        metadata: {
          name: `${job.metadata.name}-${randomSuffix(5)}`,
          labels: clone(job.spec.template.metadata?.labels ?? {}),
          ownerReferences: [ownerRef(job)],
        },
        spec: { restartPolicy: 'Never', ...clone(job.spec.template.spec) },
      },
      true,
    );
    recordEvent(
      this.store,
      job,
      'SuccessfulCreate',
      `Created pod: ${pod.metadata.name}`,
      'Normal',
      'job-controller',
    );
    job.status.active = 1;
  }

  /** Completes or fails the Jobs whose pod has ended by `now`. */
  advance(now: number) {
    for (const job of this.store.list('jobs')) {
      if (job.status.completionTime || job.status.failed) continue;
      const pod = podsOf(this.store, job)[0];
      const rt = pod && this.pods.get(pod.metadata.uid);
      if (!rt || rt.endAt === undefined || now < rt.endAt) continue;
      const at = isoSeconds(rt.endAt);
      if (rt.succeeded) {
        job.status = {
          startTime: job.status.startTime,
          completionTime: at,
          succeeded: 1,
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
          conditions: [
            {
              type: 'SuccessCriteriaMet',
              status: 'True',
              reason: 'CompletionsReached',
              message: 'Reached expected number of succeeded pods',
              lastProbeTime: at,
              lastTransitionTime: at,
            },
            {
              type: 'Complete',
              status: 'True',
              reason: 'CompletionsReached',
              message: 'Reached expected number of succeeded pods',
              lastProbeTime: at,
              lastTransitionTime: at,
            },
          ],
        };
        recordEvent(
          this.store,
          job,
          'Completed',
          'Job completed',
          'Normal',
          'job-controller',
        );
      } else {
        job.status = {
          startTime: job.status.startTime,
          failed: 1,
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
          conditions: [
            {
              type: 'FailureTarget',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
              lastProbeTime: at,
              lastTransitionTime: at,
            },
            {
              type: 'Failed',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
              lastProbeTime: at,
              lastTransitionTime: at,
            },
          ],
        };
        recordEvent(
          this.store,
          job,
          'BackoffLimitExceeded',
          'Job has reached the specified backoff limit',
          'Warning',
          'job-controller',
        );
      }
      job.metadata.resourceVersion = this.store.nextVersion();
    }
  }
}
