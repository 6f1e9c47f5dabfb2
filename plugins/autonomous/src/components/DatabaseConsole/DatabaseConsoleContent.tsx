import { useSearchParams } from 'react-router-dom';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { errorMessage } from '../../errorMessage';
import { useConsolePermissions } from '../../hooks/useConsolePermissions';
import { useDatabases } from '../../hooks/useDatabases';
import { databaseStatusWord } from '../DatabaseCommon';
import {
  currentInstance,
  DATABASE_SEARCH_PARAM,
} from '../DatabaseTab/DatabaseTab';
import { isDatabaseResource } from '../DatabaseTab/isDatabaseResource';
import { DatabaseConsole } from './DatabaseConsole';

function ConsolePage() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const owner =
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
  const permissions = useConsolePermissions(entityRef, owner);
  const databases = useDatabases(entityRef);
  const [searchParams] = useSearchParams();
  const shownParam = searchParams.get(DATABASE_SEARCH_PARAM) ?? undefined;

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
  if (!databases.value) {
    return <Progress />;
  }
  const instance =
    databases.value.find(i => i.id === shownParam) ??
    currentInstance(databases.value);
  if (!instance) {
    return (
      <EmptyState
        missing="data"
        title="No database to open"
        description="This resource has no database yet. Create one on the Database tab; its console opens here once it is ready."
      />
    );
  }
  if (instance.status !== 'ready') {
    return (
      <EmptyState
        missing="data"
        title={`${instance.name} is ${databaseStatusWord(
          instance.status,
        ).word.toLowerCase()}`}
        description="The console opens once the database is ready. The Database tab shows where it stands."
      />
    );
  }
  return (
    <DatabaseConsole
      key={instance.id}
      instance={instance}
      permissions={permissions}
    />
  );
}

/** The Console tab of a database Resource's entity page. */
export function DatabaseConsoleContent() {
  const { entity } = useEntity();
  if (!isDatabaseResource(entity)) {
    return (
      <EmptyState
        missing="info"
        title="Not a database"
        description="The Console tab is for catalog entities of kind Resource with spec.type: database."
      />
    );
  }
  // Marks the plugin's own part of the page, e.g. for accessibility checks.
  return (
    <div data-autonomous-plugin="">
      <ConsolePage />
    </div>
  );
}
