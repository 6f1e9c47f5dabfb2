import { createContext, useContext, useMemo, useState } from 'react';
import { Progress, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { PodSummary } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { errorMessage } from '../../errorMessage';
import { useLiveAsync } from '../../hooks';
import { ToneStatus } from '../ReleaseStatus';
import { Timestamp } from '../Timestamp';
import { PodLogViewer } from './PodLogViewer';
import { ErrorText } from '../ErrorText';
import { LOGS_HIDDEN_REASON, useLogsReadable } from '../LogPane';

function PodState({ pod }: { pod: PodSummary }) {
  if (pod.ready) {
    return <ToneStatus tone="ok">{pod.phase}, ready</ToneStatus>;
  }
  if (pod.phase === 'Failed') {
    return <ToneStatus tone="error">{pod.phase}</ToneStatus>;
  }
  return <ToneStatus tone="pending">{pod.phase}, not ready</ToneStatus>;
}

/** Which pod's logs are open. Read by the Logs buttons, so the columns never change. */
const SelectedPod = createContext<{
  selected?: string;
  toggle(name: string): void;
}>({ toggle: () => {} });

function LogsButton({ pod }: { pod: PodSummary }) {
  const { selected, toggle } = useContext(SelectedPod);
  return (
    <Button
      size="small"
      aria-label={`Logs of ${pod.name}`}
      aria-pressed={selected === pod.name}
      onClick={() => toggle(pod.name)}
    >
      Logs
    </Button>
  );
}

/**
 * Built once: the table re-creates the cells of columns it has not seen before, and a
 * re-created Logs button loses the keyboard focus it had.
 */
const podColumns: TableColumn<PodSummary>[] = [
  { title: 'Pod', field: 'name', highlight: true },
  { title: 'State', render: pod => <PodState pod={pod} /> },
  { title: 'Restarts', field: 'restarts' },
  {
    title: 'Started',
    render: pod => (pod.startedAt ? <Timestamp at={pod.startedAt} /> : '—'),
  },
  { title: 'Logs', render: pod => <LogsButton pod={pod} /> },
];

/** For a user who may not read logs: the same table without the Logs buttons. */
const podColumnsWithoutLogs = podColumns.slice(0, -1);

export interface EnvironmentPodsProps {
  entityRef: string;
  environment: string;
}

/** The environment's pods, each with its logs a click away. */
export function EnvironmentPods({
  entityRef,
  environment,
}: EnvironmentPodsProps) {
  const api = useApi(autonomousApiRef);
  const logs = useLogsReadable(entityRef);
  const pods = useLiveAsync(
    () => api.listPods(entityRef, environment),
    [api, entityRef, environment],
  );
  const [selected, setSelected] = useState<string>();
  // The same element across renders: the core Table builds its body component anew
  // whenever `emptyContent` changes, which re-creates every row and loses the focus.
  const noPods = useMemo(
    () => (
      <Box p={2}>
        <Typography variant="body2">No pods run in {environment}.</Typography>
      </Box>
    ),
    [environment],
  );
  const selection = useMemo(
    () => ({
      selected,
      toggle: (name: string) =>
        setSelected(current => (current === name ? undefined : name)),
    }),
    [selected],
  );

  if (pods.error && !pods.value) {
    return (
      <Box>
        <ErrorText>
          Could not list the pods of {environment}: {errorMessage(pods.error)}
        </ErrorText>
        <Button size="small" onClick={pods.retry}>
          Try again
        </Button>
      </Box>
    );
  }
  if (!pods.value) {
    return <Progress />;
  }

  const pod = logs.allowed
    ? pods.value.find(p => p.name === selected)
    : undefined;
  return (
    <>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="body2" style={{ flexGrow: 1 }}>
          {!logs.allowed && !logs.loading
            ? `Pod logs are hidden from you. ${LOGS_HIDDEN_REASON}`
            : ''}
        </Typography>
        <Button size="small" onClick={pods.refresh}>
          Reload pods
        </Button>
      </Box>
      <SelectedPod.Provider value={selection}>
        <Table<PodSummary>
          columns={logs.allowed ? podColumns : podColumnsWithoutLogs}
          data={pods.value}
          options={{
            paging: false,
            search: false,
            sorting: false,
            toolbar: false,
            padding: 'dense',
            draggable: false,
          }}
          emptyContent={noPods}
        />
      </SelectedPod.Provider>
      {pod && (
        <Box mt={2}>
          <PodLogViewer
            key={pod.name}
            entityRef={entityRef}
            environment={environment}
            pod={pod}
          />
        </Box>
      )}
    </>
  );
}
