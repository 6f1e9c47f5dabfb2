// @ts-check

/**
 * What the release orchestrator needs to move releases durably: which upstream objects a
 * release uses, what it already asked of them (so a restart never asks twice), when it is due
 * next, and a lease so that several backends share the work and none moves a release twice.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('releases', table => {
    table.string('build_job', 255).nullable();
    // The job's next build number read just before the trigger: where to look after a crash.
    table.integer('build_from_number').nullable();
    table.integer('build_queue_id').nullable();
    table.integer('build_number').nullable();
    table.string('argocd_application', 253).nullable();
    table.timestamp('sync_requested_at', { useTz: true }).nullable();
    table.timestamp('stage_started_at', { useTz: true }).nullable();
    table.timestamp('next_check_at', { useTz: true }).nullable();
    table.string('lease_token', 36).nullable();
    table.timestamp('lease_expires_at', { useTz: true }).nullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('failing_since', { useTz: true }).nullable();
    table.text('last_error').nullable();
    table.index(['next_check_at'], 'releases_next_check_idx');
    table.index(['build_job', 'status'], 'releases_build_job_idx');
    table.index(['argocd_application', 'status'], 'releases_argocd_app_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('releases', table => {
    table.dropIndex(['next_check_at'], 'releases_next_check_idx');
    table.dropIndex(['build_job', 'status'], 'releases_build_job_idx');
    table.dropIndex(
      ['argocd_application', 'status'],
      'releases_argocd_app_idx',
    );
    for (const column of [
      'build_job',
      'build_from_number',
      'build_queue_id',
      'build_number',
      'argocd_application',
      'sync_requested_at',
      'stage_started_at',
      'next_check_at',
      'lease_token',
      'lease_expires_at',
      'attempts',
      'failing_since',
      'last_error',
    ]) {
      table.dropColumn(column);
    }
  });
};
