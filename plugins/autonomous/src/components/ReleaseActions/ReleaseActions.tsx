import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import {
  Release,
  releaseName,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { ConfirmActionDialog } from '../ConfirmActionDialog';
import { RedeployDialog } from '../DeployDialog';
import { PermissionedButton } from '../PermissionedButton';
import { useReleasePage } from '../ReleasePage';
import { focusKey } from '../../focusReturn';
import { releaseActionAvailability } from './releaseActionRules';

type OpenDialog = 'redeploy' | 'rollback' | 'cancel' | undefined;

function shortDigest(imageRef?: string): string {
  const digest = imageRef?.split('@')[1];
  return digest ? digest.slice(0, 19) : 'its image';
}

/** Redeploy, roll back to or cancel one release, as far as its state and permissions allow. */
export function ReleaseActions({ release }: { release: Release }) {
  const api = useApi(autonomousApiRef);
  const page = useReleasePage();
  const [open, setOpen] = useState<OpenDialog>();
  const available = releaseActionAvailability(release, page.running);
  const { permissions } = page;

  if (!available.redeploy && !available.rollback && !available.cancel) {
    return null;
  }
  const name = releaseName(release);
  const label = `${name} (${release.environment})`;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      {available.redeploy && (
        <PermissionedButton
          size="small"
          permission={permissions.deploy}
          aria-label={`Redeploy ${label}`}
          {...focusKey(`redeploy:${release.id}`)}
          onClick={() => setOpen('redeploy')}
        >
          Redeploy
        </PermissionedButton>
      )}
      {available.rollback && (
        <PermissionedButton
          size="small"
          permission={permissions.rollback}
          aria-label={`Roll back to ${label}`}
          {...focusKey(`rollback:${release.id}`)}
          onClick={() => setOpen('rollback')}
        >
          Roll back
        </PermissionedButton>
      )}
      {available.cancel && (
        <PermissionedButton
          size="small"
          color="secondary"
          permission={permissions.deploy}
          aria-label={`Cancel ${label}`}
          {...focusKey(`cancel:${release.id}`)}
          onClick={() => setOpen('cancel')}
        >
          Cancel
        </PermissionedButton>
      )}
      {available.redeploy && (
        <RedeployDialog
          open={open === 'redeploy'}
          release={release}
          environments={page.environments}
          onClose={() => setOpen(undefined)}
          onStarted={started => {
            setOpen(undefined);
            page.onReleaseStarted(started);
          }}
        />
      )}
      <ConfirmActionDialog
        open={open === 'rollback'}
        title={`Roll back ${release.environment} to ${name}?`}
        description={`${
          release.environment
        } goes back to the image ${name} ran (${shortDigest(
          release.imageRef,
        )}…), without a rebuild. A release in flight for ${
          release.environment
        } is cancelled.`}
        confirmLabel="Roll back"
        askReason
        onConfirm={async reason => {
          page.onReleaseStarted(
            await api.rollbackRelease(release.id, { reason }),
          );
        }}
        onClose={() => setOpen(undefined)}
      />
      <ConfirmActionDialog
        open={open === 'cancel'}
        title={`Cancel ${name}?`}
        description={`${name} stops where it is (${release.status}). What runs in ${release.environment} now keeps running.`}
        confirmLabel="Cancel release"
        askReason
        onConfirm={async reason => {
          await api.cancelRelease(release.id, { reason });
          page.refresh();
        }}
        onClose={() => setOpen(undefined)}
      />
    </Box>
  );
}
