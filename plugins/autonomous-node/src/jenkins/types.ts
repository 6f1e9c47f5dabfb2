/** @public */
export type JenkinsBuildResult =
  | 'SUCCESS'
  | 'UNSTABLE'
  | 'FAILURE'
  | 'NOT_BUILT'
  | 'ABORTED';

/** @public */
export interface JenkinsJob {
  name: string;
  fullName?: string;
  url: string;
  buildable?: boolean;
  inQueue?: boolean;
  color?: string;
  lastBuild?: { number: number; url: string } | null;
  lastCompletedBuild?: { number: number; url: string } | null;
  nextBuildNumber?: number;
}

/** @public */
export interface JenkinsBuild {
  number: number;
  url: string;
  /** Null while the build runs. */
  result: JenkinsBuildResult | null;
  building: boolean;
  inProgress?: boolean;
  duration: number;
  timestamp: number;
  queueId?: number;
  id?: string;
  /** Actions of the build: parameters, causes, the git plugin's BuildData, … */
  actions?: unknown[];
  /** A Pipeline run's change sets: commits new since the job's previous build. */
  changeSets?: unknown[];
  /** A freestyle build's change set. */
  changeSet?: unknown;
}

/** A triggered build waiting in the queue; record it so a restart never triggers twice. @public */
export interface JenkinsQueuedBuild {
  queueId: number;
  queueUrl: string;
}

/** @public */
export interface JenkinsQueueItem {
  id: number;
  url?: string;
  why?: string | null;
  blocked?: boolean;
  buildable?: boolean;
  cancelled?: boolean;
  executable?: { number: number; url: string } | null;
}

/** A slice of a build log. @public */
export interface JenkinsLogChunk {
  text: string;
  /** Pass as `start` to read on (`X-Text-Size`). */
  nextStart: number;
  /** True while the build runs and more text may come (`X-More-Data`). */
  more: boolean;
}

/** A build parameter and the value a build was asked for with. @public */
export interface JenkinsBuildParameter {
  name: string;
  value: string;
}

/**
 * A build found by one of its parameters: `queueId` alone while it waits in the queue,
 * `buildNumber` (and its queue id) once it has started.
 * @public
 */
export interface JenkinsRequestedBuild {
  queueId?: number;
  buildNumber?: number;
}
