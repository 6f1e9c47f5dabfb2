// @ts-check

/**
 * Two small tables for release correctness and private signals.
 *
 * release_environment_locks: one row per (entity, environment). Creating a release first
 * writes this row inside its transaction, so on PostgreSQL concurrent creates for one
 * environment wait for each other, and on SQLite the write takes the database's write lock
 * before the in-flight check reads: "is something in flight?" and the insert are one step.
 *
 * release_watchers: who read an entity's releases, and until when they may be told that
 * something changed. Signals go only to them, never to every connected socket.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('release_environment_locks', table => {
    table.comment('Serializes release creation per environment');
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.timestamp('locked_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'environment']);
  });
  await knex.schema.createTable('release_watchers', table => {
    table.comment(
      'Users who may hear that an entity changed, until expires_at',
    );
    table.string('entity_ref', 255).notNullable();
    table.string('user_ref', 255).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'user_ref']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('release_watchers');
  await knex.schema.dropTable('release_environment_locks');
};
