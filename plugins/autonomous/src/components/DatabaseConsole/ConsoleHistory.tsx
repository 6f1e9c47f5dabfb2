import { useEffect } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { autonomousApiRef, ConsoleHistoryItem } from '../../api';
import { errorMessage } from '../../errorMessage';
import { useLiveAsync } from '../../hooks';
import { ErrorText } from '../ErrorText';
import { Timestamp } from '../Timestamp';
import {
  durationWords,
  OUTCOME_WORDS,
  rowsWords,
  userName,
} from './consoleWords';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  statement: {
    fontFamily: 'monospace',
    textAlign: 'left',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    display: '-webkit-box',
    WebkitLineClamp: 3,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
  },
}));

function meta(item: ConsoleHistoryItem, showUser: boolean): string {
  const parts = [
    ...(showUser ? [userName(item.user)] : []),
    item.mode === 'write' ? 'write mode' : 'read-only',
    OUTCOME_WORDS[item.outcome],
  ];
  if (item.outcome === 'succeeded') {
    parts.push(
      rowsWords(item.rowCount) + (item.truncated ? ' (truncated)' : ''),
    );
  }
  if (item.durationMs !== undefined) {
    parts.push(durationWords(item.durationMs));
  }
  return parts.join(' · ');
}

export interface ConsoleHistoryProps {
  databaseId: string;
  /** The caller's own statements (history) or everyone's (the audit trail). */
  mine: boolean;
  /** Grows after each run: read again. */
  updates: number;
  label: string;
  /** Puts the statement into the editor. */
  onLoad(statement: string): void;
}

/** Recent statements, newest first; clicking one puts it into the editor. */
export function ConsoleHistory(props: ConsoleHistoryProps) {
  const { databaseId, mine, updates } = props;
  const classes = useStyles();
  const api = useApi(autonomousApiRef);
  const history = useLiveAsync(
    () => api.listConsoleHistory(databaseId, { mine, limit: 25 }),
    [api, databaseId, mine],
  );
  const { refresh } = history;
  useEffect(() => {
    if (updates > 0) {
      refresh();
    }
  }, [updates, refresh]);

  if (history.error) {
    return (
      <ErrorText alert={false}>
        Could not read the statements: {errorMessage(history.error)}
      </ErrorText>
    );
  }
  if (!history.value) {
    return <Progress />;
  }
  if (!history.value.items.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        {mine ? 'You have run no statement here yet.' : 'No statement yet.'}
      </Typography>
    );
  }
  return (
    <ul className={classes.list} aria-label={props.label}>
      {history.value.items.map(item => (
        <li key={item.id} className={classes.item}>
          <Link
            component="button"
            variant="body2"
            className={classes.statement}
            onClick={() => props.onLoad(item.statement)}
          >
            {item.statement}
          </Link>
          <Typography variant="caption" color="textSecondary" component="p">
            <Timestamp at={item.startedAt} /> · {meta(item, !mine)}
          </Typography>
          {item.message && !['succeeded', 'running'].includes(item.outcome) && (
            <Box>
              <ErrorText alert={false} variant="caption">
                {item.message}
              </ErrorText>
            </Box>
          )}
        </li>
      ))}
    </ul>
  );
}
