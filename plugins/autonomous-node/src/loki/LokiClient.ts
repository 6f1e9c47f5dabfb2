import { LokiInstanceConfig } from '../config';
import {
  UpstreamClientOptions,
  cachedRead,
  httpOptions,
} from '../clientOptions';
import { UpstreamHttp } from '../http';
import { readCacheKey } from '../cache/ReadCache';

/** One log line. @public */
export interface LokiLogEntry {
  /** Nanoseconds since the epoch, as Loki sends it (too big for a number). */
  timestampNs: string;
  line: string;
  labels: Record<string, string>;
}

/** @public */
export interface LokiQueryRangeOptions {
  start?: Date;
  end?: Date;
  /** Default 1000. */
  limit?: number;
  /** Default `backward`: newest first. */
  direction?: 'forward' | 'backward';
}

/** `{app="shop",namespace="prod"}`, with values escaped. @public */
export function lokiLabelSelector(labels: Record<string, string>): string {
  const matchers = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
  );
  return `{${matchers.join(',')}}`;
}

const toNs = (d: Date) => `${BigInt(d.getTime()) * 1_000_000n}`;

/**
 * Loki `query_range` for the log lines of a label selector.
 *
 * @public
 */
export class LokiClient {
  private readonly http: UpstreamHttp;

  constructor(
    private readonly instance: LokiInstanceConfig,
    private readonly options: UpstreamClientOptions = {},
  ) {
    this.http = new UpstreamHttp({
      system: 'loki',
      baseUrl: instance.url,
      secrets: [instance.token],
      authHeaders: (): Record<string, string> => ({
        ...(instance.token
          ? { Authorization: `Bearer ${instance.token}` }
          : {}),
        ...(instance.orgId ? { 'X-Scope-OrgID': instance.orgId } : {}),
      }),
      ...httpOptions(options),
    });
  }

  get instanceName(): string {
    return this.instance.name;
  }

  /**
   * Log lines of a LogQL query (a label selector, optionally with filters), newest first
   * unless asked otherwise, merged across streams.
   */
  async queryRange(
    query: string | Record<string, string>,
    options: LokiQueryRangeOptions = {},
  ): Promise<LokiLogEntry[]> {
    const logql = typeof query === 'string' ? query : lokiLabelSelector(query);
    const direction = options.direction ?? 'backward';
    const params = {
      query: logql,
      start: options.start ? toNs(options.start) : undefined,
      end: options.end ? toNs(options.end) : undefined,
      limit: options.limit ?? 1000,
      direction,
    };
    return cachedRead(
      this.options.cache,
      readCacheKey(
        'loki',
        this.instance.name,
        `query/${logql}`,
        JSON.stringify(params),
      ),
      async () => {
        const res = await this.http.request({
          method: 'GET',
          path: '/loki/api/v1/query_range',
          query: params,
          operation: `log query ${logql}`,
        });
        const body = res.json<{
          data?: {
            result?: Array<{
              stream: Record<string, string>;
              values: Array<[string, string]>;
            }>;
          };
        }>();
        const entries = (body?.data?.result ?? []).flatMap(s =>
          s.values.map(([timestampNs, line]) => ({
            timestampNs,
            line,
            labels: s.stream,
          })),
        );
        const sign = direction === 'backward' ? -1 : 1;
        return entries.sort((a, b) => {
          const d = BigInt(a.timestampNs) - BigInt(b.timestampNs);
          return d === 0n ? 0 : sign * (d > 0n ? 1 : -1);
        });
      },
    );
  }
}
