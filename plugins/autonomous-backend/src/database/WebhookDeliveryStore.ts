import {
  WebhookDeliveryOutcome,
  WebhookDeliveryRecord,
  WebhookProvider,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Knex } from 'knex';
import { KeysetOptions, readKeysetPage } from './keyset';
import { orUndefined, toIso } from './timestamps';

/** A delivery as received for one project, before anything was decided. */
export interface NewWebhookDelivery {
  provider: WebhookProvider;
  deliveryId: string;
  entityRef: string;
  hookId?: string;
  event: string;
  ref?: string;
  commitSha?: string;
  commitSubject?: string;
}

type DeliveryKey = Pick<
  NewWebhookDelivery,
  'provider' | 'deliveryId' | 'entityRef'
>;

/** A commit in one environment of one project. */
export interface CommitKey {
  entityRef: string;
  environment: string;
  commitSha: string;
}

const commitKey = (c: CommitKey) => ({
  entity_ref: c.entityRef,
  environment: c.environment,
  commit_sha: c.commitSha,
});

type DeliveryRow = {
  seq: number | string;
  provider: string;
  delivery_id: string;
  hook_id: string | null;
  event: string;
  ref: string | null;
  commit_sha: string | null;
  commit_subject: string | null;
  outcome: string;
  detail: string | null;
  release_ids: string | null;
  received_at: unknown;
};

function toRecord(row: DeliveryRow): WebhookDeliveryRecord {
  return {
    provider: row.provider as WebhookProvider,
    deliveryId: row.delivery_id,
    hookId: orUndefined(row.hook_id),
    event: row.event,
    ref: orUndefined(row.ref),
    commitSha: orUndefined(row.commit_sha),
    commitSubject: orUndefined(row.commit_subject),
    outcome: row.outcome as WebhookDeliveryOutcome,
    detail: orUndefined(row.detail),
    releaseIds: row.release_ids ? JSON.parse(row.release_ids) : [],
    receivedAt: toIso(row.received_at),
  };
}

const keyOf = (d: DeliveryKey) => ({
  provider: d.provider,
  delivery_id: d.deliveryId,
  entity_ref: d.entityRef,
});

/** Deliveries per project, and the commits webhooks released, in the plugin's database. */
export class DatabaseWebhookDeliveryStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Records a delivery for a project the first time it is seen. False for a delivery id
   * already recorded (a redelivery), unless it failed then: a redelivery is how a person
   * retries one, so a failed delivery is taken again.
   */
  async claim(delivery: NewWebhookDelivery): Promise<boolean> {
    const inserted = await this.db('webhook_deliveries')
      .insert({
        ...keyOf(delivery),
        hook_id: delivery.hookId ?? null,
        event: delivery.event,
        ref: delivery.ref ?? null,
        commit_sha: delivery.commitSha ?? null,
        commit_subject: delivery.commitSubject?.slice(0, 500) ?? null,
        outcome: 'received',
        received_at: this.now(),
      })
      .onConflict(['provider', 'delivery_id', 'entity_ref'])
      .ignore()
      .returning('seq');
    if (inserted.length === 1) return true;
    const retaken = await this.db('webhook_deliveries')
      .where({ ...keyOf(delivery), outcome: 'failed' })
      .update({ outcome: 'received', detail: null, received_at: this.now() });
    return retaken === 1;
  }

  /** Notes how a claimed delivery ended for its project. */
  async settle(
    delivery: DeliveryKey,
    result: {
      outcome: Exclude<WebhookDeliveryOutcome, 'received'>;
      detail: string;
      releaseIds: string[];
    },
  ): Promise<void> {
    await this.db('webhook_deliveries')
      .where(keyOf(delivery))
      .update({
        outcome: result.outcome,
        detail: result.detail,
        release_ids: result.releaseIds.length
          ? JSON.stringify(result.releaseIds)
          : null,
      });
  }

  /** A project's deliveries, newest first. */
  async list(
    entityRef: string,
    options: KeysetOptions,
  ): Promise<{ items: WebhookDeliveryRecord[]; lastSeq?: number }> {
    const { rows, lastSeq } = await readKeysetPage<DeliveryRow>(
      this.db('webhook_deliveries').where('entity_ref', entityRef),
      options,
    );
    return { items: rows.map(toRecord), lastSeq };
  }

  /** Who claimed this commit in this environment, and its release once created. */
  async claimOf(
    commit: CommitKey,
  ): Promise<{ releaseId?: string; deliveryId: string } | undefined> {
    const row = await this.db('webhook_commits')
      .where(commitKey(commit))
      .first(['release_id', 'delivery_id']);
    return row
      ? { releaseId: orUndefined(row.release_id), deliveryId: row.delivery_id }
      : undefined;
  }

  /** The time of the newest commit a webhook released (or is releasing) in the environment. */
  async newestCommitTime(
    entityRef: string,
    environment: string,
  ): Promise<Date | undefined> {
    const row = await this.db('webhook_commits')
      .where({ entity_ref: entityRef, environment })
      .max({ newest: 'committed_at_ms' })
      .first();
    const newest = row?.newest;
    return newest === null || newest === undefined
      ? undefined
      : new Date(Number(newest));
  }

  /**
   * Claims a commit for one environment before its release is created: of any number of
   * deliveries of the same push (redeliveries, a second webhook, two replicas) exactly one gets
   * true. A claim whose release never came (its backend died in between) is taken over once it
   * is older than `staleMs`.
   */
  async claimCommit(
    commit: CommitKey & {
      committedAt?: Date;
      provider: WebhookProvider;
      deliveryId: string;
    },
    staleMs = 2 * 60_000,
  ): Promise<boolean> {
    const now = this.now();
    const claim = {
      provider: commit.provider,
      delivery_id: commit.deliveryId,
      committed_at_ms: commit.committedAt?.getTime() ?? null,
      created_at: now,
    };
    const inserted = await this.db('webhook_commits')
      .insert({ ...commitKey(commit), ...claim, release_id: null })
      .onConflict(['entity_ref', 'environment', 'commit_sha'])
      .ignore()
      .returning('commit_sha');
    if (inserted.length === 1) return true;
    const taken = await this.db('webhook_commits')
      .where(commitKey(commit))
      .whereNull('release_id')
      .where('created_at', '<', new Date(now.getTime() - staleMs))
      .update(claim);
    return taken === 1;
  }

  /** Names the release created for a claimed commit. */
  async bindCommit(commit: CommitKey, releaseId: string): Promise<void> {
    await this.db('webhook_commits')
      .where(commitKey(commit))
      .update({ release_id: releaseId });
  }

  /** Gives up a claim whose release could not be created, so a redelivery may try again. */
  async dropCommit(commit: CommitKey, deliveryId: string): Promise<void> {
    await this.db('webhook_commits')
      .where({ ...commitKey(commit), delivery_id: deliveryId })
      .whereNull('release_id')
      .delete();
  }
}
