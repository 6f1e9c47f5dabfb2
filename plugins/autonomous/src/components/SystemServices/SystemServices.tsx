import { useCallback, useMemo, useState } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  InfoCard,
  Progress,
  StatusOK,
  StatusPending,
  StatusWarning,
  WarningPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  autonomousDeployPermission,
  autonomousProjectDeletePermission,
  ProjectServices,
  ServiceEnvironment,
  ServiceOverview,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { errorMessage } from '../../errorMessage';
import { useLiveAsync } from '../../hooks';
import { ownerName } from '../../hooks/useReleasePermissions';
import { PermissionedButton } from '../PermissionedButton';
import { useOwnerTitle } from '../ReleasePage';
import { DeleteProjectDialog } from './DeleteProjectDialog';
import { DeployServicesDialog } from './DeployServicesDialog';
import { useActionPermission } from './useServicePermission';

function Readiness(props: { env: ServiceEnvironment }) {
  const { env } = props;
  let Indicator = StatusWarning;
  if (env.ready) Indicator = StatusOK;
  else if (env.health === 'Progressing') Indicator = StatusPending;
  return (
    <Box>
      <Indicator>
        {env.environment}: {env.ready ? 'ready' : 'not ready'}
      </Indicator>
      <Typography variant="caption" component="p" color="textSecondary">
        {env.readiness}
      </Typography>
    </Box>
  );
}

function CurrentRelease(props: { env: ServiceEnvironment }) {
  const release = props.env.currentRelease;
  return (
    <Typography variant="body2" style={{ whiteSpace: 'nowrap' }}>
      {props.env.environment}:{' '}
      {release ? `#${release.number} (${release.version})` : 'none'}
    </Typography>
  );
}

function Domains(props: { envs: ServiceEnvironment[] }) {
  const domains = props.envs.flatMap(env =>
    env.domains.map(domain => `${domain} (${env.environment})`),
  );
  return <Typography variant="body2">{domains.join(', ') || '—'}</Typography>;
}

/** The releases deployed together most recently, one line per group. */
function ReleaseGroups(props: { overview: ProjectServices }) {
  const groups = props.overview.releaseGroups;
  if (!groups.length) return null;
  return (
    <InfoCard title="Deployed together">
      <ul aria-label="Releases deployed together">
        {groups.map(group => (
          <li key={group.id}>
            <Typography variant="body2">
              {group.environment} · {group.requestedBy} ·{' '}
              {group.releases
                .map(
                  r =>
                    `${r.entityRef.slice(r.entityRef.lastIndexOf('/') + 1)} #${
                      r.number
                    } ${r.status}`,
                )
                .join(', ')}
              {group.reason ? ` · ${group.reason}` : ''}
            </Typography>
          </li>
        ))}
      </ul>
    </InfoCard>
  );
}

/**
 * A microservice project's services (the System page): readiness, current release and domain
 * per environment, a Deploy per service, Deploy selected for several together, and deleting
 * the project after its name is typed.
 */
export function SystemServices() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(autonomousApiRef);
  const overview = useLiveAsync(
    () => api.listProjectServices(entityRef),
    [api, entityRef],
  );
  const owner =
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
  const owners = useOwnerTitle(owner) ?? ownerName(owner);
  const deployPermission = useActionPermission(
    autonomousDeployPermission,
    entityRef,
    'deploy this project',
    owners,
  );
  const deletePermission = useActionPermission(
    autonomousProjectDeletePermission,
    entityRef,
    'delete this project',
    owners,
  );
  const [selected, setSelected] = useState<string[]>([]);
  const [deploying, setDeploying] = useState<string[]>();
  const [deleting, setDeleting] = useState(false);
  const [notice, setNotice] = useState<string>();

  const services: ServiceOverview[] = useMemo(
    () => overview.value?.services ?? [],
    [overview.value],
  );
  const environments = useMemo(
    () => [
      ...new Set(services.flatMap(s => s.environments.map(e => e.environment))),
    ],
    [services],
  );
  const { refresh } = overview;
  const deploy = useCallback(
    async (request: { environment: string; reason?: string }) => {
      const group = await api.deployServices(entityRef, {
        ...request,
        services: deploying ?? [],
      });
      setNotice(
        `Deploying ${group.releases.map(r => `#${r.number}`).join(', ')} to ${
          group.environment
        }.`,
      );
      setSelected([]);
      refresh();
    },
    [api, entityRef, deploying, refresh],
  );
  const remove = useCallback(
    async (request: { confirm: string }) => {
      await api.deleteProject(entityRef, request);
      setNotice(`${entity.metadata.name} was deleted; its history stays.`);
      refresh();
    },
    [api, entityRef, entity.metadata.name, refresh],
  );

  if (overview.loading && !overview.value) return <Progress />;
  if (overview.error && !overview.value) {
    return (
      <WarningPanel
        severity="error"
        title="The services could not be read"
        message={errorMessage(overview.error)}
      />
    );
  }
  const deletion = overview.value?.deletion;
  const toggle = (name: string) =>
    setSelected(current =>
      current.includes(name)
        ? current.filter(n => n !== name)
        : [...current, name],
    );

  return (
    <Box data-autonomous-plugin="" display="grid" gridGap={16}>
      {deletion && (
        <WarningPanel
          severity="info"
          title={`Deleted by ${deletion.deletedBy} at ${deletion.deletedAt}`}
          message={`Its Argo CD applications (${deletion.applications.join(
            ', ',
          )}) were removed; the release history stays readable.`}
        />
      )}
      <Typography role="status" variant="body2">
        {notice ?? ''}
      </Typography>
      {!deletion && (
        <InfoCard
          title="Services"
          action={
            <Box display="flex" gridGap={8} p={1}>
              <PermissionedButton
                permission={deployPermission}
                variant="outlined"
                color="primary"
                disabled={!selected.length}
                onClick={() => setDeploying(selected)}
              >
                Deploy selected ({selected.length})
              </PermissionedButton>
              <PermissionedButton
                permission={deletePermission}
                variant="outlined"
                color="secondary"
                onClick={() => setDeleting(true)}
              >
                Delete project
              </PermissionedButton>
            </Box>
          }
        >
          {services.length ? (
            <Table size="small" aria-label="Services">
              <TableHead>
                <TableRow>
                  <TableCell padding="checkbox">
                    <span className="MuiTypography-srOnly">Select</span>
                  </TableCell>
                  <TableCell>Service</TableCell>
                  <TableCell>Readiness</TableCell>
                  <TableCell>Current release</TableCell>
                  <TableCell>Domain</TableCell>
                  <TableCell>
                    <span className="MuiTypography-srOnly">Actions</span>
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {services.map(service => (
                  <TableRow key={service.entityRef}>
                    <TableCell padding="checkbox">
                      <Checkbox
                        checked={selected.includes(service.name)}
                        onChange={() => toggle(service.name)}
                        inputProps={{
                          'aria-label': `Select ${service.name}`,
                        }}
                      />
                    </TableCell>
                    <TableCell>
                      <Typography
                        variant="body2"
                        style={{ whiteSpace: 'nowrap' }}
                      >
                        {service.title ?? service.name}
                      </Typography>
                      {service.sourcePath && (
                        <Typography
                          variant="caption"
                          color="textSecondary"
                          component="p"
                        >
                          {service.sourcePath}/
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>
                      {service.environments.map(env => (
                        <Readiness key={env.environment} env={env} />
                      ))}
                    </TableCell>
                    <TableCell>
                      {service.environments.map(env => (
                        <CurrentRelease key={env.environment} env={env} />
                      ))}
                    </TableCell>
                    <TableCell>
                      <Domains envs={service.environments} />
                    </TableCell>
                    <TableCell>
                      <PermissionedButton
                        permission={deployPermission}
                        size="small"
                        variant="outlined"
                        aria-label={`Deploy ${service.name}`}
                        style={{ whiteSpace: 'nowrap' }}
                        onClick={() => setDeploying([service.name])}
                      >
                        Deploy
                      </PermissionedButton>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : (
            <Typography variant="body2">
              No service: add Components with spec.system {entity.metadata.name}{' '}
              and the annotation autonomous.dev/project.
            </Typography>
          )}
        </InfoCard>
      )}
      {overview.value && <ReleaseGroups overview={overview.value} />}
      <DeployServicesDialog
        open={Boolean(deploying)}
        services={deploying ?? []}
        environments={environments}
        deploy={deploy}
        onClose={() => setDeploying(undefined)}
      />
      <DeleteProjectDialog
        open={deleting}
        projectName={entity.metadata.name}
        serviceCount={services.length}
        remove={remove}
        onClose={() => setDeleting(false)}
      />
    </Box>
  );
}
