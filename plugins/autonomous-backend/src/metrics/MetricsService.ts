import {
  AUTONOMOUS_ANNOTATIONS,
  DeliveryMetrics,
  MetricsBucket,
  MetricsReleasesPage,
  MetricsWindow,
  Project,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AuthService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { MetricsQueries, MetricsScope } from '../database/MetricsQueries';
import { projectFromEntity } from '../service/projectFromEntity';
import {
  bucketStep,
  computeDeliveryMetrics,
  FigureReleasesRequest,
  MetricsInput,
  metricsFigureReleases,
  metricsWindow,
} from './deliveryMetrics';

/** A page of a figure's releases, with the sequence the next page starts below. */
export type MetricsFigureReleases = Omit<MetricsReleasesPage, 'nextCursor'> & {
  lastSeq?: number;
};

const DAY = 86_400_000;
/**
 * Releases created this long before the window are read too: one that started before the
 * window and became healthy in it is a deployment of the window, and the release a rollback
 * in the window replaced may be older than the window.
 */
const LOOKBACK_MS = 7 * DAY;

export interface MetricsSettings {
  /**
   * Environment names that count as production. A project's last environment in promotion
   * order that is one of them is counted; a project with none of them counts its last one.
   */
  productionEnvironments: string[];
}

export function readMetricsSettings(config: Config): MetricsSettings {
  return {
    productionEnvironments:
      config.getOptionalStringArray(
        'autonomous.metrics.productionEnvironments',
      ) ?? [],
  };
}

export interface MetricsRequest {
  days: MetricsWindow;
  bucket: MetricsBucket;
  /** Counts this environment instead of each project's production one. */
  environment?: string;
}

/**
 * Delivery metrics of one project or of a team's projects, from the releases the suite
 * recorded. Which projects a caller may see is decided before: the route authorizes a single
 * project; a team's projects come filtered by `readable`.
 */
export class MetricsService {
  constructor(
    private readonly deps: {
      queries: MetricsQueries;
      catalog: CatalogService;
      auth: Pick<AuthService, 'getOwnServiceCredentials'>;
      settings: MetricsSettings;
      now?: () => Date;
    },
  ) {}

  /** The environment a project's metrics count, or undefined when it has no such one. */
  environmentOf(names: string[], asked?: string): string | undefined {
    if (asked !== undefined) return names.includes(asked) ? asked : undefined;
    const production = names.filter(n =>
      this.deps.settings.productionEnvironments.includes(n),
    );
    return production[production.length - 1] ?? names[names.length - 1];
  }

  async forProject(
    project: Project,
    request: MetricsRequest,
  ): Promise<DeliveryMetrics> {
    const scopes = this.projectScopes(project, request);
    const input = await this.input(scopes, request);
    return {
      scope: { entityRef: project.entityRef, projects: scopes },
      ...computeDeliveryMetrics(input),
    };
  }

  /** One page of the releases behind a figure of one project. */
  async releasesForProject(
    project: Project,
    request: MetricsRequest,
    page: Omit<FigureReleasesRequest, 'bucketStart'> & { bucketStart?: string },
  ): Promise<MetricsFigureReleases> {
    const scopes = this.projectScopes(project, request);
    return this.figureReleases(scopes, request, page);
  }

  /** One page of the releases behind a figure of an owner's readable projects. */
  async releasesForOwner(
    owner: string,
    request: MetricsRequest,
    readable: (entityRefs: string[]) => Promise<Set<string>>,
    page: Omit<FigureReleasesRequest, 'bucketStart'> & { bucketStart?: string },
  ): Promise<MetricsFigureReleases> {
    const scopes = await this.ownerScopes(owner, request, readable);
    return this.figureReleases(scopes, request, page);
  }

  private projectScopes(
    project: Project,
    request: MetricsRequest,
  ): MetricsScope[] {
    const environment = this.environmentOf(
      project.environments.map(e => e.name),
      request.environment,
    );
    if (environment === undefined) {
      throw new InputError(
        `${project.entityRef} has no environment ${
          request.environment
        }; it has ${project.environments.map(e => e.name).join(', ')}`,
      );
    }
    return [{ entityRef: project.entityRef, environment }];
  }

  /**
   * The projects an owner owns, in the catalog (read with the plugin's credentials), with the
   * caller's read permission applied by `readable` before anything is counted.
   */
  async forOwner(
    owner: string,
    request: MetricsRequest,
    readable: (entityRefs: string[]) => Promise<Set<string>>,
  ): Promise<DeliveryMetrics> {
    const scopes = await this.ownerScopes(owner, request, readable);
    const input = await this.input(scopes, request);
    return {
      scope: { owner, projects: scopes },
      ...computeDeliveryMetrics(input),
    };
  }

  private async ownerScopes(
    owner: string,
    request: MetricsRequest,
    readable: (entityRefs: string[]) => Promise<Set<string>>,
  ): Promise<MetricsScope[]> {
    const projects = await this.ownedProjects(owner);
    const allowed = await readable(projects.map(p => p.entityRef));
    const visible = projects.filter(p => allowed.has(p.entityRef));
    // Environments saved in the portal replace the annotations', as on the project's page.
    const saved = await this.deps.queries.savedEnvironments(
      visible.map(p => p.entityRef),
    );
    const scopes = visible.flatMap(project => {
      const environment = this.environmentOf(
        saved.get(project.entityRef) ?? project.environments.map(e => e.name),
        request.environment,
      );
      return environment ? [{ entityRef: project.entityRef, environment }] : [];
    });
    return scopes;
  }

  private async ownedProjects(owner: string): Promise<Project[]> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const annotation = `metadata.annotations.${AUTONOMOUS_ANNOTATIONS.project}`;
    const [kind, rest] = owner.split(':');
    const name = rest.split('/')[1];
    // spec.owner may be written as a full ref or, for a group in the default namespace, by name.
    const owners =
      kind === 'group' && rest.startsWith('default/') ? [owner, name] : [owner];
    const filter = [
      { [annotation]: CATALOG_FILTER_EXISTS, 'relations.ownedBy': owner },
      ...owners.map(o => ({
        [annotation]: CATALOG_FILTER_EXISTS,
        'spec.owner': o,
      })),
    ];
    const entities: Entity[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.catalog.queryEntities(
        cursor ? { cursor, limit: 500 } : { filter, limit: 500 },
        { credentials },
      );
      entities.push(...page.items);
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    const seen = new Set<string>();
    return entities.flatMap(entity => {
      const read = projectFromEntity(entity);
      if (!read.ok || seen.has(read.project.entityRef)) return [];
      seen.add(read.project.entityRef);
      return [read.project];
    });
  }

  private async input(
    projects: MetricsScope[],
    request: MetricsRequest,
  ): Promise<MetricsInput> {
    const now = this.deps.now?.() ?? new Date();
    const { since } = metricsWindow(request.days, now);
    const from = new Date(since - LOOKBACK_MS);
    const { releases, earlierDigests } = projects.length
      ? await this.deps.queries.releasesSince(projects, from)
      : { releases: [], earlierDigests: new Set<string>() };
    return {
      releases,
      earlierDigests,
      days: request.days,
      bucket: request.bucket,
      now,
    };
  }

  private async figureReleases(
    scopes: MetricsScope[],
    request: MetricsRequest,
    page: Omit<FigureReleasesRequest, 'bucketStart'> & { bucketStart?: string },
  ): Promise<MetricsFigureReleases> {
    const now = this.deps.now?.() ?? new Date();
    const { since, until } = metricsWindow(request.days, now);
    let bucket: { start: string; end: string } | undefined;
    let bucketStart: number | undefined;
    if (page.bucketStart !== undefined) {
      const step = bucketStep(request.bucket);
      bucketStart = Date.parse(page.bucketStart);
      const index = (bucketStart - since) / step;
      if (
        !Number.isInteger(index) ||
        bucketStart < since ||
        bucketStart > until
      ) {
        throw new InputError(
          `bucketStart ${page.bucketStart} is not the start of a ${
            request.bucket
          } bucket of this window: give one of the buckets' start times GET /metrics answers with the same window and bucket (the first is ${new Date(
            since,
          ).toISOString()})`,
        );
      }
      bucket = {
        start: new Date(bucketStart).toISOString(),
        end: new Date(Math.min(bucketStart + step, until + 1)).toISOString(),
      };
    }
    const input = await this.input(scopes, request);
    const { items, lastSeq } = metricsFigureReleases(input, {
      ...page,
      bucketStart,
    });
    return {
      figure: page.figure,
      ...(bucket ? { bucket } : {}),
      items,
      lastSeq,
    };
  }
}
