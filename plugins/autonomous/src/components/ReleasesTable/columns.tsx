import { parseEntityRef } from '@backstage/catalog-model';
import { TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import {
  commitSubjectOf,
  Release,
  releaseLabel,
  shortCommitSha,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ReleaseActions } from '../ReleaseActions';
import { useReleasePage } from '../ReleasePage';
import { ReleaseStatus } from '../ReleaseStatus';
import { releaseDuration } from './time';
import { Timestamp } from '../Timestamp';
import { focusKey } from '../../focusReturn';

const mono = { fontFamily: 'monospace', overflowWrap: 'anywhere' } as const;

function CommitCell({ release }: { release: Release }) {
  if (!release.commitSha) {
    // The release records the ref asked for; which commit it resolved to is not known.
    return release.ref ? (
      <>
        <Typography component="code" variant="body2" style={mono}>
          {release.ref}
        </Typography>
        <Typography variant="caption" color="textSecondary" display="block">
          commit unknown
        </Typography>
      </>
    ) : (
      <>—</>
    );
  }
  const subject =
    release.commitSubject ?? commitSubjectOf(release.commitMessage);
  return (
    <>
      <Typography
        component="code"
        variant="body2"
        title={release.commitSha}
        style={mono}
      >
        {shortCommitSha(release.commitSha)}
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
  const duration = releaseDuration(release);
  return (
    <>
      <Timestamp at={at} relative />
      {duration !== '—' && (
        <Typography variant="caption" color="textSecondary" display="block">
          {duration === 'running' ? 'still running' : `took ${duration}`}
        </Typography>
      )}
    </>
  );
}

/** "rollback to #12" under a release that reuses another's image, linking to #12. */
export function SourceReleaseLink({ release }: { release: Release }) {
  const { openRelease, findRelease } = useReleasePage();
  if (!release.sourceReleaseId) {
    return null;
  }
  const number =
    release.sourceReleaseNumber ?? findRelease(release.sourceReleaseId)?.number;
  const name = number ? `#${number}` : 'an earlier release';
  return (
    <Typography variant="caption" color="textSecondary" display="block">
      {release.trigger === 'rollback' ? 'rollback to ' : 'redeploy of '}
      <Link
        component="button"
        variant="caption"
        {...focusKey(`source:${release.id}`)}
        onClick={() => openRelease(release.sourceReleaseId!)}
      >
        {name}
      </Link>
    </Typography>
  );
}

function VersionCell({ release }: { release: Release }) {
  const { openRelease } = useReleasePage();
  return (
    <>
      <Link
        component="button"
        variant="body2"
        style={{ fontWeight: 'bold', textAlign: 'left' }}
        {...focusKey(`release:${release.id}`)}
        onClick={() => openRelease(release.id)}
      >
        {/* The number and the version may go on two lines, each kept whole: at 1024 px a
            two-digit number beside a commit-named version is wider than the column. */}
        {releaseLabel(release)}{' '}
        <span style={{ whiteSpace: 'nowrap' }}>{release.version}</span>
      </Link>
      <Typography variant="caption" color="textSecondary" display="block">
        to {release.environment}
      </Typography>
      <SourceReleaseLink release={release} />
    </>
  );
}

function RequestedCell({ release }: { release: Release }) {
  return (
    <>
      <RequestedBy release={release} />
      <Typography variant="caption" color="textSecondary" display="block">
        {release.trigger}
      </Typography>
    </>
  );
}

// Words wrap between words, never inside one; narrower gutters than the table's 16 + 24 px
// let six columns fit beside the sidebar at 1024 px.
const cellStyle = {
  wordBreak: 'normal',
  overflowWrap: 'normal',
  paddingLeft: 12,
  paddingRight: 12,
} as const;

const columns: TableColumn<Release>[] = [
  // The environment is said under the version: one column less to fit at 1024 px.
  { title: 'Release', render: release => <VersionCell release={release} /> },
  { title: 'Commit', render: release => <CommitCell release={release} /> },
  {
    title: 'Requested by',
    render: release => <RequestedCell release={release} />,
  },
  {
    title: 'Status',
    render: release => <ReleaseStatus status={release.status} />,
  },
  { title: 'Started', render: release => <StartedCell release={release} /> },
  { title: 'Actions', render: release => <ReleaseActions release={release} /> },
];

/** Built once, so the table keeps its cells (and the focus in them) across refreshes. */
export const releaseColumns: TableColumn<Release>[] = columns.map(column => ({
  ...column,
  cellStyle,
  headerStyle: cellStyle,
}));
