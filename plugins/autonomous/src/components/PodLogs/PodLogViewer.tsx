import { useCallback, useId, useState } from 'react';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { PodSummary } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { errorMessage } from '../../errorMessage';
import { LogSource, useLogText } from '../../hooks';
import { saveFile } from '../../saveFile';
import { ErrorText } from '../ErrorText';
import { LogPane } from '../LogPane';

/** How many lines a viewer starts with; the download has every line the cluster kept. */
export const POD_LOG_TAIL_LINES = 1000;

export interface PodLogViewerProps {
  entityRef: string;
  environment: string;
  pod: PodSummary;
}

/** One pod's logs: followed live, or the previous container's after a restart. */
export function PodLogViewer(props: PodLogViewerProps) {
  const formId = useId();
  const { entityRef, environment, pod } = props;
  const api = useApi(autonomousApiRef);
  const [container, setContainer] = useState(pod.containers[0]);
  const [follow, setFollow] = useState(true);
  const [previous, setPrevious] = useState(false);
  const [downloadError, setDownloadError] = useState<string>();
  // A previous container has stopped: there is nothing to follow.
  const following = follow && !previous;

  const source = useCallback<LogSource>(
    signal => {
      const options = { container, previous, tailLines: POD_LOG_TAIL_LINES };
      return following
        ? api.streamPodLogs(entityRef, environment, pod.name, {
            ...options,
            signal,
          })
        : api.podLogs(entityRef, environment, pod.name, options);
    },
    [api, entityRef, environment, pod.name, container, previous, following],
  );
  const log = useLogText(source, [source]);

  const download = async () => {
    setDownloadError(undefined);
    try {
      saveFile(
        await api.downloadPodLogs(entityRef, environment, pod.name, {
          container,
          previous,
        }),
      );
    } catch (error) {
      setDownloadError(errorMessage(error as Error));
    }
  };

  return (
    <section aria-label={`Logs of ${pod.name}`}>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 16 }}
        mb={1}
      >
        {pod.containers.length > 1 && (
          <TextField
            select
            id={`${formId}-container`}
            label="Container"
            value={container}
            onChange={e => setContainer(e.target.value)}
            SelectProps={{ native: true }}
            margin="dense"
          >
            {pod.containers.map(name => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </TextField>
        )}
        <FormControlLabel
          control={
            <Switch
              checked={following}
              disabled={previous}
              onChange={e => setFollow(e.target.checked)}
            />
          }
          label="Follow"
        />
        {pod.hasPreviousLogs && (
          <FormControlLabel
            control={
              <Checkbox
                checked={previous}
                onChange={e => setPrevious(e.target.checked)}
              />
            }
            label={`Previous container (before ${pod.restarts} restart${
              pod.restarts === 1 ? '' : 's'
            })`}
          />
        )}
        <Box flexGrow={1} />
        <Typography variant="caption" color="textSecondary" aria-live="polite">
          {log.live ? 'Following…' : ''}
        </Typography>
        <Button size="small" variant="outlined" onClick={download}>
          Download
        </Button>
      </Box>
      {downloadError && <ErrorText>{downloadError}</ErrorText>}
      {log.error && (
        <Box mb={1}>
          <ErrorText>
            Could not read the logs of {pod.name}: {errorMessage(log.error)}
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
          label={`Log of ${pod.name}`}
          emptyText={log.error ? '' : '(no output yet)'}
        />
      )}
    </section>
  );
}
