import { parseEntityRef } from '@backstage/catalog-model';
import { TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ReleaseActions } from '../ReleaseActions';
import { useReleasePage } from '../ReleasePage';
import { ReleaseStatus } from '../ReleaseStatus';
import { formatRelativeTime, formatTimestamp, releaseDuration } from './time';

function CommitCell({ release }: { release: Release }) {
  if (!release.commitSha) {
    return <>{release.ref ?? '—'}</>;
  }
  const subject = release.commitMessage?.split('\n')[0];
  return (
    <>
      <Typography
        component="code"
        variant="body2"
        title={release.commitSha}
        style={{ fontFamily: 'monospace' }}
      >
        {release.commitSha.slice(0, 7)}
      </Typography>
      {subject && (
        <Typography
          variant="caption"
          color="textSecondary"
          display="block"
          title={release.commitMessage}
        >
          {subject}
        </Typography>
      )}
    </>
  );
}

function isEntityRef(value: string): boolean {
  if (!value.includes(':')) {
    return false;
  }
  try {
    parseEntityRef(value);
    return true;
  } catch {
    return false;
  }
}

/** Who asked for a release: a link to the user, or the system's name. */
export function RequestedBy({ release }: { release: Release }) {
  // Releases started by a person carry their user ref; pushes and schedules name a system.
  if (isEntityRef(release.requestedBy)) {
    return <EntityRefLink entityRef={release.requestedBy} defaultKind="user" />;
  }
  return <>{release.requestedBy}</>;
}

function StartedCell({ release }: { release: Release }) {
  const at = release.startedAt ?? release.createdAt;
  return <span title={formatTimestamp(at)}>{formatRelativeTime(at)}</span>;
}

function VersionCell({ release }: { release: Release }) {
  const { openRelease } = useReleasePage();
  return (
    <Link
      component="button"
      variant="body2"
      style={{ fontWeight: 'bold' }}
      title={`Show the stages, logs and pods of ${release.version}`}
      onClick={() => openRelease(release.id)}
    >
      {release.version}
    </Link>
  );
}

export const releaseColumns: TableColumn<Release>[] = [
  { title: 'Version', render: release => <VersionCell release={release} /> },
  { title: 'Environment', field: 'environment' },
  { title: 'Commit', render: release => <CommitCell release={release} /> },
  { title: 'Trigger', field: 'trigger' },
  { title: 'Who', render: release => <RequestedBy release={release} /> },
  {
    title: 'Status',
    render: release => <ReleaseStatus status={release.status} />,
  },
  { title: 'Started', render: release => <StartedCell release={release} /> },
  { title: 'Duration', render: release => releaseDuration(release) },
  { title: 'Actions', render: release => <ReleaseActions release={release} /> },
];
