import { Knex } from 'knex';
import { insertNote, lockEnvironment } from './ReleaseStore';
import { toIso } from './timestamps';

/** What a drift episode's first sighting writes in a release's history. */
export interface DriftEvent {
  /** The release the event joins (the environment's newest); none when nothing was released. */
  releaseId?: string;
  message: string;
}

/** A sync a person asked for from the portal: who, and when the portal asked ArgoCD. */
export interface SyncRequest {
  requestedBy: string;
  requestedAt: string;
}

/**
 * Drift episodes per environment. Opening and closing take the environment's lock row, so two
 * status reads that see the same drift at the same moment (two tabs, two replicas) write one
 * event between them, and a drift never opens while a release is being created there.
 */
export class DriftStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Records the drift if no episode is open. Returns when the episode started and whether this
   * call started it (then the event was written, with the release's status unchanged).
   */
  async open(
    entityRef: string,
    environment: string,
    event: DriftEvent,
  ): Promise<{ since: string; first: boolean }> {
    // Most reads find the episode open already: answer those without a write.
    const known = await this.since(entityRef, environment);
    if (known) return { since: known, first: false };
    return this.db.transaction(async tx => {
      const now = this.now();
      await lockEnvironment(tx, entityRef, environment, now);
      const open = await tx('environment_drift')
        .where({ entity_ref: entityRef, environment })
        .first('detected_at');
      if (open) return { since: toIso(open.detected_at), first: false };
      await tx('environment_drift').insert({
        entity_ref: entityRef,
        environment,
        detected_at: now,
        release_id: event.releaseId ?? null,
      });
      await this.event(tx, event, now);
      return { since: now.toISOString(), first: true };
    });
  }

  /** Ends the open episode, if any, with an event on the release that got the first one. */
  async close(
    entityRef: string,
    environment: string,
    message: string,
  ): Promise<boolean> {
    // Every status read of an environment in sync lands here: no lock unless one is open.
    if (!(await this.since(entityRef, environment))) return false;
    return this.db.transaction(async tx => {
      const now = this.now();
      await lockEnvironment(tx, entityRef, environment, now);
      const open = await tx('environment_drift')
        .where({ entity_ref: entityRef, environment })
        .first('release_id');
      if (!open) return false;
      await tx('environment_drift')
        .where({ entity_ref: entityRef, environment })
        .delete();
      await this.event(
        tx,
        { releaseId: open.release_id ?? undefined, message },
        now,
      );
      return true;
    });
  }

  /** When the open episode started, if one is open. */
  async since(
    entityRef: string,
    environment: string,
  ): Promise<string | undefined> {
    return (await this.episode(entityRef, environment))?.since;
  }

  /** The open episode: when it started and the release whose history holds it. */
  async episode(
    entityRef: string,
    environment: string,
  ): Promise<{ since: string; releaseId?: string } | undefined> {
    const open = await this.db('environment_drift')
      .where({ entity_ref: entityRef, environment })
      .first('detected_at', 'release_id');
    if (!open) return undefined;
    return {
      since: toIso(open.detected_at),
      releaseId: open.release_id ?? undefined,
    };
  }

  /**
   * Remembers who asked the portal to sync an environment, and when (before ArgoCD started
   * it): ArgoCD records the sync as the portal's account. Replaces the environment's last one.
   */
  async recordSyncRequest(
    entityRef: string,
    environment: string,
    request: SyncRequest,
  ): Promise<void> {
    await this.db('environment_sync_requests')
      .insert({
        entity_ref: entityRef,
        environment,
        requested_by: request.requestedBy,
        requested_at: new Date(request.requestedAt),
      })
      .onConflict(['entity_ref', 'environment'])
      .merge(['requested_by', 'requested_at']);
  }

  /** The last sync of the environment a person asked for from the portal, if any. */
  async lastSyncRequest(
    entityRef: string,
    environment: string,
  ): Promise<SyncRequest | undefined> {
    const row = await this.db('environment_sync_requests')
      .where({ entity_ref: entityRef, environment })
      .first('requested_by', 'requested_at');
    return row
      ? { requestedBy: row.requested_by, requestedAt: toIso(row.requested_at) }
      : undefined;
  }

  /**
   * The projects whose environments the background check visits: those with saved settings or
   * a release, but not deleted ones (their applications are gone).
   */
  async watchedProjects(): Promise<string[]> {
    const [rows, deleted]: Array<Array<{ entity_ref: string }>> =
      await Promise.all([
        this.db
          .select('entity_ref')
          .from('projects')
          .union(q => q.select('entity_ref').from('releases')),
        this.db.select('entity_ref').from('project_deletions'),
      ]);
    const gone = new Set(deleted.map(r => r.entity_ref));
    return [...new Set(rows.map(r => r.entity_ref))]
      .filter(ref => !gone.has(ref))
      .sort();
  }

  /** A release event that leaves the release's status as it is. */
  private async event(tx: Knex.Transaction, event: DriftEvent, at: Date) {
    if (event.releaseId)
      await insertNote(tx, event.releaseId, event.message, at);
  }
}
