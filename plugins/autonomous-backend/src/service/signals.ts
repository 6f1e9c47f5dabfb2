import {
  Release,
  releaseSignalChannel,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import { ReleaseWatcherStore } from '../database/ReleaseWatcherStore';

/**
 * The signals backend treats a WebSocket that sent no token as this user. Signals to it
 * would reach anyone who opens a socket, so the guest is never a recipient: its pages poll.
 */
export const TOKENLESS_SOCKET_USER = 'user:default/guest';

/**
 * Private release signals. A page learns that an entity's releases changed only if its user
 * read them through a permission-checked route recently (`noteReader`); the signal goes to
 * those users alone, on the entity's own channel, and carries nothing: the page refetches
 * through the API, which checks read permission again.
 */
export class ReleaseSignals {
  constructor(
    private readonly deps: {
      signals: SignalsService;
      watchers: ReleaseWatcherStore;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  /** Called after a permitted read of an entity's releases or status. */
  noteReader(credentials: BackstageCredentials, entityRef: string): void {
    if (!this.deps.auth.isPrincipal(credentials, 'user')) return;
    const user = credentials.principal.userEntityRef;
    if (user === TOKENLESS_SOCKET_USER) return;
    this.deps.watchers
      .watch(entityRef, user)
      .catch(e => this.deps.logger.warn(`Could not record a reader: ${e}`));
  }

  /**
   * Tells the readers of the entity that something of its releases changed: a release, or what
   * leads to one (a webhook delivery, a drift episode).
   */
  async announce(release: Pick<Release, 'entityRef'>): Promise<void> {
    const users = await this.deps.watchers.watchersOf(release.entityRef);
    if (!users.length) return;
    await this.deps.signals.publish({
      recipients: { type: 'user', entityRef: users },
      channel: releaseSignalChannel(release.entityRef),
      message: {},
    });
  }

  /** `announce` for callers that must not wait or fail. */
  readonly onChange = (release: Pick<Release, 'entityRef'>): void => {
    this.announce(release).catch(e =>
      this.deps.logger.warn(`Could not publish a release signal: ${e}`),
    );
  };
}
