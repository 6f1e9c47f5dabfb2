import {
  ConnectionProfile,
  DatabaseUser,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ActionPermission } from '../../hooks';
import { CopyButton } from '../DatabaseCommon';
import { PermissionedButton } from '../PermissionedButton';
import { CredentialsDialog } from './CredentialsDialog';

export interface DatabaseConnectionProps {
  instanceId: string;
  profile: ConnectionProfile;
  permission: ActionPermission;
}

function Row(props: { label: string; value?: string; copy?: boolean }) {
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" py={0.5}>
      <Box component="dt" width={160} flexShrink={0}>
        <Typography variant="body2" color="textSecondary" component="span">
          {props.label}
        </Typography>
      </Box>
      <Box
        component="dd"
        m={0}
        display="flex"
        alignItems="center"
        minWidth={0}
        style={{ gap: 4 }}
      >
        <Typography
          variant="body2"
          component="code"
          style={{ overflowWrap: 'anywhere' }}
        >
          {props.value ?? '—'}
        </Typography>
        {props.copy && props.value && (
          <CopyButton what={props.label.toLowerCase()} value={props.value} />
        )}
      </Box>
    </Box>
  );
}

const USERS: Array<{ user: DatabaseUser; title: string }> = [
  { user: 'owner', title: 'Owner' },
  { user: 'readonly', title: 'Read-only' },
];

/**
 * How to reach the ready database: host, port, database and users, each with a copy button,
 * and each user's password behind "Reveal", read from Vault only when asked.
 */
export function DatabaseConnection(props: DatabaseConnectionProps) {
  const { profile, permission } = props;
  const [revealing, setRevealing] = useState<DatabaseUser>();
  const usernames: Record<DatabaseUser, string | undefined> = {
    owner: profile.username,
    readonly: profile.readonlyUsername,
  };
  return (
    <>
      <Box component="dl" m={0}>
        <Row label="Host" value={profile.host} copy />
        <Row label="Port" value={String(profile.port)} copy />
        <Row label="Database" value={profile.database} copy />
      </Box>
      <Typography variant="subtitle2" component="h4" style={{ marginTop: 16 }}>
        Users
      </Typography>
      <Box component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
        {USERS.map(({ user, title }) => (
          <Box
            component="li"
            key={user}
            display="flex"
            alignItems="center"
            flexWrap="wrap"
            py={0.5}
            style={{ gap: 8 }}
          >
            <Box width={160} flexShrink={0}>
              <Typography variant="body2" color="textSecondary">
                {title}
              </Typography>
            </Box>
            <Typography variant="body2" component="code">
              {usernames[user] ?? '—'}
            </Typography>
            {usernames[user] && (
              <CopyButton
                what={`${title.toLowerCase()} user name`}
                value={usernames[user]!}
              />
            )}
            <PermissionedButton
              permission={permission}
              size="small"
              variant="outlined"
              aria-label={`Reveal password of the ${title.toLowerCase()} user`}
              onClick={() => setRevealing(user)}
            >
              Reveal password
            </PermissionedButton>
          </Box>
        ))}
      </Box>
      <CredentialsDialog
        instanceId={props.instanceId}
        user={revealing}
        title={USERS.find(u => u.user === revealing)?.title ?? ''}
        onClose={() => setRevealing(undefined)}
      />
    </>
  );
}
