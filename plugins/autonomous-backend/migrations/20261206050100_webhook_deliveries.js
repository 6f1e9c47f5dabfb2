// @ts-check

/**
 * Git push webhooks.
 *
 * webhook_deliveries is recreated: the first version (never written outside tests) kept one row
 * per delivery, but one push may concern several projects on the same repository, and the
 * Overview lists a project's deliveries with how each ended for it. One row per delivery and
 * project now; the unique key drops a redelivery (same delivery id) before anything is done.
 *
 * webhook_commits holds one row per (project, environment, commit) a webhook released. Its key
 * is what keeps a second webhook on the same repository (another delivery id, the same commit)
 * or two replicas receiving the same push from creating a second release: the row is claimed
 * before the release is created and names it once it exists. `committed_at_ms` (the head commit's time, epoch ms, the
 * same on every engine) tells a late delivery of an older commit.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.dropTable('webhook_deliveries');
  await knex.schema.createTable('webhook_deliveries', table => {
    table.comment('Git webhook deliveries per project and how each ended');
    table.bigIncrements('seq').primary();
    table.string('provider', 16).notNullable();
    table.string('delivery_id', 128).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('hook_id', 128).nullable();
    table.string('event', 64).notNullable();
    table.string('ref', 255).nullable();
    table.string('commit_sha', 64).nullable();
    table.string('commit_subject', 500).nullable();
    table
      .string('outcome', 16)
      .notNullable()
      .comment('received, released, ignored, failed');
    table.text('detail').nullable();
    table.text('release_ids').nullable().comment('JSON array of release ids');
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.unique(['provider', 'delivery_id', 'entity_ref'], {
      indexName: 'webhook_deliveries_delivery_uq',
    });
    table.index(['entity_ref', 'seq'], 'webhook_deliveries_entity_idx');
  });
  await knex.schema.createTable('webhook_commits', table => {
    table.comment('Commits webhooks released, one per project and environment');
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.string('commit_sha', 64).notNullable();
    table.bigInteger('committed_at_ms').nullable();
    table
      .string('release_id', 36)
      .nullable()
      .comment('null while the release is being created');
    table.string('provider', 16).notNullable();
    table.string('delivery_id', 128).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'environment', 'commit_sha']);
    table.index(
      ['entity_ref', 'environment', 'committed_at_ms'],
      'webhook_commits_time_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('webhook_commits');
  await knex.schema.dropTable('webhook_deliveries');
  await knex.schema.createTable('webhook_deliveries', table => {
    table.comment('Git webhook deliveries, kept to drop duplicates');
    table.string('provider', 16).notNullable();
    table.string('delivery_id', 128).notNullable();
    table.string('entity_ref', 255).nullable();
    table.string('event', 64).notNullable();
    table.string('outcome', 32).notNullable();
    table.text('detail').nullable();
    table.string('release_id', 36).nullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.primary(['provider', 'delivery_id']);
    table.index(['entity_ref', 'received_at'], 'webhook_deliveries_entity_idx');
  });
};
