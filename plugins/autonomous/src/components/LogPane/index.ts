export { LogPane, MAX_SHOWN_LOG_LINES } from './LogPane';
export type { LogPaneProps } from './LogPane';
export { LOGS_HIDDEN_REASON, useLogsReadable } from './useLogsReadable';
