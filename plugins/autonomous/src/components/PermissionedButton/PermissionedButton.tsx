import Button, { ButtonProps } from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import { ActionPermission } from '../../hooks';

export interface PermissionedButtonProps extends ButtonProps {
  permission: ActionPermission;
}

/**
 * A button the permission framework may forbid. A forbidden button stays visible but
 * disabled, and its tooltip says which permission is missing: a user should know the action
 * exists and whom to ask, not wonder where it went.
 */
export function PermissionedButton(props: PermissionedButtonProps) {
  const { permission, disabled, ...buttonProps } = props;
  const button = (
    <Button {...buttonProps} disabled={disabled || !permission.allowed} />
  );
  if (permission.allowed) {
    return button;
  }
  return (
    <Tooltip title={permission.deniedReason ?? ''}>
      {/* A disabled button fires no mouse events; the span carries the tooltip. */}
      <span>{button}</span>
    </Tooltip>
  );
}
