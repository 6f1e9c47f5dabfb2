import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** One page of an index route of the Autonomous backend. */
export interface IndexPage<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * Reads the Autonomous backend's index routes page by page, as this module's own service
 * principal: a module of the search plugin asks the Autonomous plugin's API, never its tables.
 * A fresh token is asked for each page (the auth service caches it while it is valid), so a
 * long run never sends an expired one.
 */
export class AutonomousIndexClient {
  constructor(
    private readonly deps: {
      auth: AuthService;
      discovery: DiscoveryService;
      fetch?: typeof fetch;
    },
  ) {}

  async *pages<T>(
    path: '/index/projects' | '/index/releases' | '/index/databases',
    query: Record<string, number>,
  ): AsyncGenerator<T[]> {
    const baseUrl = await this.deps.discovery.getBaseUrl('autonomous');
    let cursor: string | undefined;
    do {
      const params = new URLSearchParams(
        Object.entries(query).map(([k, v]) => [k, String(v)]),
      );
      if (cursor) params.set('cursor', cursor);
      const { token } = await this.deps.auth.getPluginRequestToken({
        onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
        targetPluginId: 'autonomous',
      });
      const response = await (this.deps.fetch ?? fetch)(
        `${baseUrl}${path}?${params}`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      if (!response.ok) throw await ResponseError.fromResponse(response);
      const page = (await response.json()) as IndexPage<T>;
      yield page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }
}
