import { MetricsFigure } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { InputError } from '@backstage/errors';

/**
 * The cursor of `GET /metrics/releases`: the figure and the sequence of the last release of the
 * previous page, as base64url JSON (the keyset idiom of the release history). A cursor of
 * another figure or route, or anything this API did not return, is a 400 naming what to send.
 */
export const metricsReleasesCursor = {
  encode: (figure: MetricsFigure, seq: number) =>
    Buffer.from(
      JSON.stringify({ v: 1, t: 'metrics', f: figure, s: seq }),
      'utf8',
    ).toString('base64url'),
  decode(cursor: string, figure: MetricsFigure): number {
    const invalid = () =>
      new InputError(
        `cursor "${cursor.slice(
          0,
          64,
        )}" is not one this route returned for figure=${figure}: pass the nextCursor of the previous page unchanged with the same query, or leave cursor out for the first page`,
      );
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalid();
    let parsed: { v?: unknown; t?: unknown; f?: unknown; s?: unknown } | null;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    const s = parsed?.s;
    if (
      parsed?.v !== 1 ||
      parsed.t !== 'metrics' ||
      parsed.f !== figure ||
      typeof s !== 'number' ||
      !Number.isSafeInteger(s) ||
      s < 1
    ) {
      throw invalid();
    }
    return s;
  },
};
