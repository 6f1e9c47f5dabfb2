import { useEffect, useState } from 'react';
import { identityApiRef, useApiHolder } from '@backstage/core-plugin-api';

/** The user the signals backend gives every WebSocket that sent no token: it hears nothing. */
const TOKENLESS_SOCKET_USER = 'user:default/guest';

/** Whether the signed-in user is the one signals never reach, so the page must poll. */
export function useIsTokenlessUser(): boolean {
  const identityApi = useApiHolder().get(identityApiRef);
  const [isGuest, setGuest] = useState(false);
  useEffect(() => {
    let live = true;
    identityApi
      ?.getBackstageIdentity()
      .then(identity => {
        if (live) setGuest(identity.userEntityRef === TOKENLESS_SOCKET_USER);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [identityApi]);
  return isGuest;
}
