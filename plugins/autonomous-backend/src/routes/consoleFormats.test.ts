import { resultWriter } from './consoleFormats';

const columns = [
  { name: 'id', type: 'int4' },
  { name: 'note', type: 'text' },
];
const end = {
  statementId: 's1',
  outcome: 'succeeded' as const,
  rowCount: 2,
  truncated: true,
  durationMs: 5,
};

function write(
  format: 'ndjson' | 'csv' | 'json',
  summary: Parameters<ReturnType<typeof resultWriter>['end']>[0] = end,
) {
  const w = resultWriter(format, 'orders-s1');
  return [
    w.head(columns, 'r1'),
    w.row([1, 'a,"b"\nc'], true),
    w.row([2, null], false),
    w.end(summary),
  ].join('');
}

describe('resultWriter', () => {
  it('writes CSV with quoting as RFC 4180 asks, as an attachment', () => {
    expect(resultWriter('csv', 'orders-s1').attachment).toBe('orders-s1.csv');
    expect(write('csv')).toBe('id,note\r\n1,"a,""b""\nc"\r\n2,\r\n');
  });

  it('writes JSON that parses whole, with the truncation', () => {
    expect(JSON.parse(write('json'))).toEqual({
      columns,
      rows: [
        [1, 'a,"b"\nc'],
        [2, null],
      ],
      rowCount: 2,
      truncated: true,
      outcome: 'succeeded',
    });
  });

  it('writes NDJSON: columns, rows, then end or error', () => {
    const lines = write('ndjson')
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(lines.map(l => l.type)).toEqual(['columns', 'row', 'row', 'end']);
    expect(lines[3]).toEqual({
      type: 'end',
      rowCount: 2,
      truncated: true,
      durationMs: 5,
      statementId: 's1',
    });
    const failed = write('ndjson', {
      ...end,
      outcome: 'timed-out',
      message: 'canceling statement due to statement timeout',
    });
    expect(JSON.parse(failed.trim().split('\n').pop()!)).toMatchObject({
      type: 'error',
      outcome: 'timed-out',
      message: 'canceling statement due to statement timeout',
    });
  });
});
