import {
  Repository,
  WEBHOOK_SECRET_KEY,
  webhookSecretPath,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Entity } from '@backstage/catalog-model';
import { randomBytes } from 'node:crypto';

/**
 * A repository's webhook secret in Vault (the instance the entity picks), at the path the
 * scaffolder's `autonomous:webhook:create` writes. The value is read to verify a delivery and
 * shown once when rotated; it is never cached, stored in the plugin's database or logged.
 */
export class WebhookSecrets {
  constructor(private readonly clients: Pick<UpstreamClients, 'forEntity'>) {}

  pathOf(repository: Repository): string {
    return webhookSecretPath(repository.provider, repository.slug);
  }

  async read(
    entity: Entity,
    repository: Repository,
  ): Promise<string | undefined> {
    const secret = await this.clients
      .forEntity('vault', entity)
      .readSecret(this.pathOf(repository));
    return secret?.data[WEBHOOK_SECRET_KEY] || undefined;
  }

  /** When the secret was last written, without reading its value. */
  async describe(
    entity: Entity,
    repository: Repository,
  ): Promise<{ version: number; updatedAt?: string } | undefined> {
    const metadata = await this.clients
      .forEntity('vault', entity)
      .readMetadata(this.pathOf(repository));
    if (!metadata) return undefined;
    const current = metadata.versions?.[String(metadata.current_version)];
    if (current?.deletion_time || current?.destroyed) return undefined;
    return {
      version: metadata.current_version,
      updatedAt: metadata.updated_time ?? current?.created_time,
    };
  }

  /**
   * Writes a new random secret as the next version (check-and-set on the version read, so two
   * rotations at once do not both succeed). Deliveries signed with the old one fail from now.
   */
  async rotate(
    entity: Entity,
    repository: Repository,
  ): Promise<{ secret: string; version: number }> {
    const vault = this.clients.forEntity('vault', entity);
    const path = this.pathOf(repository);
    const metadata = await vault.readMetadata(path);
    const secret = randomBytes(32).toString('hex');
    const { version } = await vault.writeSecret(
      path,
      { [WEBHOOK_SECRET_KEY]: secret },
      { cas: metadata?.current_version ?? 0 },
    );
    return { secret, version };
  }
}
