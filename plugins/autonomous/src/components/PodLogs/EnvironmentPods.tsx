import { useState } from 'react';
import {
  Progress,
  StatusError,
  StatusOK,
  StatusPending,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { PodSummary } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { errorMessage } from '../../errorMessage';
import { useLiveAsync } from '../../hooks';
import { formatRelativeTime } from '../ReleasesTable/time';
import { PodLogViewer } from './PodLogViewer';

function PodState({ pod }: { pod: PodSummary }) {
  if (pod.ready) {
    return <StatusOK>{pod.phase}, ready</StatusOK>;
  }
  if (pod.phase === 'Failed') {
    return <StatusError>{pod.phase}</StatusError>;
  }
  return <StatusPending>{pod.phase}, not ready</StatusPending>;
}

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
  const pods = useLiveAsync(
    () => api.listPods(entityRef, environment),
    [api, entityRef, environment],
  );
  const [selected, setSelected] = useState<string>();

  if (pods.error && !pods.value) {
    return (
      <Box>
        <Typography role="alert" color="error" variant="body2">
          Could not list the pods of {environment}: {errorMessage(pods.error)}
        </Typography>
        <Button size="small" onClick={pods.retry}>
          Try again
        </Button>
      </Box>
    );
  }
  if (!pods.value) {
    return <Progress />;
  }

  const columns: TableColumn<PodSummary>[] = [
    { title: 'Pod', field: 'name', highlight: true },
    { title: 'State', render: pod => <PodState pod={pod} /> },
    { title: 'Restarts', field: 'restarts' },
    {
      title: 'Started',
      render: pod => (pod.startedAt ? formatRelativeTime(pod.startedAt) : '—'),
    },
    {
      title: 'Logs',
      render: pod => (
        <Button
          size="small"
          aria-label={`Logs of ${pod.name}`}
          aria-pressed={selected === pod.name}
          onClick={() =>
            setSelected(selected === pod.name ? undefined : pod.name)
          }
        >
          {selected === pod.name ? 'Hide logs' : 'Logs'}
        </Button>
      ),
    },
  ];
  const pod = pods.value.find(p => p.name === selected);
  return (
    <>
      <Box display="flex" justifyContent="flex-end">
        <Button size="small" onClick={pods.refresh}>
          Reload pods
        </Button>
      </Box>
      <Table<PodSummary>
        columns={columns}
        data={pods.value}
        options={{
          paging: false,
          search: false,
          sorting: false,
          toolbar: false,
          padding: 'dense',
        }}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2">
              No pods run in {environment}.
            </Typography>
          </Box>
        }
      />
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
