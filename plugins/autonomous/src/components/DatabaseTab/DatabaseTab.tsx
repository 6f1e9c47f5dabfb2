import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { autonomousApiRef } from '../../api';
import { errorMessage } from '../../errorMessage';
import { useDatabaseEngines, useDatabases } from '../../hooks/useDatabases';
import { useDatabasePermissions } from '../../hooks/useDatabasePermissions';
import { useLiveDatabaseUpdates } from '../../hooks/useLiveDatabaseUpdates';
import { isDatabaseInFlight } from '../DatabaseCommon';
import { DatabaseProvisionForm } from '../DatabaseProvisionForm';
import { DatabaseInstanceView } from './DatabaseInstanceView';
import { InstanceList } from './InstanceList';
import { isDatabaseResource } from './isDatabaseResource';
import { Section } from './Section';

/** The search parameter naming the instance shown: links keep it. */
export const DATABASE_SEARCH_PARAM = 'database';

/** The instance the tab shows unless the address names another: the newest live one. */
export function currentInstance(
  instances: DatabaseInstance[],
): DatabaseInstance | undefined {
  return instances.find(i => !['deleted', 'failed'].includes(i.status));
}

function DatabasePage() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const owner =
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
  const api = useApi(autonomousApiRef);
  const permissions = useDatabasePermissions(entityRef, owner);
  const databases = useDatabases(entityRef);
  const engines = useDatabaseEngines(entityRef);
  const [updates, setUpdates] = useState(0);
  const [backupsInFlight, setBackupsInFlight] = useState(false);
  const [searchParams, setSearchParams] = useSearchParams();
  const shownParam = searchParams.get(DATABASE_SEARCH_PARAM) ?? undefined;

  const show = useCallback(
    (id?: string) =>
      setSearchParams(previous => {
        const next = new URLSearchParams(previous);
        if (id) {
          next.set(DATABASE_SEARCH_PARAM, id);
        } else {
          next.delete(DATABASE_SEARCH_PARAM);
        }
        return next;
      }),
    [setSearchParams],
  );

  const { refresh: refreshDatabases } = databases;
  const onUpdate = useCallback(() => {
    refreshDatabases();
    setUpdates(n => n + 1);
  }, [refreshDatabases]);

  const instances = databases.value;
  const inFlight =
    backupsInFlight ||
    Boolean(instances?.some(i => isDatabaseInFlight(i.status)));
  const signalled = useLiveDatabaseUpdates({ entityRef, inFlight, onUpdate });

  if (databases.error) {
    return (
      <>
        <ResponseErrorPanel
          title={`Could not load the databases: ${errorMessage(
            databases.error,
          )}`}
          error={databases.error}
        />
        <Box mt={1}>
          <Button variant="outlined" onClick={databases.retry}>
            Try again
          </Button>
        </Box>
      </>
    );
  }
  if (!instances) {
    return <Progress />;
  }

  const live = currentInstance(instances);
  const shown = instances.find(i => i.id === shownParam) ?? live;
  // The newest attempt failed and nothing runs: say why above the form that tries again.
  const lastFailed =
    !shown && instances[0]?.status === 'failed' ? instances[0] : undefined;
  const viewed = shown ?? lastFailed;

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 32 }}>
      {viewed && (
        <DatabaseInstanceView
          key={viewed.id}
          instance={viewed}
          permissions={permissions}
          updates={updates}
          onBackupsInFlight={setBackupsInFlight}
          refreshInstances={onUpdate}
          onRestored={result => {
            if (result.instance) {
              show(result.instance.id);
            }
          }}
        />
      )}
      {!live && (
        <Paper variant="outlined" style={{ minWidth: 0, padding: 16 }}>
          {engines.error && (
            <ResponseErrorPanel
              title={`Could not load the engines on offer: ${errorMessage(
                engines.error,
              )}`}
              error={engines.error}
            />
          )}
          {!engines.value && !engines.error && <Progress />}
          {engines.value && (
            <DatabaseProvisionForm
              entityRef={entityRef}
              defaultName={entity.metadata.name}
              engines={engines.value}
              permission={permissions.create}
              provision={request => api.provisionDatabase(request)}
              onProvisioned={instance => {
                onUpdate();
                show(instance.id);
              }}
            />
          )}
        </Paper>
      )}
      {instances.length > 1 || (instances.length === 1 && !live) ? (
        <Section title="All instances">
          <InstanceList
            instances={instances}
            shownId={viewed?.id}
            onShow={show}
          />
        </Section>
      ) : null}
      {!signalled && inFlight && (
        <Typography variant="caption">
          Checking for changes every 5 seconds while something is under way.
        </Typography>
      )}
    </Box>
  );
}

/** The Database tab of a database Resource's entity page. */
export function DatabaseContent() {
  const { entity } = useEntity();
  if (!isDatabaseResource(entity)) {
    return (
      <EmptyState
        missing="info"
        title="Not a database"
        description="The Database tab is for catalog entities of kind Resource with spec.type: database."
      />
    );
  }
  // Marks the plugin's own part of the page, e.g. for accessibility checks.
  return (
    <div data-autonomous-plugin="">
      <DatabasePage />
    </div>
  );
}
