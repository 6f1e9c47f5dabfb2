// @ts-check

/**
 * Delivery metrics read a project's releases to one environment over a window of days: the
 * commit time (from the Git push or the build) gives lead time, and an index on the window's
 * columns keeps a team's 90 days a range read instead of a walk through the whole history.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('releases', table => {
    // Absent when nothing reported it: lead time counts such releases apart, never guesses.
    table.timestamp('committed_at', { useTz: true }).nullable();
    table.index(
      ['entity_ref', 'environment', 'created_at'],
      'releases_metrics_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('releases', table => {
    table.dropIndex(
      ['entity_ref', 'environment', 'created_at'],
      'releases_metrics_idx',
    );
    table.dropColumn('committed_at');
  });
};
