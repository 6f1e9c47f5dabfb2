import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ConsoleColumn } from '../../api';

const ROW_HEIGHT = 32;
const VISIBLE_HEIGHT = 420;

const useStyles = makeStyles(theme => ({
  table: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    fontFamily: 'monospace',
    fontSize: '0.8125rem',
  },
  row: {
    display: 'grid',
    alignItems: 'center',
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  header: {
    background: theme.palette.background.default,
    fontWeight: 600,
  },
  cell: {
    minWidth: 0,
    padding: theme.spacing(0.5, 1),
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
  },
  headerCell: {
    minWidth: 0,
    padding: theme.spacing(0.5, 1),
    overflowWrap: 'break-word',
  },
  type: {
    display: 'block',
    fontWeight: 400,
    color: theme.palette.text.secondary,
  },
  body: {
    overflowY: 'auto',
    overflowX: 'hidden',
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
    },
  },
  empty: {
    color: theme.palette.text.secondary,
    fontStyle: 'italic',
  },
}));

/** A value as the grid writes it: NULL for null, JSON for documents and arrays. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) {
    return 'NULL';
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}

export interface ResultGridProps {
  label: string;
  columns: ConsoleColumn[];
  rows: unknown[][];
  /** How many of `rows` to show (the array grows in place while a result streams). */
  rowCount: number;
}

/**
 * A statement's result, one row per line, with only the rows in view in the page: ten
 * thousand rows scroll as smoothly as ten. Columns share the width; a value too long for
 * its cell ends in "…" and reads whole on hover and to screen readers.
 */
export function ResultGrid(props: ResultGridProps) {
  const { columns, rows, rowCount } = props;
  const classes = useStyles();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const template = `repeat(${Math.max(columns.length, 1)}, minmax(0, 1fr))`;
  const height = Math.min(VISIBLE_HEIGHT, rowCount * ROW_HEIGHT + 2);

  return (
    <div
      role="table"
      aria-label={props.label}
      aria-rowcount={rowCount + 1}
      aria-colcount={columns.length}
      className={classes.table}
    >
      <div role="rowgroup">
        <div
          role="row"
          aria-rowindex={1}
          className={`${classes.row} ${classes.header}`}
          style={{ gridTemplateColumns: template }}
        >
          {columns.map((column, index) => (
            <div role="columnheader" key={index} className={classes.headerCell}>
              {column.name}
              <span className={classes.type}>{column.type}</span>
            </div>
          ))}
        </div>
      </div>
      {rowCount === 0 ? (
        <Box p={1}>
          <Typography variant="body2" className={classes.empty}>
            No rows.
          </Typography>
        </Box>
      ) : (
        <div
          role="rowgroup"
          ref={scroller}
          // The rows hold nothing focusable: without a Tab stop here, keyboard users could
          // not scroll to the rows below the fold (axe: scrollable-region-focusable).
          // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
          tabIndex={0}
          className={classes.body}
          style={{ height }}
        >
          <div
            style={{
              height: virtualizer.getTotalSize(),
              position: 'relative',
            }}
          >
            {virtualizer.getVirtualItems().map(item => {
              const values = rows[item.index] ?? [];
              return (
                <div
                  role="row"
                  key={item.key}
                  aria-rowindex={item.index + 2}
                  className={classes.row}
                  style={{
                    gridTemplateColumns: template,
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    width: '100%',
                    height: ROW_HEIGHT,
                    transform: `translateY(${item.start}px)`,
                  }}
                >
                  {columns.map((_column, index) => {
                    const text = cellText(values[index]);
                    return (
                      <div
                        role="cell"
                        key={index}
                        className={classes.cell}
                        title={text}
                      >
                        {text}
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
