import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  commitSubjectOf,
  isReleaseInFlight,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { RequestedBy, SourceReleaseLink } from '../ReleasesTable/columns';
import { Timestamp } from '../Timestamp';
import { releaseDuration } from '../ReleasesTable/time';

function Fact(props: { term: string; children: ReactNode }) {
  return (
    <>
      <Typography component="dt" variant="body2" color="textSecondary">
        {props.term}
      </Typography>
      <Typography component="dd" variant="body2" style={{ margin: 0 }}>
        {props.children}
      </Typography>
    </>
  );
}

const mono = { fontFamily: 'monospace', overflowWrap: 'anywhere' } as const;

/** What was deployed, from which code, by whom and why. */
export function ReleaseFacts({ release }: { release: Release }) {
  const [repository, digest] = release.imageRef?.split('@') ?? [];
  const subject =
    release.commitSubject ?? commitSubjectOf(release.commitMessage);
  return (
    <Box
      component="dl"
      display="grid"
      gridTemplateColumns="max-content 1fr"
      style={{ columnGap: 16, rowGap: 4 }}
      m={0}
    >
      <Fact term="Release">
        #{release.number} ({release.version})
      </Fact>
      <Fact term="Environment">{release.environment}</Fact>
      <Fact term="Image digest">
        {digest ? (
          <span style={mono} title={release.imageRef}>
            {digest}
          </span>
        ) : (
          <>{isReleaseInFlight(release.status) ? 'not built yet' : '—'}</>
        )}
      </Fact>
      {repository && (
        <Fact term="Image">
          <span style={mono}>{repository}</span>
        </Fact>
      )}
      <Fact term="Commit">
        {release.commitSha ? (
          <span style={mono}>{release.commitSha}</span>
        ) : (
          <>
            {isReleaseInFlight(release.status)
              ? 'known once the build has checked it out'
              : 'not recorded'}
          </>
        )}
        {subject && (
          <Typography variant="caption" display="block" color="textSecondary">
            {subject}
          </Typography>
        )}
      </Fact>
      {release.ref && <Fact term="Ref">{release.ref}</Fact>}
      <Fact term="Requested by">
        <RequestedBy release={release} /> ({release.trigger})
      </Fact>
      <Fact term="Reason">{release.reason ?? '—'}</Fact>
      {release.sourceReleaseId && (
        <Fact term="Image from">
          <SourceReleaseLink release={release} />
        </Fact>
      )}
      <Fact term="Created">
        <Timestamp at={release.createdAt} relative />
      </Fact>
      <Fact term="Duration">{releaseDuration(release)}</Fact>
    </Box>
  );
}
