import {
  autonomousReadPermission,
  Project,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import express from 'express';
import { AuditStore } from '../database/AuditStore';
import {
  EntityAuthorizer,
  EntityPermission,
} from '../service/EntityAuthorizer';
import { ProjectService } from '../service/ProjectService';

/** Who called, allowed to act on one project. */
export interface Caller {
  credentials: BackstageCredentials;
  /** `user:default/jane` or `service:<subject>` — what history and audit show. */
  actor: string;
  resolved: { project: Project; entity: Entity };
}

/** What every action route does first: authenticate, authorize on the entity, audit. */
export class RouteContext {
  constructor(
    private readonly deps: {
      httpAuth: HttpAuthService;
      auth: AuthService;
      authorizer: EntityAuthorizer;
      projects: ProjectService;
      audit: AuditStore;
      /** The portal's own audit pipeline; every action goes there too. */
      auditor?: AuditorService;
      logger: LoggerService;
      readers?: {
        noteReader(credentials: BackstageCredentials, entityRef: string): void;
      };
    },
  ) {}

  actorOf(credentials: BackstageCredentials): string {
    if (this.deps.auth.isPrincipal(credentials, 'user')) {
      return credentials.principal.userEntityRef;
    }
    if (this.deps.auth.isPrincipal(credentials, 'service')) {
      return `service:${credentials.principal.subject}`;
    }
    return 'unknown';
  }

  async authorize(
    req: express.Request,
    permission: EntityPermission,
    entityRef: string,
  ): Promise<Caller> {
    const credentials = await this.deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await this.deps.authorizer.authorize(credentials, permission, entityRef);
    // Authorized with the caller's credentials; the entity is read with the plugin's own.
    const resolved = await this.deps.projects.resolve(entityRef);
    return { credentials, actor: this.actorOf(credentials), resolved };
  }

  /**
   * A permission on an entity that need not be a project (a database's Resource): the caller
   * is authorized with their credentials; nothing is read from the catalog here.
   */
  async authorizeOn(
    req: express.Request,
    permission: EntityPermission,
    entityRef: string,
  ): Promise<Pick<Caller, 'credentials' | 'actor'>> {
    const credentials = await this.deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await this.deps.authorizer.authorize(credentials, permission, entityRef);
    return { credentials, actor: this.actorOf(credentials) };
  }

  /**
   * Read permission on the entity, without resolving it in the catalog (history pages are
   * read often). The caller becomes one of the entity's readers, who hear of its changes.
   */
  async authorizeRead(
    req: express.Request,
    entityRef: string,
  ): Promise<BackstageCredentials> {
    const credentials = await this.deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await this.deps.authorizer.authorize(
      credentials,
      autonomousReadPermission,
      entityRef,
    );
    this.deps.readers?.noteReader(credentials, entityRef);
    return credentials;
  }

  /**
   * Read permission on a project, resolved from the catalog (for routes that need its
   * project or entity); the caller becomes one of its readers, like {@link authorizeRead}.
   */
  async readProject(req: express.Request, entityRef: string): Promise<Caller> {
    const caller = await this.authorize(
      req,
      autonomousReadPermission,
      entityRef,
    );
    this.deps.readers?.noteReader(caller.credentials, entityRef);
    return caller;
  }

  /**
   * Runs an action and records who did it and how it ended, in the portal's auditor and in the
   * plugin's table; never records secret values.
   */
  async audited<T>(
    req: express.Request,
    caller: Pick<Caller, 'actor'>,
    action: string,
    entityRef: string,
    run: () => Promise<T>,
    target?: string,
  ): Promise<T> {
    const event = await this.deps.auditor
      ?.createEvent({
        // release.create → release-create: the auditor asks for kebab-case event ids.
        eventId: action.replace(/\./g, '-'),
        severityLevel: 'medium',
        request: req,
        meta: { actor: caller.actor, entityRef, ...(target ? { target } : {}) },
      })
      .catch(e => {
        this.deps.logger.warn(`auditor event failed: ${e}`);
        return undefined;
      });
    try {
      const result = await run();
      const id = (result as { id?: unknown })?.id;
      await event
        ?.success({ meta: typeof id === 'string' ? { id } : {} })
        .catch(e => this.deps.logger.warn(`auditor event failed: ${e}`));
      await this.deps.audit.record({
        actor: caller.actor,
        action,
        entityRef,
        target: typeof id === 'string' ? id : target,
        outcome: 'succeeded',
        details:
          target && typeof id === 'string' ? { source: target } : undefined,
      });
      return result;
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      await event
        ?.fail({ error })
        .catch(err => this.deps.logger.warn(`auditor event failed: ${err}`));
      // Bad input changes nothing and is answered with a 400: only real attempts are recorded.
      if (isError(e) && ['InputError', 'NotFoundError'].includes(e.name))
        throw e;
      await this.deps.audit
        .record({
          actor: caller.actor,
          action,
          entityRef,
          target,
          outcome: 'failed',
          details: { reason: error.message },
        })
        .catch(err => this.deps.logger.warn(`audit record failed: ${err}`));
      throw e;
    }
  }
}
