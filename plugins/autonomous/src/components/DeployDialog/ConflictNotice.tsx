import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { ReleaseConflictPolicy } from '@autonomous-dev/backstage-plugin-autonomous-common';

export interface ConflictNoticeProps {
  /** The backend's explanation, naming the release in flight. */
  message: string;
  /** "deploy" or "redeploy": what the supersede button says it will do. */
  verb: string;
  busy: boolean;
  onChoose(policy: ReleaseConflictPolicy): void;
}

/** The environment is busy: run after the release in flight, or cancel it and go now. */
export function ConflictNotice(props: ConflictNoticeProps) {
  return (
    <Box
      role="alert"
      mt={2}
      p={2}
      border={1}
      borderColor="warning.main"
      borderRadius={4}
    >
      <Typography variant="subtitle2" gutterBottom>
        Another release is in flight for this environment
      </Typography>
      <Typography variant="body2" paragraph>
        {props.message}
      </Typography>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        <Button
          variant="outlined"
          color="primary"
          disabled={props.busy}
          onClick={() => props.onChoose('queue')}
        >
          Queue after it
        </Button>
        <Button
          variant="outlined"
          color="secondary"
          disabled={props.busy}
          onClick={() => props.onChoose('supersede')}
        >
          Cancel it and {props.verb}
        </Button>
      </Box>
    </Box>
  );
}
