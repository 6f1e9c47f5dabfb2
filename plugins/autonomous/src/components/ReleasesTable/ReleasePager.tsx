import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import ChevronLeft from '@material-ui/icons/ChevronLeft';
import ChevronRight from '@material-ui/icons/ChevronRight';

export interface ReleasePagerProps {
  pageNumber: number;
  hasPreviousPage: boolean;
  hasNextPage: boolean;
  disabled?: boolean;
  onPreviousPage: () => void;
  onNextPage: () => void;
}

/** Newer / older pages of history; there is no total, so only the page number is shown. */
export function ReleasePager(props: ReleasePagerProps) {
  return (
    <Box
      component="nav"
      aria-label="Release history pages"
      display="flex"
      alignItems="center"
      justifyContent="flex-end"
      mt={1}
      style={{ gap: 8 }}
    >
      <Button
        size="small"
        startIcon={<ChevronLeft />}
        disabled={props.disabled || !props.hasPreviousPage}
        onClick={props.onPreviousPage}
      >
        Previous page
      </Button>
      <Typography variant="body2" aria-live="polite">
        Page {props.pageNumber}
      </Typography>
      <Button
        size="small"
        endIcon={<ChevronRight />}
        disabled={props.disabled || !props.hasNextPage}
        onClick={props.onNextPage}
      >
        Next page
      </Button>
    </Box>
  );
}
