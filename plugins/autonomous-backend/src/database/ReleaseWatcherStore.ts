import { Knex } from 'knex';

/**
 * Who may hear that an entity's releases changed: users who read them through a
 * permission-checked route in the last few minutes. Signals go to them only, so a user
 * without read permission never learns that anything changed.
 */
export class ReleaseWatcherStore {
  /** When this process last extended a watch, to write at most once per quarter TTL. */
  private readonly written = new Map<string, number>();

  constructor(
    private readonly db: Knex,
    private readonly options: { ttlMs: number; now?: () => number },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Records (or extends) a permitted read of the entity by the user. */
  async watch(entityRef: string, userRef: string): Promise<void> {
    const key = `${entityRef}\n${userRef}`;
    const now = this.now();
    const last = this.written.get(key);
    if (last !== undefined && now - last < this.options.ttlMs / 4) return;
    this.written.set(key, now);
    if (this.written.size > 50_000) this.written.clear();
    await this.db('release_watchers')
      .insert({
        entity_ref: entityRef,
        user_ref: userRef,
        expires_at: new Date(now + this.options.ttlMs),
      })
      .onConflict(['entity_ref', 'user_ref'])
      .merge(['expires_at']);
  }

  /** The users whose watch of the entity has not expired; expired watches are dropped. */
  async watchersOf(entityRef: string): Promise<string[]> {
    const now = new Date(this.now());
    await this.db('release_watchers')
      .where({ entity_ref: entityRef })
      .where('expires_at', '<', now)
      .delete();
    const rows: Array<{ user_ref: string }> = await this.db('release_watchers')
      .where({ entity_ref: entityRef })
      .where('expires_at', '>=', now)
      .select('user_ref');
    return rows.map(r => r.user_ref);
  }
}
