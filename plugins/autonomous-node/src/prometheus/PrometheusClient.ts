import { PrometheusInstanceConfig } from '../config';
import {
  UpstreamClientOptions,
  cachedRead,
  httpOptions,
} from '../clientOptions';
import { UpstreamError } from '../errors';
import { UpstreamHttp } from '../http';
import { readCacheKey } from '../cache/ReadCache';

/** One series of an instant vector. @public */
export interface PrometheusSample {
  metric: Record<string, string>;
  /** Seconds since the epoch. */
  timestamp: number;
  value: number;
}

/** @public */
export interface PrometheusInstantResult {
  resultType: 'vector' | 'scalar' | 'string' | 'matrix';
  samples: PrometheusSample[];
}

/**
 * Prometheus instant queries (`/api/v1/query`), for health gates and runtime figures.
 *
 * @public
 */
export class PrometheusClient {
  private readonly http: UpstreamHttp;

  constructor(
    private readonly instance: PrometheusInstanceConfig,
    private readonly options: UpstreamClientOptions = {},
  ) {
    this.http = new UpstreamHttp({
      system: 'prometheus',
      baseUrl: instance.url,
      secrets: [instance.token],
      authHeaders: (): Record<string, string> =>
        instance.token ? { Authorization: `Bearer ${instance.token}` } : {},
      ...httpOptions(options),
    });
  }

  get instanceName(): string {
    return this.instance.name;
  }

  /** Evaluates a PromQL expression now, or at `time`. */
  async query(
    expression: string,
    options: { time?: Date } = {},
  ): Promise<PrometheusInstantResult> {
    const time = options.time ? options.time.getTime() / 1000 : undefined;
    return cachedRead(
      this.options.cache,
      readCacheKey(
        'prometheus',
        this.instance.name,
        `query/${expression}`,
        String(time ?? 'now'),
      ),
      async () => {
        const operation = `query ${JSON.stringify(expression)}`;
        const res = await this.http.request({
          method: 'GET',
          path: '/api/v1/query',
          query: { query: expression, time },
          operation,
        });
        const body = res.json<{
          status: string;
          error?: string;
          data?: {
            resultType: PrometheusInstantResult['resultType'];
            result: any;
          };
        }>();
        if (body?.status !== 'success' || !body.data) {
          throw new UpstreamError({
            system: 'prometheus',
            operation,
            reason: body?.error ?? 'the answer has no data',
            retryable: false,
          });
        }
        return toResult(body.data.resultType, body.data.result);
      },
    );
  }

  /** The value of a query that yields one number (a scalar or a one-series vector). */
  async queryNumber(
    expression: string,
    options: { time?: Date } = {},
  ): Promise<number | undefined> {
    const result = await this.query(expression, options);
    return result.samples[0]?.value;
  }
}

function toResult(
  resultType: PrometheusInstantResult['resultType'],
  result: any,
): PrometheusInstantResult {
  if (resultType === 'scalar' || resultType === 'string') {
    const [timestamp, value] = result as [number, string];
    return {
      resultType,
      samples: [{ metric: {}, timestamp, value: Number(value) }],
    };
  }
  if (resultType === 'vector') {
    return {
      resultType,
      samples: (
        result as Array<{
          metric: Record<string, string>;
          value: [number, string];
        }>
      ).map(s => ({
        metric: s.metric,
        timestamp: s.value[0],
        value: Number(s.value[1]),
      })),
    };
  }
  // A range vector from an instant query (e.g. `up[5m]`): its last point per series.
  return {
    resultType,
    samples: (
      result as Array<{
        metric: Record<string, string>;
        values: Array<[number, string]>;
      }>
    )
      .filter(s => s.values.length > 0)
      .map(s => {
        const [timestamp, value] = s.values[s.values.length - 1];
        return { metric: s.metric, timestamp, value: Number(value) };
      }),
  };
}
