import { ConsoleColumn } from '../console/types';
import { RunSummary } from '../console/ConsoleService';

/** How one answer format writes a run: a head, each row, and the end (or a late error). */
export interface ResultWriter {
  contentType: string;
  /** An export is a download. */
  attachment?: string;
  head(columns: ConsoleColumn[], runId: string): string;
  row(values: unknown[], first: boolean): string;
  end(summary: RunSummary): string;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function resultWriter(
  format: 'ndjson' | 'csv' | 'json',
  fileName: string,
): ResultWriter {
  switch (format) {
    case 'csv':
      return {
        contentType: 'text/csv; charset=utf-8',
        attachment: `${fileName}.csv`,
        head: columns => `${columns.map(c => csvField(c.name)).join(',')}\r\n`,
        row: values => `${values.map(csvField).join(',')}\r\n`,
        end: () => '',
      };
    case 'json':
      return {
        contentType: 'application/json; charset=utf-8',
        attachment: `${fileName}.json`,
        head: columns => `{"columns":${JSON.stringify(columns)},"rows":[`,
        row: (values, first) =>
          `${first ? '' : ','}\n${JSON.stringify(values)}`,
        end: s =>
          `\n],"rowCount":${s.rowCount},"truncated":${
            s.truncated
          },"outcome":${JSON.stringify(s.outcome)}${
            s.message ? `,"message":${JSON.stringify(s.message)}` : ''
          }}\n`,
      };
    default:
      return {
        contentType: 'application/x-ndjson; charset=utf-8',
        head: (columns, runId) =>
          `${JSON.stringify({ type: 'columns', columns, runId })}\n`,
        row: values => `${JSON.stringify({ type: 'row', values })}\n`,
        end: s =>
          `${JSON.stringify(
            s.outcome === 'succeeded'
              ? {
                  type: 'end',
                  rowCount: s.rowCount,
                  truncated: s.truncated,
                  durationMs: s.durationMs,
                  statementId: s.statementId,
                }
              : {
                  type: 'error',
                  outcome: s.outcome,
                  message: s.message ?? s.outcome,
                  code: s.code,
                  rowCount: s.rowCount,
                  durationMs: s.durationMs,
                  statementId: s.statementId,
                },
          )}\n`,
      };
  }
}
