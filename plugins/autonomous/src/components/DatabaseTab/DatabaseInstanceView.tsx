import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { autonomousApiRef, RestoreBackupResult } from '../../api';
import { errorMessage } from '../../errorMessage';
import {
  useDatabaseBackups,
  useDatabaseEvents,
} from '../../hooks/useDatabases';
import { DatabasePermissions } from '../../hooks/useDatabasePermissions';
import {
  databaseStatusWord,
  engineTitle,
  isDatabaseInFlight,
} from '../DatabaseCommon';
import { DatabaseBackups } from '../DatabaseBackups';
import { DatabaseBackupSettings } from '../DatabaseBackupSettings';
import { DatabaseConnection } from '../DatabaseConnection';
import { DeleteDatabaseDialog } from '../DatabaseDelete';
import { DatabaseTimeline, useDatabaseAnnouncer } from '../DatabaseTimeline';
import { ErrorText } from '../ErrorText';
import { PermissionedButton } from '../PermissionedButton';
import { ReleaseAnnouncements } from '../ReleasePage';
import { ToneStatus } from '../ReleaseStatus';
import { Timestamp } from '../Timestamp';
import { Section } from './Section';

export interface DatabaseInstanceViewProps {
  instance: DatabaseInstance;
  permissions: DatabasePermissions;
  /** Grows with every signal or poll: read the instance's steps and backups again. */
  updates: number;
  /** Whether a backup of this instance is pending or running: the page keeps reading. */
  onBackupsInFlight(inFlight: boolean): void;
  /** Read the entity's instances again (after a delete or a restore). */
  refreshInstances(): void;
  onRestored(result: RestoreBackupResult): void;
}

/**
 * One database instance: what it is and its status, then — depending on where it stands —
 * the provisioning steps, how to connect, its backups, the backup settings, and deletion.
 */
export function DatabaseInstanceView(props: DatabaseInstanceViewProps) {
  const { instance, permissions, updates } = props;
  const api = useApi(autonomousApiRef);
  const events = useDatabaseEvents(instance.id);
  const backups = useDatabaseBackups(instance.id);
  const [deleting, setDeleting] = useState(false);
  const announcement = useDatabaseAnnouncer(instance.name, events.value);
  const inFlight = isDatabaseInFlight(instance.status);
  const ready = instance.status === 'ready';
  const status = databaseStatusWord(instance.status);

  const { refresh: refreshEvents } = events;
  const { refresh: refreshBackups } = backups;
  useEffect(() => {
    if (updates > 0) {
      refreshEvents();
      refreshBackups();
    }
  }, [updates, refreshEvents, refreshBackups]);
  // The instance's own status moved (it came with the list): its steps moved too.
  const seenStatus = useRef(instance.status);
  useEffect(() => {
    if (seenStatus.current !== instance.status) {
      seenStatus.current = instance.status;
      refreshEvents();
      refreshBackups();
    }
  }, [instance.status, refreshEvents, refreshBackups]);

  const backupsInFlight = Boolean(
    backups.value?.items.some(b => ['pending', 'running'].includes(b.status)),
  );
  const { onBackupsInFlight } = props;
  useEffect(() => {
    onBackupsInFlight(backupsInFlight);
  }, [backupsInFlight, onBackupsInFlight]);

  const timeline = (
    <Section
      title={
        ['deleting', 'deleted'].includes(instance.status)
          ? 'Steps'
          : 'Provisioning steps'
      }
    >
      {events.error && (
        <ErrorText>
          Could not read the steps: {errorMessage(events.error)}
        </ErrorText>
      )}
      {!events.value && !events.error && <Progress />}
      {events.value && (
        <DatabaseTimeline
          events={events.value}
          inFlight={inFlight}
          label={`Steps of ${instance.name}`}
        />
      )}
    </Section>
  );

  const backupsSection = (
    <Section title="Backups">
      {backups.error && (
        <ErrorText>
          Could not read the backups: {errorMessage(backups.error)}
        </ErrorText>
      )}
      {!backups.value && !backups.error && <Progress />}
      {backups.value && (
        <DatabaseBackups
          instance={instance}
          backups={backups.value}
          permissions={permissions}
          refresh={refreshBackups}
          onRestored={result => {
            props.refreshInstances();
            props.onRestored(result);
          }}
        />
      )}
    </Section>
  );

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 24 }}>
      <Paper
        variant="outlined"
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'flex-start',
          flexWrap: 'wrap',
          gap: 8,
          padding: 16,
        }}
      >
        <Box minWidth={0}>
          <Box
            display="flex"
            alignItems="center"
            flexWrap="wrap"
            style={{ gap: 12 }}
          >
            <Typography variant="h5" component="h2">
              {instance.name}
            </Typography>
            <ToneStatus tone={status.tone}>{status.word}</ToneStatus>
          </Box>
          <Typography variant="body2" color="textSecondary" component="p">
            {engineTitle(instance.engine)} {instance.version} · single instance
            · {instance.storageGi} GiB · namespace {instance.namespace} ·
            created <Timestamp at={instance.createdAt} /> by{' '}
            {instance.createdBy.replace(/^user:(default\/)?/, '')}
          </Typography>
          {instance.status === 'failed' && instance.statusMessage && (
            <ErrorText alert={false}>{instance.statusMessage}</ErrorText>
          )}
        </Box>
        {!['deleting', 'deleted'].includes(instance.status) && (
          <PermissionedButton
            permission={permissions.delete}
            variant="outlined"
            onClick={() => setDeleting(true)}
          >
            Delete database
          </PermissionedButton>
        )}
      </Paper>
      {!ready && timeline}
      {ready && instance.connection && (
        <Section title="Connection">
          <DatabaseConnection
            instanceId={instance.id}
            profile={instance.connection}
            permission={permissions.credentials}
          />
        </Section>
      )}
      {(ready || Boolean(backups.value?.items.length)) && backupsSection}
      {ready && backups.value && (
        <Section title="Backup settings">
          <DatabaseBackupSettings
            instanceId={instance.id}
            schedule={backups.value.schedule}
            permission={permissions.backup}
            onSaved={refreshBackups}
          />
        </Section>
      )}
      {ready && timeline}
      <ReleaseAnnouncements text={announcement} />
      <DeleteDatabaseDialog
        open={deleting}
        instanceName={instance.name}
        remove={async request => {
          await api.deleteDatabase(instance.id, request);
          props.refreshInstances();
        }}
        onClose={() => setDeleting(false)}
      />
    </Box>
  );
}
