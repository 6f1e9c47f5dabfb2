import {
  HttpLibrary,
  KubeConfig,
  RequestContext,
  ResponseContext,
  SelfDecodingBody,
  createConfiguration,
  ServerConfiguration,
  Configuration,
  wrapHttpLibrary,
} from '@kubernetes/client-node';
import { Agent, fetch as undiciFetch } from 'undici';
import { KubernetesInstanceConfig } from '../config';
import { FetchFunction } from '../http';

/**
 * A KubeConfig for one configured cluster. An `http:` server needs `skipTLSVerify`:
 * @kubernetes/client-node 2 refuses plain HTTP otherwise, although nothing is verified there.
 */
export function kubeConfigFor(instance: KubernetesInstanceConfig): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: instance.name,
        server: instance.url.replace(/\/+$/, ''),
        caData: instance.caData,
        skipTLSVerify:
          instance.skipTLSVerify === true || instance.url.startsWith('http:'),
      },
    ],
    users: [{ name: instance.name, token: instance.token }],
    contexts: [
      { name: instance.name, cluster: instance.name, user: instance.name },
    ],
    currentContext: instance.name,
  });
  return kc;
}

/**
 * Sends the generated API's requests through one fetch: undici's with one connection pool per
 * cluster in production, an injected one in tests. The library's own transport builds a new
 * undici Agent for every request.
 */
export class KubernetesTransport {
  private readonly fetchFn: FetchFunction;
  private readonly dispatcher?: Agent;

  constructor(
    private readonly instance: KubernetesInstanceConfig,
    readonly kubeConfig: KubeConfig,
    private readonly timeoutMs: number,
    fetchFn?: FetchFunction,
  ) {
    if (fetchFn) {
      this.fetchFn = fetchFn;
    } else {
      const https = instance.url.startsWith('https:');
      this.dispatcher = new Agent({
        connect: https
          ? {
              ca: instance.caData
                ? Buffer.from(instance.caData, 'base64').toString('utf8')
                : undefined,
              rejectUnauthorized: instance.skipTLSVerify !== true,
            }
          : undefined,
      });
      const dispatcher = this.dispatcher;
      this.fetchFn = (input, init) =>
        undiciFetch(input, {
          ...(init as any),
          dispatcher,
        }) as unknown as Promise<Response>;
    }
  }

  /** Configuration for the generated API classes (`new CoreV1Api(configuration)`). */
  configuration(): Configuration {
    const httpApi: HttpLibrary = wrapHttpLibrary({
      send: request => this.send(request),
    });
    return createConfiguration({
      baseServer: new ServerConfiguration(
        this.instance.url.replace(/\/+$/, ''),
        {},
      ),
      authMethods: { default: this.kubeConfig },
      httpApi,
    });
  }

  private async send(request: RequestContext): Promise<ResponseContext> {
    const response = await this.fetchFn(request.getUrl(), {
      method: request.getHttpMethod().toString(),
      body: request.getBody() as any,
      headers: request.getHeaders(),
      signal: request.getSignal() ?? AbortSignal.timeout(this.timeoutMs),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return new ResponseContext(
      response.status,
      headers,
      new SelfDecodingBody(response.arrayBuffer().then(b => Buffer.from(b))),
    );
  }

  /** Auth headers for a request the generated API does not cover (streams). */
  async authHeaders(url: string): Promise<Record<string, string>> {
    const ctx = new RequestContext(url, 'GET' as any);
    await this.kubeConfig.applySecurityAuthentication(ctx);
    return ctx.getHeaders();
  }

  /** A streaming GET: the caller reads the body as it comes. */
  async stream(url: string, signal?: AbortSignal): Promise<Response> {
    return this.fetchFn(url, {
      method: 'GET',
      headers: await this.authHeaders(url),
      signal,
    });
  }

  close(): Promise<void> {
    return this.dispatcher?.close() ?? Promise.resolve();
  }
}
