import { FormEvent, ReactNode, useState } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ProjectSettingsChange } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { errorMessage } from '../../errorMessage';
import { ActionPermission } from '../../hooks';
import { ErrorText } from '../ErrorText';
import { PermissionedButton } from '../PermissionedButton';

export interface SettingsFormProps {
  /** The form's accessible name, e.g. "Domains of production". */
  label: string;
  permission: ActionPermission;
  /** What is wrong with the input, checked before anything is sent. */
  problem(): string | undefined;
  submit(): Promise<ProjectSettingsChange>;
  onSaved(change: ProjectSettingsChange): void;
  submitLabel?: string;
  children: ReactNode;
}

/**
 * A settings form: checks its input first, then sends it, and says what the backend answered,
 * its refusal included, next to the button that sent it.
 */
export function SettingsForm(props: SettingsFormProps) {
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<{ ok: boolean; text: string }>();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!props.permission.allowed) return;
    const problem = props.problem();
    if (problem) {
      setFeedback({ ok: false, text: problem });
      return;
    }
    setBusy(true);
    setFeedback(undefined);
    try {
      const change = await props.submit();
      setFeedback({ ok: true, text: change.message });
      props.onSaved(change);
    } catch (error) {
      setFeedback({ ok: false, text: errorMessage(error as Error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form aria-label={props.label} onSubmit={onSubmit} noValidate>
      {props.children}
      <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
        <PermissionedButton
          type="submit"
          size="small"
          variant="outlined"
          color="primary"
          permission={props.permission}
          disabled={busy}
        >
          {busy ? 'Saving…' : props.submitLabel ?? 'Save'}
        </PermissionedButton>
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
    </form>
  );
}
