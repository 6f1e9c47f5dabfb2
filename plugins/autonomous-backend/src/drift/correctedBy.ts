import {
  Release,
  releaseLabel,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ArgoCdApplication } from '@autonomous-dev/backstage-plugin-autonomous-node';
import type { SyncRequest } from '../database/DriftStore';

/** What ArgoCD records of its last operation beyond the fields the suite types. */
interface OperationState {
  phase?: string;
  startedAt?: string;
  operation?: {
    initiatedBy?: { username?: string; automated?: boolean };
  };
}

/** A release in one of these applied Git (a cancelled or failed one may never have synced). */
const DEPLOYED: ReadonlyArray<Release['status']> = [
  'healthy',
  'degraded',
  'rolled-back',
];

/**
 * ArgoCD's controller starts an accepted sync within seconds; a sync that started this long
 * after a person's request was someone else's (the same account from the CLI, a script).
 */
const REQUESTED_SYNC_STARTS_WITHIN_MS = 5 * 60_000;

/** ArgoCD's times have whole seconds; the portal's have milliseconds. */
const toSecond = (iso: string) => Math.floor(Date.parse(iso) / 1000) * 1000;

function startedOnRequest(startedAt: string, request: SyncRequest): boolean {
  const after = Date.parse(startedAt) - toSecond(request.requestedAt);
  return after >= 0 && after <= REQUESTED_SYNC_STARTS_WITHIN_MS;
}

/**
 * Who or what brought a drifted environment back in line with Git, in words for the release
 * history: a release started since the drift was detected, else ArgoCD's last sync if it started
 * since then (its `initiatedBy`: the automated sync, or the account that asked), else nothing
 * did: the live objects were changed back by hand. ArgoCD knows a sync from the portal only as
 * the portal's ArgoCD account: when a person asked the portal for a sync and ArgoCD's sync
 * started at or after that request (within minutes), the person is named instead.
 */
export function correctedBy(
  app: ArgoCdApplication,
  history: Release[],
  episode: { since: string; releaseId?: string },
  syncRequest?: SyncRequest,
): string {
  const since = toSecond(episode.since);
  const release = history.find(
    r =>
      r.id !== episode.releaseId &&
      DEPLOYED.includes(r.status) &&
      Date.parse(r.createdAt) >= since,
  );
  if (release) {
    return `by release ${releaseLabel(release)} (${
      release.version
    }), requested by ${release.requestedBy}`;
  }
  const op = app.status?.operationState as OperationState | undefined;
  if (
    op?.phase === 'Succeeded' &&
    op.startedAt &&
    Date.parse(op.startedAt) >= since
  ) {
    const by = op.operation?.initiatedBy;
    if (by?.automated) return "by ArgoCD's automated sync (self-heal)";
    if (syncRequest && startedOnRequest(op.startedAt, syncRequest)) {
      return `by a sync requested by ${syncRequest.requestedBy}`;
    }
    return by?.username
      ? `by a sync as ArgoCD account ${by.username}`
      : 'by a sync';
  }
  return 'by itself: no release or sync since it was detected, the live objects were changed back';
}
