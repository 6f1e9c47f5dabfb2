// @ts-check

/**
 * The database console's own tables (a page reads both).
 *
 * console_statements: every statement run in the console, one row each, written when it starts
 * (outcome `running`) and finished once with its outcome. It is the audit trail of an instance
 * and each user's history. The statement is stored as typed: it may hold a literal secret the
 * user typed, which is why the trail of other users is for administrators only.
 *
 * saved_queries: queries saved on an instance by a user, for themselves or shared with the
 * instance's owners.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('console_statements', table => {
    table.comment('Statements run in the database console, with their outcome');
    table.bigIncrements('seq').primary();
    table.uuid('id').notNullable().unique();
    table.uuid('database_id').notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('actor', 255).notNullable();
    table.string('mode', 16).notNullable();
    table.text('statement').notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.integer('duration_ms').nullable();
    table.integer('row_count').notNullable().defaultTo(0);
    table.boolean('truncated').notNullable().defaultTo(false);
    table
      .string('outcome', 16)
      .notNullable()
      .comment('running, succeeded, failed, cancelled, timed-out');
    table.text('message').nullable();
    table.index(['database_id', 'seq'], 'console_statements_database_idx');
    table.index(
      ['database_id', 'actor', 'seq'],
      'console_statements_actor_idx',
    );
  });
  await knex.schema.createTable('saved_queries', table => {
    table.comment('Console queries saved on a database instance');
    table.uuid('id').primary().notNullable();
    table.uuid('database_id').notNullable();
    table.string('name', 200).notNullable();
    table.text('statement').notNullable();
    table.boolean('shared').notNullable().defaultTo(false);
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['database_id'], 'saved_queries_database_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('saved_queries');
  await knex.schema.dropTable('console_statements');
};
