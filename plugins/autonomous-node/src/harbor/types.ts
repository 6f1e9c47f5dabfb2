/** @public */
export interface HarborProject {
  project_id: number;
  name: string;
  metadata?: Record<string, string>;
}

/** @public */
export interface HarborScanOverview {
  scan_status?: string;
  severity?: string;
  summary?: {
    total?: number;
    fixable?: number;
    summary?: Record<string, number>;
  };
  complete_percent?: number;
  [key: string]: unknown;
}

/** @public */
export interface HarborArtifact {
  id?: number;
  digest: string;
  size?: number;
  push_time?: string;
  tags?: Array<{ name: string; immutable?: boolean }> | null;
  /** Keyed by report MIME type. */
  scan_overview?: Record<string, HarborScanOverview>;
}

/** @public */
export interface HarborProjectOptions {
  public?: boolean;
  /** Tags matching this pattern can never be overwritten. Default `**`: every tag. */
  immutableTagPattern?: string;
  /** Keep the N most recently pushed artifacts per repository. Default 50. */
  retainLatestPushed?: number;
  /** Cron (with seconds) for the retention run. Default daily at midnight. */
  retentionCron?: string;
}

/** A robot account's credentials: give the secret to the CI and nowhere else. @public */
export interface HarborRobotAccount {
  id: number;
  /** The full name to log in with, e.g. `robot$shop+ci`. */
  name: string;
  secret: string;
  expiresAt?: number;
}
