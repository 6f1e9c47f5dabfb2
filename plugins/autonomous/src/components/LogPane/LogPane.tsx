import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';

/** Lines shown at most; the download has every line. */
export const MAX_SHOWN_LOG_LINES = 5_000;

// Colour and cursor codes that build tools write for terminals.
// eslint-disable-next-line no-control-regex
const TERMINAL_CODES = /\u001b\[[0-9;?]*[A-Za-z]/g;

export interface LogPaneProps {
  /** The whole text so far. */
  text: string;
  /** What the log is, e.g. "Build log": names the text and its filter. */
  label: string;
  /** Said instead of the text while there is none. */
  emptyText?: string;
}

/**
 * A log as plain text: one scrolling block reachable with Tab once (and scrolled with the
 * arrow keys), a named filter, and the newest line in view while the reader is at the end.
 * It replaces core-components' LogViewer, whose line numbers are links that each take a
 * Tab stop and whose rows lack the grid their role needs.
 */
export function LogPane({ text, label, emptyText }: LogPaneProps) {
  const theme = useTheme();
  const filterId = useId();
  const [filter, setFilter] = useState('');
  const scroller = useRef<HTMLPreElement>(null);
  const atEnd = useRef(true);

  const lines = useMemo(() => {
    const all = text.replace(TERMINAL_CODES, '').split('\n');
    if (all.length > 1 && all[all.length - 1] === '') {
      all.pop();
    }
    return all;
  }, [text]);
  const needle = filter.trim().toLowerCase();
  const matching = needle
    ? lines.filter(line => line.toLowerCase().includes(needle))
    : lines;
  const shown = matching.slice(-MAX_SHOWN_LOG_LINES);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && atEnd.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [shown.length, text]);

  const empty = !text;
  return (
    <Box>
      <Box
        display="flex"
        alignItems="baseline"
        flexWrap="wrap"
        style={{ gap: 16 }}
      >
        <TextField
          id={filterId}
          type="search"
          label={`Filter the ${label.toLowerCase()}`}
          value={filter}
          onChange={e => setFilter(e.target.value)}
          size="small"
          margin="dense"
          disabled={empty}
        />
        {needle && (
          <Typography variant="body2" role="status">
            {matching.length} of {lines.length} lines contain “{filter.trim()}”
          </Typography>
        )}
      </Box>
      <pre
        ref={scroller}
        role="region"
        aria-label={label}
        // A scrolling block must take focus, or a keyboard cannot scroll it.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
        onScroll={event => {
          const element = event.currentTarget;
          atEnd.current =
            element.scrollHeight - element.scrollTop - element.clientHeight <
            24;
        }}
        style={{
          height: 360,
          overflow: 'auto',
          margin: 0,
          padding: theme.spacing(1),
          background: theme.palette.background.default,
          color: theme.palette.text.primary,
          border: `1px solid ${theme.palette.divider}`,
          whiteSpace: 'pre-wrap',
          overflowWrap: 'anywhere',
          fontSize: 13,
          lineHeight: 1.5,
        }}
      >
        {empty && emptyText}
        {matching.length > shown.length && (
          <span style={{ display: 'block', fontStyle: 'italic' }}>
            … {matching.length - shown.length} earlier lines are not shown here;
            download the log to read all of it.
          </span>
        )}
        {!empty &&
          shown.map((line, index) => (
            <span key={index} style={{ display: 'block' }}>
              {line || '\u00a0'}
            </span>
          ))}
      </pre>
    </Box>
  );
}
