import { Knex } from 'knex';

export interface WebhookDelivery {
  provider: 'github' | 'gitlab';
  deliveryId: string;
  event: string;
  entityRef?: string;
}

export interface WebhookDeliveryStore {
  /**
   * Records a delivery the first time it is seen. Returns false for a delivery id already
   * recorded, so a redelivered push never starts a second release.
   */
  claim(delivery: WebhookDelivery): Promise<boolean>;
  /** Notes how a claimed delivery ended. */
  settle(
    delivery: Pick<WebhookDelivery, 'provider' | 'deliveryId'>,
    outcome: { outcome: string; detail?: string; releaseId?: string },
  ): Promise<void>;
}

export class DatabaseWebhookDeliveryStore implements WebhookDeliveryStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async claim(delivery: WebhookDelivery): Promise<boolean> {
    const inserted = await this.db('webhook_deliveries')
      .insert({
        provider: delivery.provider,
        delivery_id: delivery.deliveryId,
        event: delivery.event,
        entity_ref: delivery.entityRef ?? null,
        outcome: 'received',
        received_at: this.now(),
      })
      .onConflict(['provider', 'delivery_id'])
      .ignore()
      .returning('delivery_id');
    return inserted.length === 1;
  }

  async settle(
    delivery: Pick<WebhookDelivery, 'provider' | 'deliveryId'>,
    outcome: { outcome: string; detail?: string; releaseId?: string },
  ): Promise<void> {
    await this.db('webhook_deliveries')
      .where({ provider: delivery.provider, delivery_id: delivery.deliveryId })
      .update({
        outcome: outcome.outcome,
        detail: outcome.detail ?? null,
        release_id: outcome.releaseId ?? null,
      });
  }
}
