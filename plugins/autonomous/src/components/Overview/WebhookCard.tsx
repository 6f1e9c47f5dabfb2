import { useEffect, useState } from 'react';
import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  RotatedWebhookSecret,
  WebhookDeliveryRecord,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { errorMessage } from '../../errorMessage';
import { ActionPermission, useLiveAsync } from '../../hooks';
import { ConfirmActionDialog } from '../ConfirmActionDialog';
import { ErrorText } from '../ErrorText';
import { PermissionedButton } from '../PermissionedButton';

const columns: TableColumn<WebhookDeliveryRecord>[] = [
  { title: 'Received', field: 'receivedAt' },
  { title: 'Event', field: 'event' },
  {
    title: 'Commit',
    render: d =>
      d.commitSha
        ? `${d.commitSha.slice(0, 7)} ${d.commitSubject ?? ''}`.trim()
        : '—',
  },
  { title: 'Outcome', field: 'outcome' },
  { title: 'Why', render: d => d.detail ?? '' },
];

/** The webhook URL to paste, rotating its secret, and the recent deliveries. */
export function WebhookCard(props: {
  entityRef: string;
  permission: ActionPermission;
  /**
   * Counts the page's live updates (a signal, or a poll while a release is in flight): each
   * one reads the recent deliveries again, so a push shows up without a reload.
   */
  updates?: number;
}) {
  const { entityRef, permission, updates } = props;
  const api = useApi(autonomousApiRef);
  const webhook = useLiveAsync(
    () => api.getProjectWebhook(entityRef),
    [api, entityRef],
  );
  const deliveries = useLiveAsync(
    () => api.listWebhookDeliveries(entityRef, { limit: 10 }),
    [api, entityRef],
  );
  const { refresh: refreshDeliveries } = deliveries;
  useEffect(() => {
    if (updates) refreshDeliveries();
  }, [updates, refreshDeliveries]);
  const [confirm, setConfirm] = useState(false);
  const [rotated, setRotated] = useState<RotatedWebhookSecret>();

  if (webhook.error) {
    return (
      <InfoCard title="Git webhook">
        <ErrorText alert={false}>{errorMessage(webhook.error)}</ErrorText>
      </InfoCard>
    );
  }
  const value = webhook.value;
  return (
    <InfoCard title="Git webhook">
      {value && (
        <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
          <Typography variant="body2">
            Add a webhook to {value.repository} on{' '}
            {value.provider === 'github' ? 'GitHub' : 'GitLab'} with this URL,
            content type {value.contentType}, for {value.events.join(', ')}{' '}
            events:
          </Typography>
          <Typography variant="body2" component="div">
            <code data-webhook-url="">{value.url}</code>
          </Typography>
          <Typography variant="body2">
            {value.secretConfigured
              ? `Its secret is in Vault (${value.vaultPath})${
                  value.secretUpdatedAt
                    ? `, written ${value.secretUpdatedAt}`
                    : ''
                }.`
              : `Vault holds no secret for it yet (${value.vaultPath}): rotate to create one.`}
          </Typography>
          <Box>
            <PermissionedButton
              size="small"
              variant="outlined"
              permission={permission}
              onClick={() => setConfirm(true)}
            >
              Rotate secret
            </PermissionedButton>
          </Box>
          {rotated && (
            <Box role="status">
              <Typography variant="body2">{rotated.message}</Typography>
              <Typography variant="body2" component="div">
                <code>{rotated.secret}</code>
              </Typography>
            </Box>
          )}
        </Box>
      )}
      <Box mt={2}>
        {deliveries.error ? (
          <ErrorText alert={false}>
            {`Could not read the deliveries: ${errorMessage(deliveries.error)}`}
          </ErrorText>
        ) : (
          <Table<WebhookDeliveryRecord>
            title="Recent deliveries"
            columns={columns}
            data={deliveries.value?.items ?? []}
            isLoading={deliveries.loading}
            options={{
              paging: false,
              search: false,
              sorting: false,
              padding: 'dense',
              toolbar: true,
            }}
            emptyContent={
              <Box p={2}>
                <Typography variant="body2">
                  No delivery yet: pushes to the repository show here with how
                  each ended.
                </Typography>
              </Box>
            }
          />
        )}
      </Box>
      <ConfirmActionDialog
        open={confirm}
        title="Rotate the webhook secret?"
        description="A new secret is written to Vault and shown once. Deliveries signed with the current one are refused from then on, so paste the new one into the repository's webhook at once."
        confirmLabel="Rotate"
        onConfirm={async () => {
          setRotated(await api.rotateWebhookSecret(entityRef));
          webhook.refresh();
        }}
        onClose={() => setConfirm(false)}
      />
    </InfoCard>
  );
}
