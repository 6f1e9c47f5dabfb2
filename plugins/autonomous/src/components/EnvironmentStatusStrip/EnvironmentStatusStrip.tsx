import { WarningPanel } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
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
      <Grid container spacing={2} component="div" aria-label="Environments">
        {names.map(name => (
          <Grid item xs={12} md={names.length > 1 ? 6 : 12} lg key={name}>
            <EnvironmentCard
              environment={name}
              status={status?.environments.find(e => e.environment === name)}
              loading={loading}
            />
          </Grid>
        ))}
      </Grid>
    </>
  );
}
