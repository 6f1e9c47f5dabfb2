import type { Build, Job } from './jenkins/index.ts';

/** The build phases the Jenkins Notification plugin reports (it also has QUEUED, unused here). */
export type JenkinsPhase = 'STARTED' | 'COMPLETED' | 'FINALIZED';

/** Triggers of the argocd-notifications catalog, plus `on-health-changed` (a custom one). */
export type ArgoCdEvent =
  | 'on-sync-succeeded'
  | 'on-sync-failed'
  | 'on-health-degraded'
  | 'on-deployed'
  | 'on-health-changed';

/** `job/a/job/b/`, as `Job.getUrl()` answers (relative to the Jenkins root URL). */
export function jenkinsJobUrl(fullName: string): string {
  return fullName
    .split('/')
    .map(name => `job/${encodeURIComponent(name)}/`)
    .join('');
}

/**
 * The JSON the Jenkins Notification plugin (`com.tikal.hudson.plugins.notification`) POSTs
 * for a build phase: a `JobState` with its `BuildState`, field names in snake case.
 */
export function jenkinsNotification(
  job: Job,
  build: Build,
  phase: JenkinsPhase,
  rootUrl: string,
) {
  const name = job.fullName.split('/').pop()!;
  const url = `${jenkinsJobUrl(job.fullName)}${build.number}/`;
  const p = build.params;
  const finished = phase !== 'STARTED' && build.result !== null;
  return {
    name,
    display_name: name,
    url: jenkinsJobUrl(job.fullName),
    build: {
      full_url: `${rootUrl}${url}`,
      number: build.number,
      queue_id: build.queueId,
      timestamp: finished
        ? build.finishedAt ?? build.startedAt
        : build.startedAt,
      duration: finished ? build.durationMs : 0,
      phase,
      ...(finished ? { status: build.result } : {}),
      url,
      scm: {
        ...(p.GIT_URL ? { url: p.GIT_URL } : {}),
        ...(p.GIT_BRANCH ? { branch: p.GIT_BRANCH } : {}),
        ...(p.GIT_COMMIT ? { commit: p.GIT_COMMIT } : {}),
        changes: [],
        culprits: [],
      },
      parameters: { ...p },
      log: '',
      notes: '',
      artifacts: {},
    },
  };
}

/**
 * What an argocd-notifications webhook template for Autonomous sends, e.g.
 * `{"app":"{{.app.metadata.name}}","event":"on-sync-succeeded","syncStatus":"{{.app.status.sync.status}}",…}`.
 */
export function argocdNotification(app: any, event: ArgoCdEvent) {
  const status = app.status ?? {};
  const revision =
    status.operationState?.syncResult?.revision ?? status.sync?.revision;
  return {
    app: app.metadata.name as string,
    event,
    syncStatus: status.sync?.status as string,
    healthStatus: status.health?.status as string,
    ...(revision ? { revision: revision as string } : {}),
  };
}
