import {
  AUTONOMOUS_ANNOTATIONS,
  DeliveryMetrics,
  MetricsBucket,
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
import { computeDeliveryMetrics, metricsWindow } from './deliveryMetrics';

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
    return this.compute(
      { entityRef: project.entityRef },
      [{ entityRef: project.entityRef, environment }],
      request,
    );
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
    return this.compute({ owner }, scopes, request);
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

  private async compute(
    scope: { entityRef?: string; owner?: string },
    projects: MetricsScope[],
    request: MetricsRequest,
  ): Promise<DeliveryMetrics> {
    const now = this.deps.now?.() ?? new Date();
    const { since } = metricsWindow(request.days, now);
    const from = new Date(since - LOOKBACK_MS);
    const { releases, earlierDigests } = projects.length
      ? await this.deps.queries.releasesSince(projects, from)
      : { releases: [], earlierDigests: new Set<string>() };
    return {
      scope: { ...scope, projects },
      ...computeDeliveryMetrics({
        releases,
        earlierDigests,
        days: request.days,
        bucket: request.bucket,
        now,
      }),
    };
  }
}
