// @ts-check

/**
 * Backups as the backup worker runs them.
 *
 * backups: the trigger may now be 'final' (taken before a delete); started_at and duration_ms for
 * the list; engine and file_name for the download; object_key is where the dump lives in the
 * configured storage (never a credential); job_name is the Kubernetes Job that made it. A row is
 * worked under a lease (lease_token, lease_expires_at) like a release, so a killed backend or a
 * second replica never runs a backup twice; next_check_at says when to look at its Job again.
 * notified_at marks a failed scheduled backup whose owners were told, so they are told once.
 *
 * database_restores: a backup being restored into an instance (a new one, or in place after a
 * safety backup, safety_backup_id), worked under the same kind of lease.
 *
 * database_instances: retention by count instead of days; the last CronJob state the watcher saw
 * (when the schedule was applied, the latest scheduled run) and the one alert the tab shows when a
 * scheduled backup did not run or failed, with the run it was sent for so it is sent once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('backups', table => {
    table.string('engine', 32).nullable();
    table.string('file_name', 255).nullable();
    table.string('object_key', 1024).nullable();
    table.string('job_name', 63).nullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.bigInteger('duration_ms').nullable();
    table.string('lease_token', 36).nullable();
    table.timestamp('lease_expires_at', { useTz: true }).nullable();
    table.timestamp('next_check_at', { useTz: true }).nullable();
    table.timestamp('notified_at', { useTz: true }).nullable();
    table.index(['status', 'next_check_at'], 'backups_due_idx');
    table.unique(['database_id', 'job_name'], {
      indexName: 'backups_job_uq',
    });
  });

  await knex.schema.createTable('database_restores', table => {
    table.comment('Backups being restored into a database instance');
    table.string('id', 36).primary();
    table.string('backup_id', 36).notNullable();
    table.string('database_id', 36).notNullable();
    table.string('target', 16).notNullable();
    table.string('safety_backup_id', 36).nullable();
    table.string('status', 16).notNullable();
    table.text('message').nullable();
    table.string('job_name', 63).nullable();
    table.string('requested_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.string('lease_token', 36).nullable();
    table.timestamp('lease_expires_at', { useTz: true }).nullable();
    table.timestamp('next_check_at', { useTz: true }).nullable();
    table.index(['status', 'next_check_at'], 'database_restores_due_idx');
    table.index(['database_id'], 'database_restores_database_idx');
  });

  await knex.schema.alterTable('database_instances', table => {
    table.integer('backup_retention_count').notNullable().defaultTo(7);
    table.timestamp('backup_schedule_applied_at', { useTz: true }).nullable();
    table.timestamp('backup_last_scheduled_at', { useTz: true }).nullable();
    table.timestamp('backup_alert_at', { useTz: true }).nullable();
    table.text('backup_alert_message').nullable();
    table.string('backup_alert_notified', 255).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('database_instances', table => {
    table.dropColumn('backup_alert_notified');
    table.dropColumn('backup_alert_message');
    table.dropColumn('backup_alert_at');
    table.dropColumn('backup_last_scheduled_at');
    table.dropColumn('backup_schedule_applied_at');
    table.dropColumn('backup_retention_count');
  });
  await knex.schema.dropTable('database_restores');
  await knex.schema.alterTable('backups', table => {
    table.dropUnique(['database_id', 'job_name'], 'backups_job_uq');
    table.dropIndex(['status', 'next_check_at'], 'backups_due_idx');
    for (const column of [
      'notified_at',
      'next_check_at',
      'lease_expires_at',
      'lease_token',
      'duration_ms',
      'started_at',
      'job_name',
      'object_key',
      'file_name',
      'engine',
    ]) {
      table.dropColumn(column);
    }
  });
};
