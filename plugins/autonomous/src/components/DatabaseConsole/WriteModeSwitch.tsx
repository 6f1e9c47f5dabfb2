import { useId } from 'react';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import Box from '@material-ui/core/Box';
import { ActionPermission } from '../../hooks';

export interface WriteModeSwitchProps {
  checked: boolean;
  onChange(checked: boolean): void;
  permission: ActionPermission;
  /** The owner user that write mode runs as, and the read-only one otherwise. */
  ownerUser?: string;
  readonlyUser?: string;
}

/**
 * Read-only or write mode, always visible. For a user who may not write it stays focusable,
 * marked `aria-disabled`, with the reason written under it and read as its description.
 */
export function WriteModeSwitch(props: WriteModeSwitchProps) {
  const { checked, permission } = props;
  const noteId = useId();
  const denied = !permission.allowed && !permission.loading;
  const asOwner = `Statements run as the owner user${
    props.ownerUser ? ` ${props.ownerUser}` : ''
  } and can change data; each one asks first.`;
  const asReader = `Statements run as the read-only user${
    props.readonlyUser ? ` ${props.readonlyUser}` : ''
  }, in a read-only transaction: the database refuses changes.`;
  let note = checked ? asOwner : asReader;
  if (denied) {
    note = permission.deniedReason ?? asReader;
  }
  return (
    <Box minWidth={0}>
      <FormControlLabel
        label="Write mode"
        control={
          <Switch
            checked={checked && permission.allowed}
            disabled={permission.loading}
            color="secondary"
            onChange={event => {
              if (permission.allowed) {
                props.onChange(event.target.checked);
              }
            }}
            inputProps={{
              'aria-describedby': noteId,
              ...(denied ? { 'aria-disabled': true } : {}),
            }}
          />
        }
      />
      <Typography
        id={noteId}
        variant="caption"
        color="textSecondary"
        component="p"
      >
        {note}
      </Typography>
    </Box>
  );
}
