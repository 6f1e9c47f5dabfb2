import type {
  ProjectStatus,
  Release,
  ReleaseStatus,
  ReleaseWithEvents,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

/** One request the fake portal received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization?: string;
}

export interface Step {
  to: ReleaseStatus;
  message: string;
}

/**
 * A local HTTP server that answers the release API's paths with its shapes and records every
 * request, so tests run the real CLI against real HTTP.
 */
export interface FakePortal {
  url: string;
  token: string;
  requests: RecordedRequest[];
  /** Releases by id, with their events. */
  releases: Map<string, ReleaseWithEvents>;
  /** The steps each new release takes, one per read of `GET /releases/:id`. */
  script: Step[];
  /** Answer the next create, redeploy or rollback without a conflict policy with 409. */
  inFlight?: Release;
  /** At most this many releases per history page, whatever `limit` asks. */
  pageSizeCap: number;
  status?: ProjectStatus;
  buildLog: string[];
  /** Answers to give instead of the normal ones, first match used once. */
  overrides: Array<{
    method: string;
    path: RegExp;
    status: number;
    body: unknown;
  }>;
  /** Adds releases to the history, newest first, and returns them. */
  seed(releases: Array<Partial<Release>>): Release[];
  requestsTo(method: string, path: RegExp): RecordedRequest[];
  close(): Promise<void>;
}

export const TEST_TOKEN = 'cli-test-token-1234';
export const BASE_TIME = Date.parse('2025-03-14T14:03:00Z');

export const HEALTHY_SCRIPT: Step[] = [
  { to: 'building', message: 'Jenkins build #12 started' },
  {
    to: 'built',
    message: 'image pinned to harbor.test/shop/storefront@sha256:aa',
  },
  { to: 'syncing', message: 'ArgoCD sync requested' },
  { to: 'progressing', message: 'rollout 1/2 ready' },
  { to: 'healthy', message: 'rollout complete, 2/2 ready' },
];

export function backstageError(status: number, name: string, message: string) {
  return { error: { name, message }, response: { statusCode: status } };
}
