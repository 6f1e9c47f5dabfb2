import {
  Release,
  releaseLabel,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ArgoCdApplication } from '@autonomous-dev/backstage-plugin-autonomous-node';

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
 * Who or what brought a drifted environment back in line with Git, in words for the release
 * history: a release started since the drift was detected, else ArgoCD's last sync if it started
 * since then (its `initiatedBy`: the automated sync, or the account that asked, which for a
 * sync from the portal is the portal's ArgoCD account), else nothing did: the live objects were
 * changed back by hand.
 */
export function correctedBy(
  app: ArgoCdApplication,
  history: Release[],
  episode: { since: string; releaseId?: string },
): string {
  // ArgoCD's times have whole seconds; the episode's has milliseconds.
  const since = Math.floor(Date.parse(episode.since) / 1000) * 1000;
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
    return by?.username
      ? `by a sync as ArgoCD account ${by.username}`
      : 'by a sync';
  }
  return 'by itself: no release or sync since it was detected, the live objects were changed back';
}
