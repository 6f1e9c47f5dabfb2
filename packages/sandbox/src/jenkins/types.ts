/** A job or a folder, with its config.xml and its builds (newest first). */
export interface Job {
  fullName: string;
  folder: boolean;
  configXml: string;
  nextBuildNumber: number;
  builds: Build[];
}

/** A line of a build's console, at its offset from the build's start. */
export interface LogLine {
  atMs: number;
  text: string;
}

/** The commit a build checked out, its subject and, when the repository knows it, its message. */
export interface BuiltCommit {
  sha: string;
  subject: string;
  message?: string;
}

export interface Build {
  job: string;
  number: number;
  queueId: number;
  startedAt: number;
  durationMs: number;
  fail: boolean;
  params: Record<string, string>;
  commit: BuiltCommit;
  lines: LogLine[];
  /** Set when finished: the result and the end time. */
  result: string | null;
  finishedAt?: number;
  image?: { repository: string; tag: string; digest?: string };
}

export interface QueueItem {
  id: number;
  job: string;
  params: Record<string, string>;
  inQueueSince: number;
  startAt: number;
  cancelled: boolean;
  build?: Build;
  leftAt?: number;
}
