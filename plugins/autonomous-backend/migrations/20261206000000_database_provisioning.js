// @ts-check

/**
 * Database provisioning and deletion as the provisioning worker runs them.
 *
 * database_instances:
 * - live_name: the instance's name while it is not deleted or failed, else null. Its namespace
 *   (db-<name>), ArgoCD application and Vault path are named after it cluster-wide, so two live
 *   instances may not share a name; a deleted one gives its name back (null is never equal).
 *   This replaces the unique (entity_ref, environment, name), which kept deleted names forever.
 * - readonly_username: the profile's second user; restore_from_backup_id: the backup a new
 *   instance is provisioned from.
 * - The worker's columns, as for releases: step (the step to run next), step_started_at,
 *   next_check_at, lease_id / lease_expires_at (a claim by one backend at a time), attempts
 *   and failing_since (transient upstream errors retried within a window), last_error.
 * - Deletion: final_backup (asked for or not), final_backup_id and restore_id (what the
 *   backups hook returned, so a resumed worker waits for the same one), delete_requested_by.
 *
 * database_events: every step's start, success or failure with the sentence the page shows.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('database_instances', table => {
    table.dropUnique(
      ['entity_ref', 'environment', 'name'],
      'database_instances_name_uq',
    );
  });
  await knex.schema.alterTable('database_instances', table => {
    table.string('live_name', 63).nullable();
    table.string('readonly_username', 255).nullable();
    table.string('restore_from_backup_id', 36).nullable();
    table.string('step', 32).nullable();
    table.timestamp('step_started_at', { useTz: true }).nullable();
    table.timestamp('next_check_at', { useTz: true }).nullable();
    table.string('lease_id', 36).nullable();
    table.timestamp('lease_expires_at', { useTz: true }).nullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('failing_since', { useTz: true }).nullable();
    table.text('last_error').nullable();
    table.boolean('final_backup').nullable();
    table.string('final_backup_id', 64).nullable();
    table.string('restore_id', 64).nullable();
    table.string('delete_requested_by', 255).nullable();
    table.unique(['live_name'], { indexName: 'database_instances_live_uq' });
    table.index(['entity_ref', 'created_at'], 'database_instances_entity_idx');
    table.index(['next_check_at'], 'database_instances_due_idx');
  });
  await knex('database_instances')
    .whereNotIn('status', ['deleted', 'failed'])
    .update({ live_name: knex.ref('name') });

  await knex.schema.createTable('database_events', table => {
    table.comment('Provisioning and deletion steps of database instances');
    table.bigIncrements('seq').primary();
    table
      .string('database_id', 36)
      .notNullable()
      .references('id')
      .inTable('database_instances')
      .onDelete('CASCADE');
    table.string('step', 32).notNullable();
    table.string('status', 16).notNullable();
    table.text('message').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['database_id', 'seq'], 'database_events_database_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('database_events');
  await knex.schema.alterTable('database_instances', table => {
    table.dropIndex(['next_check_at'], 'database_instances_due_idx');
    table.dropIndex(
      ['entity_ref', 'created_at'],
      'database_instances_entity_idx',
    );
    table.dropUnique(['live_name'], 'database_instances_live_uq');
    for (const column of [
      'delete_requested_by',
      'restore_id',
      'final_backup_id',
      'final_backup',
      'last_error',
      'failing_since',
      'attempts',
      'lease_expires_at',
      'lease_id',
      'next_check_at',
      'step_started_at',
      'step',
      'restore_from_backup_id',
      'readonly_username',
      'live_name',
    ]) {
      table.dropColumn(column);
    }
  });
  await knex.schema.alterTable('database_instances', table => {
    table.unique(['entity_ref', 'environment', 'name'], {
      indexName: 'database_instances_name_uq',
    });
  });
};
