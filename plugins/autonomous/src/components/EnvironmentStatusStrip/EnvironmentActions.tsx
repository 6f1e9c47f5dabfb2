import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ActionAccepted } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { errorMessage } from '../../errorMessage';
import { ConfirmActionDialog } from '../ConfirmActionDialog';
import { PermissionedButton } from '../PermissionedButton';
import { useReleasePage } from '../ReleasePage';
import { ErrorText } from '../ErrorText';
import { focusKey } from '../../focusReturn';

export interface EnvironmentActionsProps {
  environment: string;
  /** Whether ArgoCD syncs the environment by itself; unknown while the status is unread. */
  automatedSync?: boolean;
}

type Feedback = { ok: boolean; text: string };

/** Deploy to, sync, hard-refresh, suspend or resume one environment. */
export function EnvironmentActions(props: EnvironmentActionsProps) {
  const { environment, automatedSync } = props;
  const api = useApi(autonomousApiRef);
  const page = useReleasePage();
  const { permissions, entityRef } = page;
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<Feedback>();
  const [confirmSuspend, setConfirmSuspend] = useState(false);

  const run = async (action: () => Promise<ActionAccepted>) => {
    setBusy(true);
    setFeedback(undefined);
    try {
      const answer = await action();
      setFeedback({ ok: true, text: answer.message });
      page.refresh();
    } catch (error) {
      setFeedback({ ok: false, text: errorMessage(error as Error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} mt={1}>
        <PermissionedButton
          size="small"
          variant="contained"
          color="primary"
          permission={permissions.deploy}
          aria-label={`Deploy to ${environment}`}
          {...focusKey(`deploy:${environment}`)}
          onClick={() => page.openDeploy(environment)}
        >
          Deploy
        </PermissionedButton>
        <PermissionedButton
          size="small"
          variant="outlined"
          permission={permissions.sync}
          disabled={busy}
          aria-label={`Sync now (${environment})`}
          onClick={() => run(() => api.syncEnvironment(entityRef, environment))}
        >
          Sync now
        </PermissionedButton>
        <PermissionedButton
          size="small"
          variant="outlined"
          permission={permissions.sync}
          disabled={busy}
          aria-label={`Hard refresh (${environment})`}
          onClick={() =>
            run(() => api.refreshEnvironment(entityRef, environment))
          }
        >
          Hard refresh
        </PermissionedButton>
        {automatedSync !== undefined && (
          <PermissionedButton
            size="small"
            variant="outlined"
            permission={permissions.sync}
            disabled={busy}
            aria-label={`${
              automatedSync ? 'Suspend' : 'Resume'
            } automated sync of ${environment}`}
            onClick={() =>
              automatedSync
                ? setConfirmSuspend(true)
                : run(() => api.setAutomatedSync(entityRef, environment, true))
            }
          >
            {automatedSync ? 'Suspend automated sync' : 'Resume automated sync'}
          </PermissionedButton>
        )}
      </Box>
      {feedback?.ok && (
        <Typography
          role="status"
          variant="body2"
          color="textSecondary"
          style={{ marginTop: 8 }}
        >
          {feedback.text}
        </Typography>
      )}
      {feedback && !feedback.ok && (
        <ErrorText style={{ marginTop: 8 }}>{feedback.text}</ErrorText>
      )}
      <ConfirmActionDialog
        open={confirmSuspend}
        title={`Suspend automated sync of ${environment}?`}
        description={`ArgoCD stops applying changes from Git to ${environment} and stops undoing changes made by hand in the cluster, until automated sync is resumed. Releases still sync when they deploy.`}
        confirmLabel="Suspend"
        onConfirm={async () => {
          const answer = await api.setAutomatedSync(
            entityRef,
            environment,
            false,
          );
          setFeedback({ ok: true, text: answer.message });
          page.refresh();
        }}
        onClose={() => setConfirmSuspend(false)}
      />
    </>
  );
}
