// @ts-check

/**
 * environment_drift: the open drift episode of an environment, if any. A row exists from the
 * first read that found the ArgoCD application OutOfSync with no release in flight until a read
 * finds it in sync again; the primary key makes "first seen" a single insert, so the release
 * history gets one event per episode however often the status is read.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('environment_drift', table => {
    table.comment('Open drift episodes: one row per drifted environment');
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table
      .timestamp('detected_at', { useTz: true })
      .notNullable()
      .comment('When the drift was first seen');
    table
      .string('release_id', 36)
      .nullable()
      .comment('The release whose history holds the drift event');
    table.primary(['entity_ref', 'environment']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('environment_drift');
};
