import { Table } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { releaseColumns } from './columns';
import { ReleasePager, ReleasePagerProps } from './ReleasePager';

export interface ReleasesTableProps extends ReleasePagerProps {
  releases: Release[];
  loading: boolean;
}

/**
 * Made once: the core Table builds its body component anew whenever `emptyContent` is a
 * different element, which re-creates every row, and a keyboard user's focus with it.
 */
const noReleasesOnPage = (
  <Box p={2}>
    <Typography variant="body2">No older releases on this page.</Typography>
  </Box>
);

/** One page of release history, newest first, ordered by the backend. */
export function ReleasesTable(props: ReleasesTableProps) {
  const { releases, loading, ...pager } = props;
  return (
    <>
      <Table<Release>
        title="Release history"
        columns={releaseColumns}
        data={releases}
        isLoading={loading}
        options={{
          paging: false,
          search: false,
          sorting: false,
          padding: 'dense',
          // Draggable headers are Tab stops that do nothing for a keyboard.
          draggable: false,
        }}
        emptyContent={noReleasesOnPage}
      />
      <ReleasePager {...pager} disabled={loading || pager.disabled} />
    </>
  );
}
