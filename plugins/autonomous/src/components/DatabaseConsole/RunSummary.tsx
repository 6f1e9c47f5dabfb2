import Typography from '@material-ui/core/Typography';
import { ConsoleRunState } from '../../hooks/useConsoleRun';
import { ErrorText } from '../ErrorText';
import { durationWords, rowsWords } from './consoleWords';

/** What the run did, in one sentence: rows, time, truncation; empty while idle. */
export function runSummaryWords(result: ConsoleRunState): string {
  switch (result.status) {
    case 'idle':
      return '';
    case 'running':
      return 'Running…';
    case 'cancelling':
      return 'Cancelling on the server…';
    case 'cancelled':
      return `Cancelled after ${rowsWords(result.rowCount)}.`;
    case 'failed':
      return `The statement failed: ${result.error ?? 'no reason given'}`;
    case 'succeeded': {
      const parts = [
        `${rowsWords(result.rowCount)} in ${durationWords(result.durationMs)}`,
      ];
      if (result.truncated) {
        parts.push(
          `truncated at ${rowsWords(
            result.rowCount,
          )}: raise the row limit to see more`,
        );
      }
      return `${parts.join(' · ')}.`;
    }
    default:
      return '';
  }
}

/** The line above the grid: progress while rows stream, then the outcome. */
export function RunSummary(props: { result: ConsoleRunState }) {
  const { result } = props;
  if (result.status === 'failed') {
    return (
      <ErrorText alert={false}>
        {result.rowCount > 0
          ? `Failed after ${rowsWords(result.rowCount)}: `
          : 'The statement failed: '}
        {result.error}
      </ErrorText>
    );
  }
  const text =
    result.status === 'running' && result.rowCount > 0
      ? `Running… ${rowsWords(result.rowCount)} so far`
      : runSummaryWords(result);
  return (
    <>
      <Typography variant="body2">{text}</Typography>
      {result.status === 'cancelled' && result.error && (
        <Typography variant="body2" color="textSecondary">
          {result.error}
        </Typography>
      )}
    </>
  );
}
