import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

/** The search parameter that names the release shown in the drawer: links keep it open. */
export const RELEASE_SEARCH_PARAM = 'release';

/**
 * The release open in the drawer, kept in the page's address so a link (or the back button)
 * opens it again; `setOpenRelease()` closes it.
 */
export function useOpenRelease(): {
  openReleaseId: string | undefined;
  setOpenRelease: (id?: string) => void;
} {
  const [searchParams, setSearchParams] = useSearchParams();
  const setOpenRelease = useCallback(
    (id?: string) =>
      setSearchParams(
        previous => {
          const next = new URLSearchParams(previous);
          if (id) next.set(RELEASE_SEARCH_PARAM, id);
          else next.delete(RELEASE_SEARCH_PARAM);
          return next;
        },
        { replace: false },
      ),
    [setSearchParams],
  );
  return {
    openReleaseId: searchParams.get(RELEASE_SEARCH_PARAM) ?? undefined,
    setOpenRelease,
  };
}
