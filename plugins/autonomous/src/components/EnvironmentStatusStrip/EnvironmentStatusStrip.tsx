import { WarningPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { ProjectStatus } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { errorMessage } from '../../errorMessage';
import { EnvironmentCard } from './EnvironmentCard';

export interface EnvironmentStatusStripProps {
  /** The project's environments in promotion order, known even when the status is not. */
  environments: string[];
  status?: ProjectStatus;
  loading: boolean;
  error?: Error;
}

/**
 * Every environment side by side: its summary, what runs there, and its actions. The
 * environments come from the project, so the actions stay at hand when the status cannot be
 * read (an upstream down is exactly when someone wants to sync or deploy).
 */
export function EnvironmentStatusStrip(props: EnvironmentStatusStripProps) {
  const { status, loading, error } = props;
  const names = [...props.environments];
  for (const environment of status?.environments ?? []) {
    if (!names.includes(environment.environment)) {
      names.push(environment.environment);
    }
  }
  return (
    <>
      {error && !status && (
        <WarningPanel
          title="Could not read the environments' status"
          message={errorMessage(error)}
        />
      )}
      {/* Side by side while each card has 320 px, stacked below that; a CSS grid, since a
          spaced MUI Grid's negative margins make a narrow page scroll sideways. */}
      <Box
        display="grid"
        gridTemplateColumns="repeat(auto-fit, minmax(min(320px, 100%), 1fr))"
        style={{ gap: 16 }}
      >
        {names.map(name => (
          <Box key={name} minWidth={0}>
            <EnvironmentCard
              environment={name}
              status={status?.environments.find(e => e.environment === name)}
              loading={loading}
            />
          </Box>
        ))}
      </Box>
    </>
  );
}
