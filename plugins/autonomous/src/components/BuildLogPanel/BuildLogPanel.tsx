import { useCallback, useRef, useState } from 'react';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  isTerminalReleaseStatus,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AutonomousApi, autonomousApiRef } from '../../api';
import { errorMessage } from '../../errorMessage';
import { LogSource, useLogText } from '../../hooks';
import { saveFile } from '../../saveFile';
import { ErrorText } from '../ErrorText';
import { LOGS_HIDDEN_REASON, LogPane, useLogsReadable } from '../LogPane';

/** Reads a finished build's log piece by piece, as the build log API hands it out. */
async function wholeBuildLog(
  api: AutonomousApi,
  id: string,
  signal: AbortSignal,
): Promise<string> {
  let text = '';
  let start = 0;
  for (;;) {
    const chunk = await api.getBuildLog(id, start);
    text += chunk.text;
    if (!chunk.more || signal.aborted || chunk.nextStart <= start) {
      return text;
    }
    start = chunk.nextStart;
  }
}

/** Redeploys and rollbacks reuse an earlier release's image: they never build. */
function reusesImage(release: Release): boolean {
  return (
    release.buildNumber === undefined &&
    (Boolean(release.sourceReleaseId) ||
      release.trigger === 'redeploy' ||
      release.trigger === 'rollback')
  );
}

/** The release's Jenkins build log: followed while it builds, whole once it has built. */
export function BuildLogPanel({ release }: { release: Release }) {
  const api = useApi(autonomousApiRef);
  const [downloadError, setDownloadError] = useState<string>();
  // Jenkins numbers a build when it starts; a release that ended before has no log.
  const started =
    release.buildNumber !== undefined || release.status === 'building';
  const ended = isTerminalReleaseStatus(release.status);
  // Decided when reading starts: a log followed to its end is not read a second time
  // when the release then moves on from building.
  const building = useRef(release.status === 'building');
  building.current = release.status === 'building';

  const source = useCallback<LogSource>(
    signal =>
      building.current
        ? api.streamBuildLog(release.id, { signal })
        : wholeBuildLog(api, release.id, signal),
    [api, release.id],
  );
  const noBuild = reusesImage(release);
  const readable = useLogsReadable(release.entityRef);
  const log = useLogText(
    started && !noBuild && readable.allowed ? source : undefined,
    [source, readable.allowed],
  );

  const download = async () => {
    setDownloadError(undefined);
    try {
      saveFile(await api.downloadBuildLog(release.id));
    } catch (error) {
      setDownloadError(errorMessage(error as Error));
    }
  };

  if (noBuild) {
    return (
      <Typography variant="body2" color="textSecondary">
        No build: this release deploys the image of an earlier release again.
      </Typography>
    );
  }
  if (!readable.allowed) {
    return readable.loading ? (
      <Progress />
    ) : (
      <Typography variant="body2">
        The build log is hidden from you. {LOGS_HIDDEN_REASON}
      </Typography>
    );
  }
  if (!started && ended) {
    return (
      <Typography variant="body2" color="textSecondary">
        No build log: the release ended before its build started.
      </Typography>
    );
  }
  if (!started) {
    return (
      <Typography variant="body2" color="textSecondary">
        The build has not started yet; its log shows here as soon as it does.
      </Typography>
    );
  }
  return (
    <div>
      <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
        <Typography variant="body2" color="textSecondary" aria-live="polite">
          {log.live ? 'Following the build as it runs…' : ''}
          {!log.live && release.buildJob
            ? `${release.buildJob}${
                release.buildNumber !== undefined
                  ? ` #${release.buildNumber}`
                  : ''
              }`
            : ''}
        </Typography>
        <Box flexGrow={1} />
        <Button size="small" variant="outlined" onClick={download}>
          Download log
        </Button>
      </Box>
      {downloadError && <ErrorText>{downloadError}</ErrorText>}
      {log.error && (
        <Box mb={1}>
          <ErrorText>
            Could not read the build log: {errorMessage(log.error)}
          </ErrorText>
          <Button size="small" onClick={log.retry}>
            Try again
          </Button>
        </Box>
      )}
      {log.loading && !log.error ? (
        <Progress />
      ) : (
        <LogPane
          text={log.text}
          // Not "Build log": the drawer's section has that name, and two landmarks may not.
          label={
            release.buildJob && release.buildNumber !== undefined
              ? `Log of ${release.buildJob} #${release.buildNumber}`
              : 'Log of the build'
          }
          emptyText={log.error ? '' : '(the log is empty)'}
        />
      )}
    </div>
  );
}
