import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  CreateReleaseRequest,
  DatabaseEngineInfo,
  DatabaseEvent,
  DatabaseInstance,
  Project,
  ReleasePage,
  ReleaseWithEvents,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

/** The request body of `POST /databases` (plugins/autonomous-backend/src/schema/openapi.yaml). */
export interface ProvisionDatabaseRequest {
  entityRef: string;
  engine?: string;
  version?: string;
  storageGi?: number;
  mode?: 'single' | 'cluster';
  name?: string;
}

/**
 * The Autonomous backend's REST API, called as the user who runs the task: every request
 * carries a token issued on behalf of the task's initiator, so the portal's permission policy
 * decides as it does for that user in the browser.
 *
 * @public
 */
export interface AutonomousBackendApi {
  /** The project, or undefined while the catalog has no such Autonomous project. */
  getProject(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Project | undefined>;
  listReleases(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ReleasePage>;
  createRelease(
    entityRef: string,
    request: CreateReleaseRequest,
    credentials: BackstageCredentials,
  ): Promise<Release>;
  getRelease(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ReleaseWithEvents>;
  /** The engines; `defaultEngine` is the entity's annotated one, once the catalog has it. */
  listDatabaseEngines(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ defaultEngine?: string; items: DatabaseEngineInfo[] }>;
  listDatabases(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<DatabaseInstance[]>;
  provisionDatabase(
    request: ProvisionDatabaseRequest,
    credentials: BackstageCredentials,
  ): Promise<DatabaseInstance>;
  getDatabase(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<DatabaseInstance>;
  listDatabaseEvents(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<DatabaseEvent[]>;
}

function entityPath(entityRef: string): string {
  const match = /^([^:]+):([^/]+)\/(.+)$/.exec(entityRef);
  if (!match) throw new Error(`not a full entity ref: ${entityRef}`);
  return match.slice(1, 4).map(encodeURIComponent).join('/');
}

const ERRORS: Record<number, new (message: string) => Error> = {
  400: InputError,
  403: NotAllowedError,
  404: NotFoundError,
  409: ConflictError,
};

/** The backend's refusal with its own words, which say what to do. */
async function refusal(
  res: Response,
  method: string,
  path: string,
): Promise<Error> {
  const text = await res.text();
  let reason = text.slice(0, 500);
  try {
    reason = JSON.parse(text).error?.message ?? reason;
  } catch {
    // not JSON: the text as it came
  }
  const message = `The Autonomous backend answered ${res.status} ${
    res.statusText
  } to ${method} ${path.split('?')[0]}${reason ? `: ${reason}` : ''}`;
  const Type = ERRORS[res.status] ?? Error;
  return new Type(message);
}

/**
 * The client of the Autonomous backend for scaffolder actions.
 *
 * @public
 */
export class AutonomousBackendClient implements AutonomousBackendApi {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      fetch?: typeof fetch;
    },
  ) {}

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    credentials: BackstageCredentials,
    options: { body?: unknown; notFound?: T } = {},
  ): Promise<T> {
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'autonomous',
    });
    const base = await this.deps.discovery.getBaseUrl('autonomous');
    const res = await (this.deps.fetch ?? fetch)(`${base}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(options.body === undefined
          ? {}
          : { 'Content-Type': 'application/json' }),
      },
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    if (res.status === 404 && 'notFound' in options) {
      return options.notFound as T;
    }
    if (!res.ok) throw await refusal(res, method, path);
    return (await res.json()) as T;
  }

  getProject(entityRef: string, credentials: BackstageCredentials) {
    return this.request<Project | undefined>(
      'GET',
      `/projects/${entityPath(entityRef)}`,
      credentials,
      { notFound: undefined },
    );
  }

  listReleases(entityRef: string, credentials: BackstageCredentials) {
    return this.request<ReleasePage>(
      'GET',
      `/projects/${entityPath(entityRef)}/releases?limit=100`,
      credentials,
    );
  }

  createRelease(
    entityRef: string,
    request: CreateReleaseRequest,
    credentials: BackstageCredentials,
  ) {
    return this.request<Release>(
      'POST',
      `/projects/${entityPath(entityRef)}/releases`,
      credentials,
      { body: request },
    );
  }

  getRelease(id: string, credentials: BackstageCredentials) {
    return this.request<ReleaseWithEvents>(
      'GET',
      `/releases/${encodeURIComponent(id)}`,
      credentials,
    );
  }

  listDatabaseEngines(entityRef: string, credentials: BackstageCredentials) {
    return this.request<{
      defaultEngine?: string;
      items: DatabaseEngineInfo[];
    }>(
      'GET',
      `/database-engines?entityRef=${encodeURIComponent(entityRef)}`,
      credentials,
    );
  }

  async listDatabases(entityRef: string, credentials: BackstageCredentials) {
    const page = await this.request<{ items: DatabaseInstance[] }>(
      'GET',
      `/databases?entityRef=${encodeURIComponent(entityRef)}`,
      credentials,
    );
    return page.items;
  }

  provisionDatabase(
    request: ProvisionDatabaseRequest,
    credentials: BackstageCredentials,
  ) {
    return this.request<DatabaseInstance>('POST', '/databases', credentials, {
      body: request,
    });
  }

  getDatabase(id: string, credentials: BackstageCredentials) {
    return this.request<DatabaseInstance>(
      'GET',
      `/databases/${encodeURIComponent(id)}`,
      credentials,
    );
  }

  async listDatabaseEvents(id: string, credentials: BackstageCredentials) {
    const page = await this.request<{ items: DatabaseEvent[] }>(
      'GET',
      `/databases/${encodeURIComponent(id)}/events`,
      credentials,
    );
    return page.items;
  }
}
