import { ConsoleOutcome } from '../../api';

/** "42 ms", "1.3 s", "2 min 5 s". */
export function durationWords(ms: number | undefined): string {
  if (ms === undefined) {
    return '';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  if (ms < 60_000) {
    return `${(ms / 1000).toFixed(1)} s`;
  }
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** "1 row", "1,000 rows". */
export function rowsWords(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'row' : 'rows'}`;
}

export const OUTCOME_WORDS: Record<ConsoleOutcome, string> = {
  running: 'still running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  'timed-out': 'timed out',
};

/** `user:default/jane` → `jane`. */
export function userName(ref: string): string {
  return ref.replace(/^user:(default\/)?/, '');
}
