import { useEffect } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { autonomousSettingsPermission } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { ActionPermission, useLiveAsync } from '../../hooks';
import { ownerName } from '../../hooks/useReleasePermissions';

/** How often the page reads the settings again while a certificate is being issued. */
const PENDING_POLL_MS = 5_000;

/** The project's settings, read again every few seconds while a certificate is pending. */
export function useProjectSettings(entityRef: string) {
  const api = useApi(autonomousApiRef);
  const state = useLiveAsync(
    () => api.getProjectSettings(entityRef),
    [api, entityRef],
  );
  const pending = Boolean(
    state.value?.environments.some(e =>
      e.domains.some(d => d.tls === 'pending' || !d.inIngress),
    ),
  );
  const { refresh } = state;
  useEffect(() => {
    if (!pending) return undefined;
    const timer = setInterval(refresh, PENDING_POLL_MS);
    return () => clearInterval(timer);
  }, [pending, refresh]);
  return state;
}

/** Whether the user may change the project's settings, and why not. */
export function useSettingsPermission(
  entityRef: string,
  owner?: string,
  ownerTitle?: string,
): ActionPermission {
  const result = usePermission({
    permission: autonomousSettingsPermission,
    resourceRef: entityRef,
  });
  if (result.allowed) return { allowed: true, loading: false };
  if (result.loading) {
    return {
      allowed: false,
      loading: true,
      deniedReason: 'Checking whether you may change settings…',
    };
  }
  const owners = ownerTitle ?? ownerName(owner);
  return {
    allowed: false,
    loading: false,
    deniedReason: owners
      ? `Changing settings needs membership of ${owners}, who own this project. Ask them or a portal admin for access.`
      : "Changing settings needs a permission you do not have. Ask the project's owners or a portal admin for access.",
  };
}
