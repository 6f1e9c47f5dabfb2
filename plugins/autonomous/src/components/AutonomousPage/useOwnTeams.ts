import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { useEffect, useMemo, useState } from 'react';

/** At most this many of the user's teams get a metrics card before an owner is chosen. */
export const MAX_OWN_TEAMS = 3;

function groupRef(owner: string): string | undefined {
  try {
    const ref = parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    return ref.kind.toLocaleLowerCase('en-US') === 'group'
      ? stringifyEntityRef(ref)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Of the owners listed (as the catalog's entities write them: `shop-team` or
 * `group:default/shop-team`), the groups the signed-in user belongs to, by the identity's
 * ownership references: the teams whose delivery the page shows before anyone is chosen.
 */
export function useOwnTeams(owners: string[]): string[] {
  const identityApi = useApi(identityApiRef);
  const [ownership, setOwnership] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    identityApi
      .getBackstageIdentity()
      .then(identity => {
        if (live) setOwnership(identity.ownershipEntityRefs);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [identityApi]);
  const key = owners.join('\n');
  return useMemo(() => {
    const mine = new Set(ownership.map(r => r.toLocaleLowerCase('en-US')));
    return key
      .split('\n')
      .filter(owner => {
        const ref = owner && groupRef(owner);
        return !!ref && mine.has(ref.toLocaleLowerCase('en-US'));
      })
      .slice(0, MAX_OWN_TEAMS);
  }, [key, ownership]);
}
