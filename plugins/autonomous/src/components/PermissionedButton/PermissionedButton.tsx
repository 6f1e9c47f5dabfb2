import { MouseEvent, useId } from 'react';
import Button, { ButtonProps } from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import LockOutlined from '@material-ui/icons/LockOutlined';
import { ActionPermission } from '../../hooks';

export interface PermissionedButtonProps extends ButtonProps {
  permission: ActionPermission;
}

/**
 * A button the permission framework may forbid. A forbidden button stays visible and
 * focusable, marked `aria-disabled`, with a lock, and its reason in words is both its
 * description for screen readers and a tooltip on hover and keyboard focus: a user should
 * know the action exists and whom to ask, whatever way they use the page. (A `disabled`
 * button can be neither focused nor hovered.)
 */
export function PermissionedButton(props: PermissionedButtonProps) {
  const { permission, ...buttonProps } = props;
  const reasonId = useId();
  if (permission.allowed) {
    return <Button {...buttonProps} />;
  }
  if (permission.loading) {
    // Not known yet: nothing to explain, and the answer is a moment away.
    return <Button {...buttonProps} disabled />;
  }
  const { onClick: _ignored, disabled: _alsoIgnored, ...rest } = buttonProps;
  return (
    <>
      <Tooltip title={permission.deniedReason ?? ''}>
        <Button
          {...rest}
          aria-disabled="true"
          aria-describedby={reasonId}
          startIcon={<LockOutlined fontSize="small" />}
          onClick={(event: MouseEvent) => event.preventDefault()}
        />
      </Tooltip>
      <span id={reasonId} hidden>
        {permission.deniedReason}
      </span>
    </>
  );
}
