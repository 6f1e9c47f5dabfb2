import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  entityRoutePath,
  Project,
  ReleasePage,
  ReleaseWithEvents,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AutonomousApi, ListReleasesOptions } from './AutonomousApi';

/**
 * Talks to the autonomous backend plugin over HTTP, with the signed-in user's credentials.
 *
 * @public
 */
export class AutonomousClient implements AutonomousApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getProject(entityRef: string | CompoundEntityRef): Promise<Project> {
    return this.get<Project>(`/projects/${entityRoutePath(entityRef)}`);
  }

  async listReleases(
    entityRef: string | CompoundEntityRef,
    options: ListReleasesOptions = {},
  ): Promise<ReleasePage> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) {
      query.set('limit', String(options.limit));
    }
    if (options.cursor) {
      query.set('cursor', options.cursor);
    }
    const search = query.toString() ? `?${query}` : '';
    return this.get<ReleasePage>(
      `/projects/${entityRoutePath(entityRef)}/releases${search}`,
    );
  }

  async getRelease(id: string): Promise<ReleaseWithEvents> {
    return this.get<ReleaseWithEvents>(`/releases/${encodeURIComponent(id)}`);
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('autonomous');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
